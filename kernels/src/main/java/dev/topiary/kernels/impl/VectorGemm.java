package dev.topiary.kernels.impl;

import dev.topiary.kernels.Parallelism;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM with the Vector API, one GotoBLAS/BLIS-style design for the three layouts of a dense layer.
 *
 * <p>Every layout is reduced to C[m×n] (+)= op(A)[m×k]·op(B)[k×n]. The loops, outermost first: column
 * blocks of nc, depth blocks of kc (pack op(B) into kc×{@link #NR} panels), row blocks of mc (pack op(A)
 * into rows×kc panels), then NR-wide register tiles of 8, 6, 5 or 4 rows. Tile and blocking come from a
 * {@link GemmPlan}, one per register file ({@link #HOST} for this JVM; tests pass others). Packing
 * absorbs the layouts, the leading dimensions and the ragged edges (panels are zero-padded), so each plan
 * has one micro-kernel (the 5-row plan two: 5-row tiles, then 4-row ones): an outer product that keeps
 * a rows×NR tile of C in 2·rows vector registers, broadcasts one element of A per row and streams two
 * vectors of B per step of k, with fma or, where the hardware has no FMA (and {@code fma} would be
 * emulated in software, a hundred times slower), with a multiply and an add. Only the valid part of C is
 * written.
 *
 * <p>Problems too small to repay packing take a direct path: dot products along k for NT (the matrix-
 * vector product of a forward pass on one example), and the same outer-product tile read straight from
 * the operands for NN and TN, with single rows (the backward pass of one example) taken four rows of B
 * at a time, left to right.
 *
 * <p>Determinism, per plan. Every element of C is computed by the same sequence of float operations
 * whatever the blocking: one fma (or one multiply and one add) per p, in order of p, within a depth block,
 * the depth blocks added to C in order. Threads split C (never k), so results are bit-identical for any
 * thread count. The dot-product path sums the lanes of its accumulators one by one in lane order rather
 * than with reduceLanes(ADD), whose association may differ between compiled and interpreted code (and
 * between JDKs), which would make a result depend on how warm the JIT was. It spills them to a
 * per-thread scratch for that, allocated once per thread with the packing buffers. Plans that differ in
 * kc or in FMA round differently; so do the packed and the direct path.
 *
 * <p>No vector is passed to or returned from a method of ours: such a call, if C2 declines to inline it
 * (and it stops inlining ordinary methods once a compilation is large), boxes the vector on the heap.
 */
final class VectorGemm {

  static final VectorSpecies<Float> S = FloatLanes.SPECIES;
  static final int V = S.length();
  /** Columns of the register tile: two vectors, whatever the plan. */
  static final int NR = 2 * V;
  /** The plan for this JVM's vector width, register file and FMA support. */
  static final GemmPlan HOST = GemmPlan.host(S.vectorBitSize());

  /**
   * Whether {@link #kernel4Mul} issues the four products of two rows before their four adds (before
   * JDK 25; measured on JDK 17) or each add right after its product (JDK 25 and later). Both orders
   * apply the same multiply, then the same add, to each element of C, so they give the same bits;
   * they differ in how C2 fills the 16 registers of SSE and AVX (128 bits on SSE, 256 on AVX
   * without AVX2). Under {@code -XX:UseAVX=0} (SSE: two-operand instructions, so each multiply
   * first copies a register), JDK 17 ran the interleaved order at 16.5–17.8 GFLOPS in most JVMs and
   * 26–27 in some (0.49–0.50× OpenBLAS), and the paired order at 0.73–0.99× OpenBLAS (the medians
   * of 26 JVMs in five runs; the low ones in periods that slowed OpenBLAS too). JDK 25 compiled the
   * paired order with two accumulators on the stack and eight register moves per step (16.7 GFLOPS
   * in 5 of 5 JVMs), and keeps the interleaved one (docs/benchmarks.md, 2026-12-02).
   */
  static final boolean MUL_IN_PAIRS = Runtime.version().feature() < 25;

  static final int NT = 0;
  static final int NN = 1;
  static final int TN = 2;

  /** Below this many flops (2·m·n·k) a GEMM never starts threads. */
  static final long PARALLEL_FLOPS = 1L << 22;
  /** Below this volume m·n·k a GEMM takes the direct path. */
  static final long SMALL_VOLUME = 32L * 32 * 32;
  /** NT with at most this many rows takes the dot-product path. */
  static final int NT_DOT_ROWS = 4;
  /** NN and TN with at most this many rows take the direct outer-product path. */
  static final int DIRECT_ROWS = 4;

  private VectorGemm() {}

  /**
   * Per-thread buffers, grown on demand: the packed blocks (up to mc×kc and kc×nc floats), the partial
   * sums of a single row of the direct path (up to n floats), and a reusable job.
   */
  private static final class Buffers {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] row = new float[0];
    final float[] tile = new float[8 * NR];
    final Job job = new Job();

    float[] row(int size) {
      if (row.length < size) {
        row = new float[size];
      }
      return row;
    }

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[] b(int size) {
      if (b.length < size) {
        b = new float[size];
      }
      return b;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /**
   * One product split into tasks along the columns or the rows of C, as handed to
   * {@link Parallelism#run}: the calling thread fills in the fields and the tasks read them, so the
   * parallel path allocates nothing. Each calling thread has its own (in {@link Buffers}).
   */
  private static final class Job implements IntConsumer {
    static final int DIRECT = 0;
    static final int COLUMNS = 1;
    static final int ROWS = 2;

    GemmPlan plan;
    int split;
    int unit;
    int per;
    int layout;
    int m;
    int n;
    int k;
    float[] a;
    int aOff;
    int lda;
    float[] b;
    int bOff;
    int ldb;
    float[] c;
    int cOff;
    int ldc;
    boolean accumulate;

    @Override
    public void accept(int t) {
      if (split == ROWS) {
        int i0 = Math.min(m, t * per * unit);
        int i1 = Math.min(m, (t + 1) * per * unit);
        if (i0 < i1) {
          packed(plan, layout, i1 - i0, n, k, a, aOff + rowOffsetA(layout, i0, lda), lda, b, bOff, ldb, c,
              cOff + i0 * ldc, ldc, accumulate);
        }
        return;
      }
      int j0 = Math.min(n, t * per * unit);
      int j1 = Math.min(n, (t + 1) * per * unit);
      if (j0 >= j1) {
        return;
      }
      int bj = bOff + colOffsetB(layout, j0, ldb);
      if (split == DIRECT) {
        direct(plan.fma(), layout, m, j1 - j0, k, a, aOff, lda, b, bj, ldb, c, cOff + j0, ldc, accumulate);
      } else {
        packed(plan, layout, m, j1 - j0, k, a, aOff, lda, b, bj, ldb, c, cOff + j0, ldc, accumulate);
      }
    }

    void clear() {
      a = null;
      b = null;
      c = null;
      plan = null;
    }
  }

  /**
   * C[m×n] (+)= op(A)·op(B) for the given layout on the given plan; sizes and ranges already checked,
   * m, n ≥ 1.
   */
  static void gemm(GemmPlan plan, int layout, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
      }
      return;
    }
    long volume = (long) m * n * k;
    boolean direct = volume <= SMALL_VOLUME
        || (layout == NT ? m <= NT_DOT_ROWS || n < V : m <= DIRECT_ROWS);
    int tasks = 1;
    if (parallelism.threads() > 1 && 2 * volume >= PARALLEL_FLOPS) {
      tasks = parallelism.threads();
    }
    int split;
    int unit;
    int units;
    if (direct) {
      // Split columns in multiples of the widest column group of the direct kernels.
      split = Job.DIRECT;
      unit = layout == NT ? 4 : NR;
      units = (n + unit - 1) / unit;
      if (tasks <= 1 || units <= 1) {
        direct(plan.fma(), layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        return;
      }
    } else {
      int colPanels = (n + NR - 1) / NR;
      int rowPanels = (m + plan.rows() - 1) / plan.rows();
      if (tasks <= 1) {
        packed(plan, layout, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        return;
      }
      // Each task packs its own part of the split operand and the whole of the other: a column split
      // packs m·k + n·k/tasks floats per task, a row split m·k/tasks + n·k. So split the columns when
      // A is the smaller operand (m ≤ n), as long as both ways give every task a share.
      if (colPanels >= tasks && (rowPanels < 2 * tasks || m <= n)) {
        split = Job.COLUMNS;
        unit = NR;
        units = colPanels;
      } else {
        split = Job.ROWS;
        unit = plan.rows();
        units = rowPanels;
      }
    }
    tasks = Math.min(tasks, units);
    Job job = BUFFERS.get().job;
    job.plan = plan;
    job.split = split;
    job.unit = unit;
    job.per = (units + tasks - 1) / tasks;
    job.layout = layout;
    job.m = m;
    job.n = n;
    job.k = k;
    job.a = a;
    job.aOff = aOff;
    job.lda = lda;
    job.b = b;
    job.bOff = bOff;
    job.ldb = ldb;
    job.c = c;
    job.cOff = cOff;
    job.ldc = ldc;
    job.accumulate = accumulate;
    try {
      parallelism.run(tasks, job);
    } finally {
      job.clear();
    }
  }

  /** Offset of column j of op(B). */
  private static int colOffsetB(int layout, int j, int ldb) {
    return layout == NT ? j * ldb : j;
  }

  /** Offset of row i of op(A). */
  private static int rowOffsetA(int layout, int i, int lda) {
    return layout == TN ? i : i * lda;
  }

  // ---------------------------------------------------------------------------------------------
  // The packed path

  private static void packed(GemmPlan plan, int layout, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    Buffers buf = BUFFERS.get();
    int mr = plan.rows();
    int kcMax = Math.min(plan.kc(), k);
    float[] ap = buf.a(panelRows(mr, Math.min(plan.mc(), m)) * kcMax);
    float[] bp = buf.b(roundUp(Math.min(plan.nc(), n), NR) * kcMax);
    float[] tile = buf.tile;
    for (int jc = 0; jc < n; jc += plan.nc()) {
      int nc = Math.min(plan.nc(), n - jc);
      for (int pc = 0; pc < k; pc += plan.kc()) {
        int kc = Math.min(plan.kc(), k - pc);
        int bSrc = layout == NT ? bOff + jc * ldb + pc : bOff + pc * ldb + jc;
        for (int jr = 0; jr < nc; jr += NR) {
          packPanelB(layout, b, bSrc, ldb, jr, Math.min(NR, nc - jr), kc, bp);
        }
        boolean overwrite = pc == 0 && !accumulate;
        for (int ic = 0; ic < m; ic += plan.mc()) {
          int mc = Math.min(plan.mc(), m - ic);
          // With 5-row tiles, the first rows5 rows go in 5-row panels and the rest in 4-row ones.
          int rows5 = mr == 5 ? 5 * fiveRowTiles(mc) : 0;
          int width = mr == 5 ? 4 : mr;
          if (rows5 > 0) {
            packFiveRowPanels(layout, a, layout == TN ? aOff + pc * lda + ic : aOff + ic * lda + pc, lda,
                rows5, kc, ap);
          }
          if (layout == TN) {
            packColumnsAsPanels(a, aOff + pc * lda + ic + rows5, lda, mc - rows5, kc, width, ap, rows5 * kc);
          } else {
            packRowsAsPanels(a, aOff + (ic + rows5) * lda + pc, lda, mc - rows5, kc, width, ap, rows5 * kc);
          }
          macroKernel(mr, plan.fma(), mc, nc, kc, ap, bp, c, cOff + ic * ldc + jc, ldc, overwrite, tile);
        }
      }
    }
  }

  /** Packs columns jr..jr+cols−1 of op(B) (block at bSrc) into the panel at bp[jr·kc]. */
  private static void packPanelB(int layout, float[] b, int bSrc, int ldb, int jr, int cols, int kc,
      float[] bp) {
    if (layout == NT) {
      packRowsAsPanels(b, bSrc + jr * ldb, ldb, cols, kc, NR, bp, jr * kc);
    } else {
      packColumnsAsPanels(b, bSrc + jr, ldb, cols, kc, NR, bp, jr * kc);
    }
  }

  /**
   * How many 5-row tiles cover the first rows of an mc-row block on the 5-row plan, the rest going to
   * 4-row tiles: the most that leave a multiple of 4 rows (5a + 4b = mc, which every mc ≥ 12 has), so
   * that no tile is partial; where there is no such split (1–3, 6, 7, 11 rows), mc / 5, and the last
   * 4-row tile is partial.
   * 128 rows make 24 tiles of 5 and 2 of 4, where 5-row tiles alone would leave a partial tile of 3
   * rows computed as 5.
   */
  static int fiveRowTiles(int mc) {
    int fours = (5 - mc % 5) % 5;
    return 4 * fours <= mc ? (mc - 4 * fours) / 5 : mc / 5;
  }

  /** Rows of the packed panels of an mc-row block of A, padding included. */
  static int panelRows(int mr, int mc) {
    if (mr != 5) {
      return roundUp(mc, mr);
    }
    int rows5 = 5 * fiveRowTiles(mc);
    return rows5 + roundUp(mc - rows5, 4);
  }

  /**
   * Packs the 5-row tiles of a block of A (rows5 rows, a multiple of 5, op(A) row i at src + i·ld
   * for NT and NN, column i for TN): tile t at dst[5t·kc], its first four rows as a 4-row panel
   * (element (r, p) at 4p + r), its fifth row after it, contiguous (element p at 4kc + p). So
   * {@link #kernel5} walks the two parts and B with three running indices, none of them a multiple of 5.
   */
  private static void packFiveRowPanels(int layout, float[] src, int off, int ld, int rows5, int kc,
      float[] dst) {
    for (int t = 0; t < rows5; t += 5) {
      int base = t * kc;
      if (layout == TN) {
        packColumnsAsPanels(src, off + t, ld, 4, kc, 4, dst, base);
        int s = off + t + 4;
        int d = base + 4 * kc;
        for (int p = 0; p < kc; p++, s += ld) {
          dst[d + p] = src[s];
        }
      } else {
        packRowsAsPanels(src, off + t * ld, ld, 4, kc, 4, dst, base);
        System.arraycopy(src, off + (t + 4) * ld, dst, base + 4 * kc, kc);
      }
    }
  }

  private static int roundUp(int x, int unit) {
    return (x + unit - 1) / unit * unit;
  }

  private static void macroKernel(int mr, boolean fma, int mc, int nc, int kc, float[] ap, float[] bp,
      float[] c, int cOff, int ldc, boolean overwrite, float[] tile) {
    if (mr == 5) {
      // 5-row tiles (fma only, GemmPlan checks), then 4-row ones; panels of both are kc·rows apart.
      int rows5 = 5 * fiveRowTiles(mc);
      for (int jr = 0; jr < nc; jr += NR) {
        int nValid = Math.min(NR, nc - jr);
        int bi = jr * kc;
        int ir = 0;
        for (; ir < rows5; ir += 5) {
          kernel5(kc, ap, ir * kc, bp, bi, tile);
          flushTile(tile, c, cOff + ir * ldc + jr, ldc, 5, nValid, overwrite);
        }
        for (; ir < mc; ir += 4) {
          kernel4(kc, ap, ir * kc, bp, bi, c, cOff + ir * ldc + jr, ldc, Math.min(4, mc - ir), nValid,
              overwrite, tile);
        }
      }
      return;
    }
    for (int jr = 0; jr < nc; jr += NR) {
      int nValid = Math.min(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += mr) {
        int mValid = Math.min(mr, mc - ir);
        int ci = cOff + ir * ldc + jr;
        int ai = ir * kc;
        int bi = jr * kc;
        if (mr == 8 && nValid <= V) {
          if (fma) {
            kernel8x1(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          } else {
            kernel8x1Mul(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          }
        } else if (mr == 8) {
          if (fma) {
            kernel8(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          } else {
            kernel8Mul(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          }
        } else if (mr == 6) {
          if (fma) {
            kernel6(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          } else {
            kernel6Mul(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
          }
        } else if (fma) {
          kernel4(kc, ap, ai, bp, bi, c, ci, ldc, mValid, nValid, overwrite, tile);
        } else {
          kernel4Mul(kc, ap, ai, bp, bi, tile);
          flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
        }
      }
    }
  }

  /**
   * Packs `count` rows of length kc (row r at src + r·ld, elements contiguous) into panels of `width`
   * rows, transposed, starting at dst[dOff]: panel q holds element (r, p) at dOff + q·kc + p·width +
   * (r − q), q a multiple of width. Rows past `count` are zero. Where the panel width is a multiple of
   * the vector length (the B panels of NT, and A panels on 128-bit plans), V rows at a time are
   * transposed in registers ({@link VectorTranspose}), and so are full A panels of 4 rows on 8 lanes,
   * but for their last columns. The other rows go eight at a time element by element: that copy is
   * bound by its scalar stores, and eight streams keep more of them in flight than four while staying
   * within the L1 ways that rows 4 KB apart all map to.
   */
  private static void packRowsAsPanels(float[] src, int off, int ld, int count, int kc, int width,
      float[] dst, int dOff) {
    for (int q = 0; q < count; q += width) {
      int base = dOff + q * kc;
      int rows = Math.min(width, count - q);
      int r = 0;
      // Columns before `from` are packed already (a full narrow panel transposed in registers).
      int from = rows == width && width < V
          ? VectorTranspose.panel(src, off + q * ld, ld, kc, dst, base, width) : 0;
      if (VectorTranspose.SUPPORTED && width % V == 0) {
        for (; r + V <= rows; r += V) {
          VectorTranspose.rows(src, off + (q + r) * ld, ld, kc, dst, base + r, width);
        }
      }
      for (; r + 8 <= rows; r += 8) {
        int s0 = off + (q + r) * ld;
        int s1 = s0 + ld;
        int s2 = s1 + ld;
        int s3 = s2 + ld;
        int s4 = s3 + ld;
        int s5 = s4 + ld;
        int s6 = s5 + ld;
        int s7 = s6 + ld;
        int d = base + from * width + r;
        for (int p = from; p < kc; p++, d += width) {
          dst[d] = src[s0 + p];
          dst[d + 1] = src[s1 + p];
          dst[d + 2] = src[s2 + p];
          dst[d + 3] = src[s3 + p];
          dst[d + 4] = src[s4 + p];
          dst[d + 5] = src[s5 + p];
          dst[d + 6] = src[s6 + p];
          dst[d + 7] = src[s7 + p];
        }
      }
      for (; r + 4 <= rows; r += 4) {
        int s0 = off + (q + r) * ld;
        int s1 = s0 + ld;
        int s2 = s1 + ld;
        int s3 = s2 + ld;
        int d = base + from * width + r;
        for (int p = from; p < kc; p++, d += width) {
          dst[d] = src[s0 + p];
          dst[d + 1] = src[s1 + p];
          dst[d + 2] = src[s2 + p];
          dst[d + 3] = src[s3 + p];
        }
      }
      for (; r < rows; r++) {
        int s0 = off + (q + r) * ld;
        int d = base + from * width + r;
        for (int p = from; p < kc; p++, d += width) {
          dst[d] = src[s0 + p];
        }
      }
      for (; r < width; r++) {
        int d = base + r;
        for (int p = 0; p < kc; p++, d += width) {
          dst[d] = 0f;
        }
      }
    }
  }

  /**
   * Packs kc rows of `count` contiguous elements (row p at src + p·ld) into panels of `width` columns,
   * starting at dst[dOff]: panel q holds element (p, j) at dOff + q·kc + p·width + (j − q), q a multiple
   * of width. Columns past `count` are zero. Full NR-wide panels are packed one at a time, so the writes
   * are contiguous (row by row they would land NR·kc floats apart, in the same L1 sets for every panel).
   */
  private static void packColumnsAsPanels(float[] src, int off, int ld, int count, int kc, int width,
      float[] dst, int dOff) {
    int full = width == NR ? count / NR * NR : 0;
    for (int q = 0; q < full; q += NR) {
      int s = off + q;
      int d = dOff + q * kc;
      for (int p = 0; p < kc; p++, s += ld, d += NR) {
        FloatVector.fromArray(S, src, s).intoArray(dst, d);
        FloatVector.fromArray(S, src, s + V).intoArray(dst, d + V);
      }
    }
    if (full == count) {
      return;
    }
    int whole = count / width * width;
    for (int p = 0; p < kc; p++) {
      int s = off + p * ld;
      int d = dOff + full * kc + p * width;
      int q = full;
      for (; q < whole; q += width, d += width * kc) {
        System.arraycopy(src, s + q, dst, d, width);
      }
      if (q < count) {
        int rest = count - q;
        System.arraycopy(src, s + q, dst, d, rest);
        java.util.Arrays.fill(dst, d + rest, d + width, 0f);
      }
    }
  }

  /**
   * Writes the valid part of a register tile spilled to `tile` (rows of NR) into C: a vector at a time
   * when the valid columns are one or two whole vectors, else element by element.
   *
   * <p>The micro-kernels always spill their accumulators here, on one path, rather than store them into C
   * directly on a fast path for whole tiles. With three exits (whole tile overwritten, whole tile added,
   * partial tile) C2 compiled a kernel before all three had run, met the others later, deoptimised and
   * recompiled it, and one fresh JVM in three then trained at two thirds of the speed (the recompiled
   * loop was slower); one exit gives one compilation. The extra copy is 2·rows vectors per kc steps.
   */
  private static void flushTile(float[] tile, float[] c, int ci, int ldc, int mValid, int nValid,
      boolean overwrite) {
    if (nValid == NR) {
      for (int r = 0; r < mValid; r++) {
        int row = ci + r * ldc;
        FloatVector t0 = FloatVector.fromArray(S, tile, r * NR);
        FloatVector t1 = FloatVector.fromArray(S, tile, r * NR + V);
        if (!overwrite) {
          t0 = FloatVector.fromArray(S, c, row).add(t0);
          t1 = FloatVector.fromArray(S, c, row + V).add(t1);
        }
        t0.intoArray(c, row);
        t1.intoArray(c, row + V);
      }
    } else if (nValid == V) {
      for (int r = 0; r < mValid; r++) {
        int row = ci + r * ldc;
        FloatVector t0 = FloatVector.fromArray(S, tile, r * NR);
        if (!overwrite) {
          t0 = FloatVector.fromArray(S, c, row).add(t0);
        }
        t0.intoArray(c, row);
      }
    } else {
      storeTile(tile, c, ci, ldc, mValid, nValid, overwrite);
    }
  }

  /** Writes the valid part of a register tile spilled to `tile` (rows of NR) into C. */
  private static void storeTile(float[] tile, float[] c, int ci, int ldc, int mValid, int nValid,
      boolean overwrite) {
    for (int r = 0; r < mValid; r++) {
      int row = ci + r * ldc;
      int t = r * NR;
      if (overwrite) {
        System.arraycopy(tile, t, c, row, nValid);
      } else {
        for (int j = 0; j < nValid; j++) {
          c[row + j] += tile[t + j];
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The direct path for small problems: no packing, no buffers.

  private static void direct(boolean fma, int layout, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    if (layout == NT) {
      dotNT(fma, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    } else if (layout == NN) {
      outerDirect(fma, m, n, k, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc, accumulate);
    } else {
      outerDirect(fma, m, n, k, a, aOff, 1, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }
  }

  /** x·y + s, fused or as a multiply then an add. */
  private static float madd(boolean fma, float x, float y, float s) {
    return fma ? Math.fma(x, y, s) : x * y + s;
  }

  /** C (+)= A·Bᵀ as dot products along k, four columns of C at a time; one accumulator per element. */
  private static void dotNT(boolean fma, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    int kb = S.loopBound(k);
    // The accumulators are spilled to this thread's tile buffer (at least 4V floats) and their lanes
    // added in lane order: lane(l) one at a time costs about 10 % of the matrix-vector product.
    float[] lanes = BUFFERS.get().tile;
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * lda;
      int ci = cOff + i * ldc;
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int b0 = bOff + j * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        if (fma) {
          for (int p = 0; p < kb; p += V) {
            FloatVector x = FloatVector.fromArray(S, a, ai + p);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + p), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + p), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + p), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + p), s3);
          }
        } else {
          for (int p = 0; p < kb; p += V) {
            FloatVector x = FloatVector.fromArray(S, a, ai + p);
            s0 = x.mul(FloatVector.fromArray(S, b, b0 + p)).add(s0);
            s1 = x.mul(FloatVector.fromArray(S, b, b1 + p)).add(s1);
            s2 = x.mul(FloatVector.fromArray(S, b, b2 + p)).add(s2);
            s3 = x.mul(FloatVector.fromArray(S, b, b3 + p)).add(s3);
          }
        }
        // Lanes in lane order (see Determinism in the class comment).
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, V);
        s2.intoArray(lanes, 2 * V);
        s3.intoArray(lanes, 3 * V);
        float r0 = 0f;
        float r1 = 0f;
        float r2 = 0f;
        float r3 = 0f;
        for (int l = 0; l < V; l++) {
          r0 += lanes[l];
          r1 += lanes[V + l];
          r2 += lanes[2 * V + l];
          r3 += lanes[3 * V + l];
        }
        for (int p = kb; p < k; p++) {
          float x = a[ai + p];
          r0 = madd(fma, x, b[b0 + p], r0);
          r1 = madd(fma, x, b[b1 + p], r1);
          r2 = madd(fma, x, b[b2 + p], r2);
          r3 = madd(fma, x, b[b3 + p], r3);
        }
        if (accumulate) {
          c[ci + j] += r0;
          c[ci + j + 1] += r1;
          c[ci + j + 2] += r2;
          c[ci + j + 3] += r3;
        } else {
          c[ci + j] = r0;
          c[ci + j + 1] = r1;
          c[ci + j + 2] = r2;
          c[ci + j + 3] = r3;
        }
      }
      for (; j < n; j++) {
        int b0 = bOff + j * ldb;
        FloatVector s0 = FloatVector.zero(S);
        if (fma) {
          for (int p = 0; p < kb; p += V) {
            s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, b0 + p), s0);
          }
        } else {
          for (int p = 0; p < kb; p += V) {
            s0 = FloatVector.fromArray(S, a, ai + p).mul(FloatVector.fromArray(S, b, b0 + p)).add(s0);
          }
        }
        s0.intoArray(lanes, 0);
        float r0 = 0f;
        for (int l = 0; l < V; l++) {
          r0 += lanes[l];
        }
        for (int p = kb; p < k; p++) {
          r0 = madd(fma, a[ai + p], b[b0 + p], r0);
        }
        c[ci + j] = accumulate ? c[ci + j] + r0 : r0;
      }
    }
  }

  /**
   * C (+)= op(A)·B with B row-major k×n, op(A)(i, p) = a[aOff + i·ais + p·aps]: the register tile read
   * straight from the operands, four rows and two vectors of columns at a time; the rows left over, and
   * the columns left of each four-row group, one row at a time by {@link #outerRow}. Every element of C
   * sees the same operations (one fma per p, in order of p) whichever group it falls in.
   */
  private static void outerDirect(boolean fma, int m, int n, int k, float[] a, int aOff, int ais, int aps,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * ais;
      int a1 = a0 + ais;
      int a2 = a1 + ais;
      int a3 = a2 + ais;
      int c0 = cOff + i * ldc;
      int j = 0;
      for (; j + NR <= n; j += NR) {
        if (fma) {
          tile4Fma(k, a, a0, a1, a2, a3, aps, b, bOff + j, ldb, c, c0 + j, ldc, accumulate);
        } else {
          tile4Mul(k, a, a0, a1, a2, a3, aps, b, bOff + j, ldb, c, c0 + j, ldc, accumulate);
        }
      }
      for (int r = 0; r < 4; r++) {
        outerRow(fma, j, n, k, a, a0 + r * ais, aps, b, bOff, ldb, c, c0 + r * ldc, accumulate);
      }
    }
    for (; i < m; i++) {
      outerRow(fma, 0, n, k, a, aOff + i * ais, aps, b, bOff, ldb, c, cOff + i * ldc, accumulate);
    }
  }

  /** One 4×2V tile of {@link #outerDirect}, with fma: C[4×2V] (+)= A[4×k]·B[k×2V] (B from column bj). */
  private static void tile4Fma(int k, float[] a, int a0, int a1, int a2, int a3, int aps, float[] b,
      int bj, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      int bi = bj + p * ldb;
      int pa = p * aps;
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + pa]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + pa]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + pa]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + pa]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
    }
    if (accumulate) {
      c00 = FloatVector.fromArray(S, c, ci).add(c00);
      c01 = FloatVector.fromArray(S, c, ci + V).add(c01);
      c10 = FloatVector.fromArray(S, c, ci + ldc).add(c10);
      c11 = FloatVector.fromArray(S, c, ci + ldc + V).add(c11);
      c20 = FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20);
      c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V).add(c21);
      c30 = FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30);
      c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V).add(c31);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
  }

  /** {@link #tile4Fma} with a multiply and an add. */
  private static void tile4Mul(int k, float[] a, int a0, int a1, int a2, int a3, int aps, float[] b,
      int bj, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      int bi = bj + p * ldb;
      int pa = p * aps;
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + pa]);
      c00 = x0.mul(b0).add(c00);
      c01 = x0.mul(b1).add(c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + pa]);
      c10 = x1.mul(b0).add(c10);
      c11 = x1.mul(b1).add(c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + pa]);
      c20 = x2.mul(b0).add(c20);
      c21 = x2.mul(b1).add(c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + pa]);
      c30 = x3.mul(b0).add(c30);
      c31 = x3.mul(b1).add(c31);
    }
    if (accumulate) {
      c00 = FloatVector.fromArray(S, c, ci).add(c00);
      c01 = FloatVector.fromArray(S, c, ci + V).add(c01);
      c10 = FloatVector.fromArray(S, c, ci + ldc).add(c10);
      c11 = FloatVector.fromArray(S, c, ci + ldc + V).add(c11);
      c20 = FloatVector.fromArray(S, c, ci + 2 * ldc).add(c20);
      c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V).add(c21);
      c30 = FloatVector.fromArray(S, c, ci + 3 * ldc).add(c30);
      c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V).add(c31);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
  }

  /**
   * Columns j0..n of one row of the direct outer product (the whole of a backward pass on one example):
   * the whole vectors four rows of B at a time, then scalars.
   */
  private static void outerRow(boolean fma, int j0, int n, int k, float[] a, int ai, int aps, float[] b,
      int bOff, int ldb, float[] c, int ci, boolean accumulate) {
    // Each fma setting in a method of its own (so also for outerDirect's tile): with both loops and the
    // accumulation in one method, C2 could run out of its inlining budget before the last stores (SSE,
    // in 3 of 5 JVMs that had run the whole kernels suite) and box one vector per step.
    int j = fma ? rowBlocksFma(j0, n, k, a, ai, aps, b, bOff, ldb, c, ci, accumulate)
        : rowBlocksMul(j0, n, k, a, ai, aps, b, bOff, ldb, c, ci, accumulate);
    for (; j < n; j++) {
      float s = 0f;
      for (int p = 0; p < k; p++) {
        s = madd(fma, a[ai + p * aps], b[bOff + p * ldb + j], s);
      }
      c[ci + j] = accumulate ? c[ci + j] + s : s;
    }
  }

  /**
   * The whole vectors of {@link #outerRow} from column j0, with fma, four rows of B at a time: each
   * step reads four rows of B from left to right, streams the hardware prefetchers follow. (Strips of
   * eight vectors that walked down B's columns, a row and often a page apart at every step of p, ran
   * at 0.53–0.72× of OpenBLAS HASWELL at 1×1024×1024 on JDK 17, 18–25 GFLOPS; this at 0.79–1.09×,
   * 31–37 GFLOPS, in the same runs; docs/benchmarks.md.)
   * The partial sums wait in a per-thread row buffer: each element still gets one fma per p, in order
   * of p, from zero, and then C is added, so the bits are those of the strips. Returns the column after
   * the whole vectors.
   */
  private static int rowBlocksFma(int j0, int n, int k, float[] a, int ai, int aps, float[] b,
      int bOff, int ldb, float[] c, int ci, boolean accumulate) {
    int w = (n - j0) / V * V;
    if (w == 0) {
      return j0;
    }
    float[] t = zeroedRow(w);
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      FloatVector x0 = FloatVector.broadcast(S, a[ai + p * aps]);
      FloatVector x1 = FloatVector.broadcast(S, a[ai + (p + 1) * aps]);
      FloatVector x2 = FloatVector.broadcast(S, a[ai + (p + 2) * aps]);
      FloatVector x3 = FloatVector.broadcast(S, a[ai + (p + 3) * aps]);
      int r0 = bOff + p * ldb + j0;
      int r1 = r0 + ldb;
      int r2 = r1 + ldb;
      int r3 = r2 + ldb;
      for (int j = 0; j < w; j += V) {
        FloatVector s = FloatVector.fromArray(S, t, j);
        s = x0.fma(FloatVector.fromArray(S, b, r0 + j), s);
        s = x1.fma(FloatVector.fromArray(S, b, r1 + j), s);
        s = x2.fma(FloatVector.fromArray(S, b, r2 + j), s);
        s = x3.fma(FloatVector.fromArray(S, b, r3 + j), s);
        s.intoArray(t, j);
      }
    }
    for (; p < k; p++) {
      FloatVector x = FloatVector.broadcast(S, a[ai + p * aps]);
      int r = bOff + p * ldb + j0;
      for (int j = 0; j < w; j += V) {
        x.fma(FloatVector.fromArray(S, b, r + j), FloatVector.fromArray(S, t, j)).intoArray(t, j);
      }
    }
    addRow(t, w, c, ci + j0, accumulate);
    return j0 + w;
  }

  /** {@link #rowBlocksFma} with a multiply and an add. */
  private static int rowBlocksMul(int j0, int n, int k, float[] a, int ai, int aps, float[] b,
      int bOff, int ldb, float[] c, int ci, boolean accumulate) {
    int w = (n - j0) / V * V;
    if (w == 0) {
      return j0;
    }
    float[] t = zeroedRow(w);
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      FloatVector x0 = FloatVector.broadcast(S, a[ai + p * aps]);
      FloatVector x1 = FloatVector.broadcast(S, a[ai + (p + 1) * aps]);
      FloatVector x2 = FloatVector.broadcast(S, a[ai + (p + 2) * aps]);
      FloatVector x3 = FloatVector.broadcast(S, a[ai + (p + 3) * aps]);
      int r0 = bOff + p * ldb + j0;
      int r1 = r0 + ldb;
      int r2 = r1 + ldb;
      int r3 = r2 + ldb;
      for (int j = 0; j < w; j += V) {
        FloatVector s = FloatVector.fromArray(S, t, j);
        s = x0.mul(FloatVector.fromArray(S, b, r0 + j)).add(s);
        s = x1.mul(FloatVector.fromArray(S, b, r1 + j)).add(s);
        s = x2.mul(FloatVector.fromArray(S, b, r2 + j)).add(s);
        s = x3.mul(FloatVector.fromArray(S, b, r3 + j)).add(s);
        s.intoArray(t, j);
      }
    }
    for (; p < k; p++) {
      FloatVector x = FloatVector.broadcast(S, a[ai + p * aps]);
      int r = bOff + p * ldb + j0;
      for (int j = 0; j < w; j += V) {
        x.mul(FloatVector.fromArray(S, b, r + j)).add(FloatVector.fromArray(S, t, j)).intoArray(t, j);
      }
    }
    addRow(t, w, c, ci + j0, accumulate);
    return j0 + w;
  }

  /** This thread's row buffer, its first w floats zero. */
  private static float[] zeroedRow(int w) {
    float[] t = BUFFERS.get().row(w);
    java.util.Arrays.fill(t, 0, w, 0f);
    return t;
  }

  /** C[cj..cj+w) = t[0..w), or C + t when accumulating; w a multiple of V. */
  private static void addRow(float[] t, int w, float[] c, int cj, boolean accumulate) {
    for (int j = 0; j < w; j += V) {
      FloatVector s = FloatVector.fromArray(S, t, j);
      if (accumulate) {
        s = FloatVector.fromArray(S, c, cj + j).add(s);
      }
      s.intoArray(c, cj + j);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Micro-kernels, one per register budget (the plan's rows), each with fma and with a multiply and an
  // add. They are separate methods, not one loop per setting in one method: a method twice the size
  // exceeds what C1 can register-allocate ("out of virtual registers"), and a failed tier-3 compile can
  // leave the kernel in tier-2 code for the life of the JVM, where every vector is a heap object.

  /** The 8×2V register tile: 16 accumulators, C[8×2V] (+)= Ap[8×kc]·Bp[kc×2V]. */
  private static void kernel8(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S); FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S); FloatVector c71 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 8;
      int bi = bBase + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = a6.fma(b0, c60);
      c61 = a6.fma(b1, c61);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = a7.fma(b0, c70);
      c71 = a7.fma(b1, c71);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + V);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + V);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + V);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /** {@link #kernel8} with a multiply and an add in place of each fma. */
  private static void kernel8Mul(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S); FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S); FloatVector c71 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 8;
      int bi = bBase + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.mul(b0).add(c00);
      c01 = a0.mul(b1).add(c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.mul(b0).add(c10);
      c11 = a1.mul(b1).add(c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.mul(b0).add(c20);
      c21 = a2.mul(b1).add(c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.mul(b0).add(c30);
      c31 = a3.mul(b1).add(c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.mul(b0).add(c40);
      c41 = a4.mul(b1).add(c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.mul(b0).add(c50);
      c51 = a5.mul(b1).add(c51);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = a6.mul(b0).add(c60);
      c61 = a6.mul(b1).add(c61);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = a7.mul(b0).add(c70);
      c71 = a7.mul(b1).add(c71);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + V);
    c60.intoArray(tile, 6 * NR);
    c61.intoArray(tile, 6 * NR + V);
    c70.intoArray(tile, 7 * NR);
    c71.intoArray(tile, 7 * NR + V);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /**
   * The 8×V tile for a last column panel that is at most one vector wide: half the work of
   * {@link #kernel8} on the same packed panel (it reads the first V columns of each row of it).
   */
  private static void kernel8x1(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S);
    FloatVector c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S);
    FloatVector c5 = FloatVector.zero(S);
    FloatVector c6 = FloatVector.zero(S);
    FloatVector c7 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bBase + p * NR);
      c0 = FloatVector.broadcast(S, ap[ai + 0]).fma(b0, c0);
      c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
      c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
      c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
      c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b0, c4);
      c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b0, c5);
      c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b0, c6);
      c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b0, c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    c4.intoArray(tile, 4 * NR);
    c5.intoArray(tile, 5 * NR);
    c6.intoArray(tile, 6 * NR);
    c7.intoArray(tile, 7 * NR);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /** {@link #kernel8x1} with a multiply and an add in place of each fma. */
  private static void kernel8x1Mul(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S);
    FloatVector c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S);
    FloatVector c5 = FloatVector.zero(S);
    FloatVector c6 = FloatVector.zero(S);
    FloatVector c7 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bBase + p * NR);
      c0 = FloatVector.broadcast(S, ap[ai + 0]).mul(b0).add(c0);
      c1 = FloatVector.broadcast(S, ap[ai + 1]).mul(b0).add(c1);
      c2 = FloatVector.broadcast(S, ap[ai + 2]).mul(b0).add(c2);
      c3 = FloatVector.broadcast(S, ap[ai + 3]).mul(b0).add(c3);
      c4 = FloatVector.broadcast(S, ap[ai + 4]).mul(b0).add(c4);
      c5 = FloatVector.broadcast(S, ap[ai + 5]).mul(b0).add(c5);
      c6 = FloatVector.broadcast(S, ap[ai + 6]).mul(b0).add(c6);
      c7 = FloatVector.broadcast(S, ap[ai + 7]).mul(b0).add(c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    c4.intoArray(tile, 4 * NR);
    c5.intoArray(tile, 5 * NR);
    c6.intoArray(tile, 6 * NR);
    c7.intoArray(tile, 7 * NR);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /** The 6×2V register tile: 12 accumulators, C[6×2V] (+)= Ap[6×kc]·Bp[kc×2V]. */
  private static void kernel6(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 6;
      int bi = bBase + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + V);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /** {@link #kernel6} with a multiply and an add in place of each fma. */
  private static void kernel6Mul(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S); FloatVector c51 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = aBase + p * 6;
      int bi = bBase + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.mul(b0).add(c00);
      c01 = a0.mul(b1).add(c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.mul(b0).add(c10);
      c11 = a1.mul(b1).add(c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.mul(b0).add(c20);
      c21 = a2.mul(b1).add(c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.mul(b0).add(c30);
      c31 = a3.mul(b1).add(c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.mul(b0).add(c40);
      c41 = a4.mul(b1).add(c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.mul(b0).add(c50);
      c51 = a5.mul(b1).add(c51);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
    c50.intoArray(tile, 5 * NR);
    c51.intoArray(tile, 5 * NR + V);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /**
   * The 5×2V tile of 256-bit, 16-register files with FMA (AVX2), leaving the tile in {@code tile} for
   * the caller to flush: 10 accumulators, two vectors of B and the broadcasts, 13–16 registers. Ten
   * independent fma chains keep two fma units busy through a 4-cycle latency with slack, where the
   * 4-row tile's eight leave none (a loop of independent fmas ran at 87–94 GFLOPS with 8 chains and
   * 97–104 with 10 under {@code -XX:UseAVX=2}). Always a whole tile: {@link #fiveRowTiles} leaves the
   * partial ones to {@link #kernel4}.
   *
   * <p>The panel is read as {@link #packFiveRowPanels} writes it, with three running indices: four rows
   * of A at 4 floats per step, the fifth row at 1, B at NR. Three forms were measured
   * (docs/benchmarks.md, 2026-12-02):
   * <ul>
   *   <li>A panels of 5 floats per step, with the flush inlined or in the caller: JDK 17 trained
   *       Fashion-MNIST at half speed in 4 of 21, 1 of 20 and 4 of 17 fresh JVMs; their compilation
   *       of this loop kept an accumulator on the stack, the fast ones the same bytecode in registers;
   *   <li>one counter p with every index a shift of it (A at 4p and at p, B at 16p), which leaves no
   *       bounds test in the loop: JDK 25 then issues all five broadcasts ahead of their fmas and
   *       spills an accumulator (42 GFLOPS), and JDK 17 is no faster than with 4 rows;
   *   <li>this one: 40 of 40 JDK 17 JVMs trained at full speed, none of the 20 disassembled kept an
   *       accumulator on the stack, and JDK 25 keeps all ten in registers.
   * </ul>
   */
  private static void kernel5(int kc, float[] ap, int aBase, float[] bp, int bBase, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S); FloatVector c41 = FloatVector.zero(S);
    int fifth = aBase + 4 * kc;
    for (int ai = aBase, a5 = fifth, bi = bBase; ai < fifth; ai += 4, a5++, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[a5]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    c40.intoArray(tile, 4 * NR);
    c41.intoArray(tile, 4 * NR + V);
  }

  /**
   * The 4×2V register tile of 16-register files (and of the last rows of the 5-row plan's blocks): 8
   * accumulators, C[4×2V] (+)= Ap[4×kc]·Bp[kc×2V]. The loop walks the panels with two running indices
   * rather than p·4 and p·NR, which C2 recomputes from p at every step.
   */
  private static void kernel4(int kc, float[] ap, int aBase, float[] bp, int bBase,
      float[] c, int ci, int ldc, int mValid, int nValid, boolean overwrite, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    for (int ai = aBase, bi = bBase, end = aBase + 4 * kc; ai < end; ai += 4, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
    flushTile(tile, c, ci, ldc, mValid, nValid, overwrite);
  }

  /**
   * {@link #kernel4} with a multiply and an add in place of each fma, leaving the tile in {@code tile}
   * for the caller to flush. The order of the instructions depends on the JIT ({@link #MUL_IN_PAIRS}).
   * The flush is the caller's so that how C2 compiles this loop does not depend on the flush's branch
   * profile: with the flush inlined here, JDK 25 ran SSE at 15–17 GFLOPS in three JVMs of three, and
   * without it at 19–28, as before the paired order was added.
   */
  private static void kernel4Mul(int kc, float[] ap, int aBase, float[] bp, int bBase, float[] tile) {
    FloatVector c00 = FloatVector.zero(S); FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S); FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S); FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S); FloatVector c31 = FloatVector.zero(S);
    for (int ai = aBase, bi = bBase, end = aBase + 4 * kc; ai < end; ai += 4, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + V);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      if (MUL_IN_PAIRS) {
        FloatVector p00 = a0.mul(b0);
        FloatVector p01 = a0.mul(b1);
        FloatVector p10 = a1.mul(b0);
        FloatVector p11 = a1.mul(b1);
        c00 = c00.add(p00);
        c01 = c01.add(p01);
        c10 = c10.add(p10);
        c11 = c11.add(p11);
      } else {
        c00 = a0.mul(b0).add(c00);
        c01 = a0.mul(b1).add(c01);
        c10 = a1.mul(b0).add(c10);
        c11 = a1.mul(b1).add(c11);
      }
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      if (MUL_IN_PAIRS) {
        FloatVector p20 = a2.mul(b0);
        FloatVector p21 = a2.mul(b1);
        FloatVector p30 = a3.mul(b0);
        FloatVector p31 = a3.mul(b1);
        c20 = c20.add(p20);
        c21 = c21.add(p21);
        c30 = c30.add(p30);
        c31 = c31.add(p31);
      } else {
        c20 = a2.mul(b0).add(c20);
        c21 = a2.mul(b1).add(c21);
        c30 = a3.mul(b0).add(c30);
        c31 = a3.mul(b1).add(c31);
      }
    }
    c00.intoArray(tile, 0 * NR);
    c01.intoArray(tile, 0 * NR + V);
    c10.intoArray(tile, 1 * NR);
    c11.intoArray(tile, 1 * NR + V);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + V);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + V);
  }
}
