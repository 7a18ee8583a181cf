package dev.topiary.kernels.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposes blocks of V rows into V-wide column panels with the Vector API: the packing of op(B) for
 * the NT layout ({@code C = A·Bᵀ}, the forward pass), where each row of B must become a column of its
 * panel.
 *
 * <p>Element by element, a transposition is bound by its stores: one scalar store per element, and the
 * core retires about one per cycle (a 512×512 block of B took 87–90 µs under {@code -XX:UseAVX=2}, about
 * 11 % of the product it was packed for). Here a V×V block is loaded as V row vectors, transposed in
 * registers and stored as V vectors. The transposition runs log₂V stages; the stage for bit h of the
 * lane index exchanges that bit between the row and the column index of every element, pairing rows i
 * and i + h:
 *
 * <pre>
 *   t      = swap_h(blend(x[i+h], x[i], lanes with bit h))     swap_h moves lane y to lane y ^ h
 *   x[i]   = blend(x[i], t, lanes with bit h)
 *   x[i+h] = blend(t, x[i+h], lanes with bit h)
 * </pre>
 *
 * <p>One rearrangement per pair rather than two: each rearrangement also checks its indices (JDK 17), and
 * with 16 vector registers the shuffles and masks compete with the rows for registers. The stages
 * commute, since each one permutes a different bit.
 *
 * <p>It is a copy: the packed panels hold the same bits as an element-by-element copy, so it changes no
 * result (the tests compare the two). Vector lengths of 4 and 8 lanes have a block kernel; the two
 * written-out kernels are instances of the one pattern above.
 */
final class VectorTranspose {

  private static final VectorSpecies<Float> S = VectorGemm.S;
  private static final int V = S.length();
  /** System property that turns the block kernels off ({@code false}), for benchmarks. */
  static final String PROPERTY = "topiary.gemm.transpose";

  /**
   * Whether the packing uses the block kernels: on x86 with AVX (HotSpot's {@code UseAVX} ≥ 1) and 4 or 8
   * lanes, unless {@value #PROPERTY} is {@code false}. Elsewhere the packing copies element by element:
   * <ul>
   *   <li>16 lanes (AVX-512): a 16×16 kernel made no measurable difference to the GEMM in fast JVMs,
   *       and 11 of 30 JVMs with it ran slow (56–94 GFLOPS median), against 0 of 30 without;
   *   <li>SSE only ({@code UseAVX=0}): C2 does not compile the blends and rearrangements there, and the
   *       Java fallback allocated 38 MB per 50 products of 70×130×90;
   *   <li>8 lanes on AVX without AVX2 ({@link FloatLanes}): a rearrangement across the two 128-bit halves
   *       of a 256-bit vector needs AVX2;
   *   <li>aarch64 and other architectures: not measured (the arm64 run under qemu checks results, not
   *       allocation or speed).
   * </ul>
   */
  static final boolean SUPPORTED = (V == 4 || V == 8 && FloatLanes.INTEGERS)
      && CpuFeatures.current().useAvx() >= 1 && !"false".equals(System.getProperty(PROPERTY));

  private static final VectorShuffle<Float> SWAP1 = swap(1);
  private static final VectorShuffle<Float> SWAP2 = swap(2);
  private static final VectorShuffle<Float> SWAP4 = swap(4);
  private static final VectorMask<Float> HIGH1 = high(1);
  private static final VectorMask<Float> HIGH2 = high(2);
  private static final VectorMask<Float> HIGH4 = high(4);

  private VectorTranspose() {}

  /**
   * Lane y to lane y ^ h; null where h is not a lane bit of this species, or where the block kernels are
   * off (no shuffle or mask is then made at all).
   */
  private static VectorShuffle<Float> swap(int h) {
    if (!SUPPORTED || h >= V) {
      return null;
    }
    int[] lanes = new int[V];
    for (int y = 0; y < V; y++) {
      lanes[y] = y ^ h;
    }
    return VectorShuffle.fromArray(S, lanes, 0);
  }

  /** The lanes whose index has bit h set; null as for {@link #swap}. */
  private static VectorMask<Float> high(int h) {
    if (!SUPPORTED || h >= V) {
      return null;
    }
    boolean[] lanes = new boolean[V];
    for (int y = 0; y < V; y++) {
      lanes[y] = (y & h) != 0;
    }
    return VectorMask.fromArray(S, lanes, 0);
  }

  /**
   * Packs the first columns of one full panel of A whose width (its tile's rows) is less than V: 4 rows
   * on 8 lanes, the tile of 16-register files. Row r of the panel is src[s + r·ld …];
   * element (r, p) goes to dst[d + p·width + r] for p below the returned value, which is at most
   * kc − 1; the caller copies the columns from there on, all of them, since the last stores run into
   * the next place. Returns 0 where there is no kernel for this width.
   *
   * <p>The 6-row panel ({@code -Dtopiary.gemm.rows=6}) has none: on JDK 17 a kernel written the same
   * way (rows 6 and 7 repeating row 5, stores 6 floats apart) left the GEMM at 39–79 GFLOPS in 7 of 10
   * fresh JVMs under {@code -XX:UseAVX=2}, against 81–92 without it in the same rounds. Why was not
   * found; the 6-row micro-kernel's own code was the same in fast and slow JVMs.
   */
  static int panel(float[] src, int s, int ld, int kc, float[] dst, int d, int width) {
    return SUPPORTED && V == 8 && width == 4 ? panel4(src, s, ld, kc, dst, d) : 0;
  }

  /**
   * Writes V rows of length kc (row i at src[s + i·ld + p]) as V columns: element (i, p) goes to
   * dst[d + p·width + i]. Rows and panel must lie in their arrays.
   */
  static void rows(float[] src, int s, int ld, int kc, float[] dst, int d, int width) {
    int p = !SUPPORTED ? 0 : V == 8 ? (width == 2 * V ? rows8Wide(src, s, ld, kc, dst, d)
        : rows8(src, s, ld, kc, dst, d, width))
        : V == 4 ? rows4(src, s, ld, kc, dst, d, width) : 0;
    for (; p < kc; p++) {
      int o = d + p * width;
      for (int i = 0; i < V; i++) {
        dst[o + i] = src[s + i * ld + p];
      }
    }
  }

  /** 4×4 blocks; returns the first p not transposed. */
  private static int rows4(float[] src, int s, int ld, int kc, float[] dst, int d, int width) {
    int p = 0;
    for (; p + 4 <= kc; p += 4) {
      FloatVector x0 = FloatVector.fromArray(S, src, s + p);
      FloatVector x1 = FloatVector.fromArray(S, src, s + 1 * ld + p);
      FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * ld + p);
      FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * ld + p);
      FloatVector t;
      // exchange bit 1 of the row index with bit 1 of the column index
      t = x2.blend(x0, HIGH2).rearrange(SWAP2);
      x0 = x0.blend(t, HIGH2);
      x2 = t.blend(x2, HIGH2);
      t = x3.blend(x1, HIGH2).rearrange(SWAP2);
      x1 = x1.blend(t, HIGH2);
      x3 = t.blend(x3, HIGH2);
      // exchange bit 0 of the row index with bit 0 of the column index
      t = x1.blend(x0, HIGH1).rearrange(SWAP1);
      x0 = x0.blend(t, HIGH1);
      x1 = t.blend(x1, HIGH1);
      t = x3.blend(x2, HIGH1).rearrange(SWAP1);
      x2 = x2.blend(t, HIGH1);
      x3 = t.blend(x3, HIGH1);
      int o = d + p * width;
      x0.intoArray(dst, o);
      x1.intoArray(dst, o + 1 * width);
      x2.intoArray(dst, o + 2 * width);
      x3.intoArray(dst, o + 3 * width);
    }
    return p;
  }

  /** 8×8 blocks; returns the first p not transposed. */
  private static int rows8(float[] src, int s, int ld, int kc, float[] dst, int d, int width) {
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      FloatVector x0 = FloatVector.fromArray(S, src, s + p);
      FloatVector x1 = FloatVector.fromArray(S, src, s + 1 * ld + p);
      FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * ld + p);
      FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * ld + p);
      FloatVector x4 = FloatVector.fromArray(S, src, s + 4 * ld + p);
      FloatVector x5 = FloatVector.fromArray(S, src, s + 5 * ld + p);
      FloatVector x6 = FloatVector.fromArray(S, src, s + 6 * ld + p);
      FloatVector x7 = FloatVector.fromArray(S, src, s + 7 * ld + p);
      FloatVector t;
      // exchange bit 2 of the row index with bit 2 of the column index
      t = x4.blend(x0, HIGH4).rearrange(SWAP4);
      x0 = x0.blend(t, HIGH4);
      x4 = t.blend(x4, HIGH4);
      t = x5.blend(x1, HIGH4).rearrange(SWAP4);
      x1 = x1.blend(t, HIGH4);
      x5 = t.blend(x5, HIGH4);
      t = x6.blend(x2, HIGH4).rearrange(SWAP4);
      x2 = x2.blend(t, HIGH4);
      x6 = t.blend(x6, HIGH4);
      t = x7.blend(x3, HIGH4).rearrange(SWAP4);
      x3 = x3.blend(t, HIGH4);
      x7 = t.blend(x7, HIGH4);
      // exchange bit 1 of the row index with bit 1 of the column index
      t = x2.blend(x0, HIGH2).rearrange(SWAP2);
      x0 = x0.blend(t, HIGH2);
      x2 = t.blend(x2, HIGH2);
      t = x3.blend(x1, HIGH2).rearrange(SWAP2);
      x1 = x1.blend(t, HIGH2);
      x3 = t.blend(x3, HIGH2);
      t = x6.blend(x4, HIGH2).rearrange(SWAP2);
      x4 = x4.blend(t, HIGH2);
      x6 = t.blend(x6, HIGH2);
      t = x7.blend(x5, HIGH2).rearrange(SWAP2);
      x5 = x5.blend(t, HIGH2);
      x7 = t.blend(x7, HIGH2);
      // exchange bit 0 of the row index with bit 0 of the column index
      t = x1.blend(x0, HIGH1).rearrange(SWAP1);
      x0 = x0.blend(t, HIGH1);
      x1 = t.blend(x1, HIGH1);
      t = x3.blend(x2, HIGH1).rearrange(SWAP1);
      x2 = x2.blend(t, HIGH1);
      x3 = t.blend(x3, HIGH1);
      t = x5.blend(x4, HIGH1).rearrange(SWAP1);
      x4 = x4.blend(t, HIGH1);
      x5 = t.blend(x5, HIGH1);
      t = x7.blend(x6, HIGH1).rearrange(SWAP1);
      x6 = x6.blend(t, HIGH1);
      x7 = t.blend(x7, HIGH1);
      int o = d + p * width;
      x0.intoArray(dst, o);
      x1.intoArray(dst, o + 1 * width);
      x2.intoArray(dst, o + 2 * width);
      x3.intoArray(dst, o + 3 * width);
      x4.intoArray(dst, o + 4 * width);
      x5.intoArray(dst, o + 5 * width);
      x6.intoArray(dst, o + 6 * width);
      x7.intoArray(dst, o + 7 * width);
    }
    return p;
  }

  /**
   * {@link #rows8} for the panels of B, two vectors wide, with the width a constant: C2 then checks the
   * eight stores of a block against the panel's end once instead of once each, and computes their
   * places from one index. Packing a 512×512 B for NT under {@code -XX:UseAVX=2} took 37 µs on JDK 25
   * and 53–57 µs on JDK 17, against 47–52 and 59–65 with the width a parameter. The same operations as
   * {@link #rows8}, which the other widths keep.
   */
  private static int rows8Wide(float[] src, int s, int ld, int kc, float[] dst, int d) {
    final int width = 2 * V;
    int p = 0;
    for (; p + 8 <= kc; p += 8) {
      FloatVector x0 = FloatVector.fromArray(S, src, s + p);
      FloatVector x1 = FloatVector.fromArray(S, src, s + 1 * ld + p);
      FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * ld + p);
      FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * ld + p);
      FloatVector x4 = FloatVector.fromArray(S, src, s + 4 * ld + p);
      FloatVector x5 = FloatVector.fromArray(S, src, s + 5 * ld + p);
      FloatVector x6 = FloatVector.fromArray(S, src, s + 6 * ld + p);
      FloatVector x7 = FloatVector.fromArray(S, src, s + 7 * ld + p);
      FloatVector t;
      // exchange bit 2 of the row index with bit 2 of the column index
      t = x4.blend(x0, HIGH4).rearrange(SWAP4);
      x0 = x0.blend(t, HIGH4);
      x4 = t.blend(x4, HIGH4);
      t = x5.blend(x1, HIGH4).rearrange(SWAP4);
      x1 = x1.blend(t, HIGH4);
      x5 = t.blend(x5, HIGH4);
      t = x6.blend(x2, HIGH4).rearrange(SWAP4);
      x2 = x2.blend(t, HIGH4);
      x6 = t.blend(x6, HIGH4);
      t = x7.blend(x3, HIGH4).rearrange(SWAP4);
      x3 = x3.blend(t, HIGH4);
      x7 = t.blend(x7, HIGH4);
      // exchange bit 1 of the row index with bit 1 of the column index
      t = x2.blend(x0, HIGH2).rearrange(SWAP2);
      x0 = x0.blend(t, HIGH2);
      x2 = t.blend(x2, HIGH2);
      t = x3.blend(x1, HIGH2).rearrange(SWAP2);
      x1 = x1.blend(t, HIGH2);
      x3 = t.blend(x3, HIGH2);
      t = x6.blend(x4, HIGH2).rearrange(SWAP2);
      x4 = x4.blend(t, HIGH2);
      x6 = t.blend(x6, HIGH2);
      t = x7.blend(x5, HIGH2).rearrange(SWAP2);
      x5 = x5.blend(t, HIGH2);
      x7 = t.blend(x7, HIGH2);
      // exchange bit 0 of the row index with bit 0 of the column index
      t = x1.blend(x0, HIGH1).rearrange(SWAP1);
      x0 = x0.blend(t, HIGH1);
      x1 = t.blend(x1, HIGH1);
      t = x3.blend(x2, HIGH1).rearrange(SWAP1);
      x2 = x2.blend(t, HIGH1);
      x3 = t.blend(x3, HIGH1);
      t = x5.blend(x4, HIGH1).rearrange(SWAP1);
      x4 = x4.blend(t, HIGH1);
      x5 = t.blend(x5, HIGH1);
      t = x7.blend(x6, HIGH1).rearrange(SWAP1);
      x6 = x6.blend(t, HIGH1);
      x7 = t.blend(x7, HIGH1);
      int o = d + p * width;
      x0.intoArray(dst, o);
      x1.intoArray(dst, o + 1 * width);
      x2.intoArray(dst, o + 2 * width);
      x3.intoArray(dst, o + 3 * width);
      x4.intoArray(dst, o + 4 * width);
      x5.intoArray(dst, o + 5 * width);
      x6.intoArray(dst, o + 6 * width);
      x7.intoArray(dst, o + 7 * width);
    }
    return p;
  }

  /**
   * A full A panel of 4 rows on 8 lanes (the tiles of 16-register files, and the first four rows of a
   * 5-row tile): the two stages of the row bits leave column p + j in the low half of vector j and
   * column p + j + 4 in its high half; each half is stored at its 4-float place as a whole vector, the
   * other half running into the next place, which the next store (or the caller's element-by-element
   * tail) overwrites. So the loop stops at least one p before kc. Returns the first p not transposed.
   */
  private static int panel4(float[] src, int s, int ld, int kc, float[] dst, int d) {
    int p = 0;
    for (; p + 8 < kc; p += 8) {
      FloatVector x0 = FloatVector.fromArray(S, src, s + p);
      FloatVector x1 = FloatVector.fromArray(S, src, s + ld + p);
      FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * ld + p);
      FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * ld + p);
      FloatVector t;
      // exchange bit 1 of the row index with bit 1 of the column index
      t = x2.blend(x0, HIGH2).rearrange(SWAP2);
      x0 = x0.blend(t, HIGH2);
      x2 = t.blend(x2, HIGH2);
      t = x3.blend(x1, HIGH2).rearrange(SWAP2);
      x1 = x1.blend(t, HIGH2);
      x3 = t.blend(x3, HIGH2);
      // exchange bit 0 of the row index with bit 0 of the column index
      t = x1.blend(x0, HIGH1).rearrange(SWAP1);
      x0 = x0.blend(t, HIGH1);
      x1 = t.blend(x1, HIGH1);
      t = x3.blend(x2, HIGH1).rearrange(SWAP1);
      x2 = x2.blend(t, HIGH1);
      x3 = t.blend(x3, HIGH1);
      int o = d + p * 4;
      x0.intoArray(dst, o);
      x1.intoArray(dst, o + 4);
      x2.intoArray(dst, o + 8);
      x3.intoArray(dst, o + 12);
      x0.rearrange(SWAP4).intoArray(dst, o + 16);
      x1.rearrange(SWAP4).intoArray(dst, o + 20);
      x2.rearrange(SWAP4).intoArray(dst, o + 24);
      x3.rearrange(SWAP4).intoArray(dst, o + 28);
    }
    return p;
  }
}
