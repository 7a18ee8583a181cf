package dev.topiary.kernels.impl;

import static dev.topiary.kernels.impl.MulAdd.fma;

import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Parallelism;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels written with the incubating Vector API, for the preferred float species of the CPU.
 * GEMM is in {@link VectorGemm}, activations and softmax in {@link VectorActivations}; this class holds
 * the reductions and updates. Loaded only reflectively by {@link KernelSelection}, after it checked that
 * the module is present and the VM can compile vector code.
 *
 * <p>Reductions keep four independent vector accumulators (hiding the add/fma latency) and finish with
 * a scalar tail; the lane order of {@code reduceLanes} makes results differ from the scalar kernels by
 * rounding only.
 */
public final class VectorKernels implements KernelProvider {

  static final VectorSpecies<Float> S = FloatLanes.SPECIES;
  static final int V = S.length();
  /** Whether a·b + c is one fused multiply-add; each vector a·b + c is spelled out (see {@link MulAdd}). */
  private static final boolean FUSED = MulAdd.FUSED;
  /** Whether vector square roots are compiled ({@link CpuFeatures#vectorCompares()}). */
  private static final boolean COMPARES = CpuFeatures.current().vectorCompares();
  /** Elements reduced in float before being added to a double sum in {@link #sumOfSquares}. */
  private static final int SQUARES_BLOCK = 1024;

  private final GemmPlan gemmPlan;

  /**
   * The kernels with the GEMM plan chosen for this JVM's register file and FMA support.
   *
   * @throws UnsupportedOperationException when the CPU's preferred float vector is below 128 bits
   */
  public VectorKernels() {
    this(null);
  }

  /**
   * The kernels with the given GEMM plan (register tile, blocking, FMA or multiply-add), for tests and
   * benchmarks that exercise every plan on one host; null for this JVM's.
   *
   * @throws UnsupportedOperationException when the CPU's preferred float vector is below 128 bits
   */
  public VectorKernels(GemmPlan gemmPlan) {
    this.gemmPlan = gemmPlan != null ? gemmPlan : VectorGemm.HOST;
    if (S.vectorBitSize() < 128) {
      throw new UnsupportedOperationException(
          "the preferred float vector has " + S.vectorBitSize() + " bits; at least 128 are needed");
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public String gemmPlan() {
    return gemmPlan.name();
  }

  @Override
  public int vectorBitSize() {
    return S.vectorBitSize();
  }

  @Override
  public boolean fusedMultiplyAdd() {
    return MulAdd.FUSED;
  }

  @Override
  public void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    VectorGemm.gemm(gemmPlan, VectorGemm.NT, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  @Override
  public void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    VectorGemm.gemm(gemmPlan, VectorGemm.NN, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  @Override
  public void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    VectorGemm.gemm(gemmPlan, VectorGemm.TN, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  @Override
  public void biasActivate(Activation act, int rows, int cols, float[] bias, int biasOff, float[] y,
      int yOff, int ld) {
    VectorActivations.biasActivate(act, rows, cols, bias, biasOff, y, yOff, ld);
  }

  @Override
  public void activate(Activation act, int n, float[] z, int zOff, float[] h, int hOff) {
    VectorActivations.activate(act, n, z, zOff, h, hOff);
  }

  @Override
  public void activationBackward(Activation act, int n, float[] z, int zOff, float[] h, int hOff,
      float[] dh, int dhOff, float[] dz, int dzOff) {
    VectorActivations.backward(act, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff);
  }

  @Override
  public void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    VectorActivations.softmaxRows(rows, cols, x, xOff, y, yOff, false);
  }

  @Override
  public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    VectorActivations.softmaxRows(rows, cols, x, xOff, y, yOff, true);
  }

  @Override
  public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    int i = 0;
    int n4 = n - 4 * V;
    for (; i <= n4; i += 4 * V) {
      FloatVector a0 = FloatVector.fromArray(S, a, aOff + i);
      FloatVector a1 = FloatVector.fromArray(S, a, aOff + i + V);
      FloatVector a2 = FloatVector.fromArray(S, a, aOff + i + 2 * V);
      FloatVector a3 = FloatVector.fromArray(S, a, aOff + i + 3 * V);
      FloatVector b0 = FloatVector.fromArray(S, b, bOff + i);
      FloatVector b1 = FloatVector.fromArray(S, b, bOff + i + V);
      FloatVector b2 = FloatVector.fromArray(S, b, bOff + i + 2 * V);
      FloatVector b3 = FloatVector.fromArray(S, b, bOff + i + 3 * V);
      s0 = FUSED ? a0.fma(b0, s0) : a0.mul(b0).add(s0);
      s1 = FUSED ? a1.fma(b1, s1) : a1.mul(b1).add(s1);
      s2 = FUSED ? a2.fma(b2, s2) : a2.mul(b2).add(s2);
      s3 = FUSED ? a3.fma(b3, s3) : a3.mul(b3).add(s3);
    }
    int nb = S.loopBound(n);
    for (; i < nb; i += V) {
      FloatVector a0 = FloatVector.fromArray(S, a, aOff + i);
      FloatVector b0 = FloatVector.fromArray(S, b, bOff + i);
      s0 = FUSED ? a0.fma(b0, s0) : a0.mul(b0).add(s0);
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s = fma(a[aOff + i], b[bOff + i], s);
    }
    return s;
  }

  @Override
  public float sum(int n, float[] a, int aOff) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    int i = 0;
    int n4 = n - 4 * V;
    for (; i <= n4; i += 4 * V) {
      s0 = s0.add(FloatVector.fromArray(S, a, aOff + i));
      s1 = s1.add(FloatVector.fromArray(S, a, aOff + i + V));
      s2 = s2.add(FloatVector.fromArray(S, a, aOff + i + 2 * V));
      s3 = s3.add(FloatVector.fromArray(S, a, aOff + i + 3 * V));
    }
    int nb = S.loopBound(n);
    for (; i < nb; i += V) {
      s0 = s0.add(FloatVector.fromArray(S, a, aOff + i));
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += a[aOff + i];
    }
    return s;
  }

  /** Squares summed in float over blocks of {@value #SQUARES_BLOCK}, the block sums in double. */
  @Override
  public double sumOfSquares(int n, float[] a, int aOff) {
    double total = 0.0;
    for (int start = 0; start < n; start += SQUARES_BLOCK) {
      int len = Math.min(SQUARES_BLOCK, n - start);
      total += dot(len, a, aOff + start, a, aOff + start);
    }
    return total;
  }

  @Override
  public void sumColumns(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    columnReduce(0, rows, cols, a, aOff, ld, out, outOff, accumulate);
  }

  @Override
  public void sumRows(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      out[outOff + i] = sum(cols, a, aOff + i * ld);
    }
  }

  @Override
  public void rowNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      out[outOff + i] = p == 1 ? absSum(cols, a, ai) : (float) Math.sqrt(dot(cols, a, ai, a, ai));
    }
  }

  private static float absSum(int n, float[] a, int aOff) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    int i = 0;
    int n2 = n - 2 * V;
    for (; i <= n2; i += 2 * V) {
      s0 = s0.add(FloatVector.fromArray(S, a, aOff + i).abs());
      s1 = s1.add(FloatVector.fromArray(S, a, aOff + i + V).abs());
    }
    int nb = S.loopBound(n);
    for (; i < nb; i += V) {
      s0 = s0.add(FloatVector.fromArray(S, a, aOff + i).abs());
    }
    float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += Math.abs(a[aOff + i]);
    }
    return s;
  }

  @Override
  public void columnNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out,
      int outOff) {
    columnReduce(p, rows, cols, a, aOff, ld, out, outOff, false);
    if (p == 2) {
      int nb = COMPARES ? S.loopBound(cols) : 0;
      int j = 0;
      for (; j < nb; j += V) {
        FloatVector.fromArray(S, out, outOff + j).sqrt().intoArray(out, outOff + j);
      }
      for (; j < cols; j++) {
        out[outOff + j] = (float) Math.sqrt(out[outOff + j]);
      }
    }
  }

  /**
   * out[j] (+)= Σ_i f(A[i, j]) with f = identity (p = 0), |·| (p = 1) or square (p = 2): column blocks of
   * four vectors held in registers while the rows stream past, then the last columns (fewer than four
   * vectors) row by row in plain Java. One method per f, so no accumulator is chosen by a branch inside
   * the loop. There used to be one- and two-vector loops for the last columns too; in some JVMs C2
   * compiled one of those with its accumulators boxed (the intrinsic for the store after the loop
   * found the vector's class unresolved, "missing constant" under -XX:+PrintIntrinsics), so the
   * kernel allocated on every call for the life of the JVM. Seen at 128 and 512 bits on JDK 17.
   */
  private static void columnReduce(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out,
      int outOff, boolean accumulate) {
    if (p == 0) {
      columnSums(rows, cols, a, aOff, ld, out, outOff, accumulate);
    } else if (p == 1) {
      columnAbsSums(rows, cols, a, aOff, ld, out, outOff, accumulate);
    } else {
      columnSquareSums(rows, cols, a, aOff, ld, out, outOff, accumulate);
    }
  }

  /** out[j] (+)= Σ_i A[i, j]. */
  private static void columnSums(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    int j = 0;
    for (; j + 4 * V <= cols; j += 4 * V) {
      columnSumsBlock(rows, a, aOff + j, ld, out, outOff + j, accumulate);
    }
    // The last columns (fewer than four vectors) row by row, reading memory in order. Each column is
    // summed in row order, as in a lane of the vector loop, so it gets the same bits either way.
    if (j < cols) {
      int o = outOff;
      if (!accumulate) {
        java.util.Arrays.fill(out, o + j, o + cols, 0f);
      }
      for (int i = 0; i < rows; i++) {
        int ai = aOff + i * ld;
        for (int c = j; c < cols; c++) {
          out[o + c] += a[ai + c];
        }
      }
    }
  }

  /**
   * Columns 0..4V−1 of {@link #columnSums}, A and out offset to the block. A method of its own, for the
   * reason given at {@link #shiftedColumnBlock}.
   */
  private static void columnSumsBlock(int rows, float[] a, int aOff, int ld, float[] out, int o,
      boolean accumulate) {
    FloatVector s0 = accumulate ? FloatVector.fromArray(S, out, o) : FloatVector.zero(S);
    FloatVector s1 = accumulate ? FloatVector.fromArray(S, out, o + V) : FloatVector.zero(S);
    FloatVector s2 = accumulate ? FloatVector.fromArray(S, out, o + 2 * V) : FloatVector.zero(S);
    FloatVector s3 = accumulate ? FloatVector.fromArray(S, out, o + 3 * V) : FloatVector.zero(S);
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      FloatVector x0 = FloatVector.fromArray(S, a, ai);
      FloatVector x1 = FloatVector.fromArray(S, a, ai + V);
      FloatVector x2 = FloatVector.fromArray(S, a, ai + 2 * V);
      FloatVector x3 = FloatVector.fromArray(S, a, ai + 3 * V);
      s0 = s0.add(x0);
      s1 = s1.add(x1);
      s2 = s2.add(x2);
      s3 = s3.add(x3);
    }
    s0.intoArray(out, o);
    s1.intoArray(out, o + V);
    s2.intoArray(out, o + 2 * V);
    s3.intoArray(out, o + 3 * V);
  }

  /** out[j] (+)= Σ_i |A[i, j]|. */
  private static void columnAbsSums(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    int j = 0;
    for (; j + 4 * V <= cols; j += 4 * V) {
      columnAbsSumsBlock(rows, a, aOff + j, ld, out, outOff + j, accumulate);
    }
    // The last columns (fewer than four vectors) row by row, reading memory in order. Each column is
    // summed in row order, as in a lane of the vector loop, so it gets the same bits either way.
    if (j < cols) {
      int o = outOff;
      if (!accumulate) {
        java.util.Arrays.fill(out, o + j, o + cols, 0f);
      }
      for (int i = 0; i < rows; i++) {
        int ai = aOff + i * ld;
        for (int c = j; c < cols; c++) {
          out[o + c] += Math.abs(a[ai + c]);
        }
      }
    }
  }

  /**
   * Columns 0..4V−1 of {@link #columnAbsSums}, A and out offset to the block. A method of its own, for the
   * reason given at {@link #shiftedColumnBlock}.
   */
  private static void columnAbsSumsBlock(int rows, float[] a, int aOff, int ld, float[] out, int o,
      boolean accumulate) {
    FloatVector s0 = accumulate ? FloatVector.fromArray(S, out, o) : FloatVector.zero(S);
    FloatVector s1 = accumulate ? FloatVector.fromArray(S, out, o + V) : FloatVector.zero(S);
    FloatVector s2 = accumulate ? FloatVector.fromArray(S, out, o + 2 * V) : FloatVector.zero(S);
    FloatVector s3 = accumulate ? FloatVector.fromArray(S, out, o + 3 * V) : FloatVector.zero(S);
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      FloatVector x0 = FloatVector.fromArray(S, a, ai);
      FloatVector x1 = FloatVector.fromArray(S, a, ai + V);
      FloatVector x2 = FloatVector.fromArray(S, a, ai + 2 * V);
      FloatVector x3 = FloatVector.fromArray(S, a, ai + 3 * V);
      s0 = s0.add(x0.abs());
      s1 = s1.add(x1.abs());
      s2 = s2.add(x2.abs());
      s3 = s3.add(x3.abs());
    }
    s0.intoArray(out, o);
    s1.intoArray(out, o + V);
    s2.intoArray(out, o + 2 * V);
    s3.intoArray(out, o + 3 * V);
  }

  /** out[j] (+)= Σ_i A[i, j]². */
  private static void columnSquareSums(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    int j = 0;
    for (; j + 4 * V <= cols; j += 4 * V) {
      columnSquareSumsBlock(rows, a, aOff + j, ld, out, outOff + j, accumulate);
    }
    // The last columns (fewer than four vectors) row by row, reading memory in order. Each column is
    // summed in row order, as in a lane of the vector loop, so it gets the same bits either way.
    if (j < cols) {
      int o = outOff;
      if (!accumulate) {
        java.util.Arrays.fill(out, o + j, o + cols, 0f);
      }
      for (int i = 0; i < rows; i++) {
        int ai = aOff + i * ld;
        for (int c = j; c < cols; c++) {
          out[o + c] = fma(a[ai + c], a[ai + c], out[o + c]);
        }
      }
    }
  }

  /**
   * Columns 0..4V−1 of {@link #columnSquareSums}, A and out offset to the block. A method of its own, for the
   * reason given at {@link #shiftedColumnBlock}.
   */
  private static void columnSquareSumsBlock(int rows, float[] a, int aOff, int ld, float[] out, int o,
      boolean accumulate) {
    FloatVector s0 = accumulate ? FloatVector.fromArray(S, out, o) : FloatVector.zero(S);
    FloatVector s1 = accumulate ? FloatVector.fromArray(S, out, o + V) : FloatVector.zero(S);
    FloatVector s2 = accumulate ? FloatVector.fromArray(S, out, o + 2 * V) : FloatVector.zero(S);
    FloatVector s3 = accumulate ? FloatVector.fromArray(S, out, o + 3 * V) : FloatVector.zero(S);
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      FloatVector x0 = FloatVector.fromArray(S, a, ai);
      FloatVector x1 = FloatVector.fromArray(S, a, ai + V);
      FloatVector x2 = FloatVector.fromArray(S, a, ai + 2 * V);
      FloatVector x3 = FloatVector.fromArray(S, a, ai + 3 * V);
      s0 = FUSED ? x0.fma(x0, s0) : x0.mul(x0).add(s0);
      s1 = FUSED ? x1.fma(x1, s1) : x1.mul(x1).add(s1);
      s2 = FUSED ? x2.fma(x2, s2) : x2.mul(x2).add(s2);
      s3 = FUSED ? x3.fma(x3, s3) : x3.mul(x3).add(s3);
    }
    s0.intoArray(out, o);
    s1.intoArray(out, o + V);
    s2.intoArray(out, o + 2 * V);
    s3.intoArray(out, o + 3 * V);
  }

  /**
   * The scalar loop. A vector version (half a preferred float vector widened to doubles, subtracted,
   * divided and narrowed back, bit for bit this loop) ran six times faster on x86 with JDK 17, where C2
   * spells each float-to-double conversion as a {@code vcvtss2sd} that also reads its destination
   * register and so chains every element to the division before it. It is not used: its conversions
   * share the Vector API's conversion and reinterpretation code with the activation kernels' {@code
   * reinterpretAsInts}, and in some JVMs tanh and GELU then allocated at every call (the steady-state
   * allocation test under {@code -XX:UseAVX=2}). A half-width float species instead halved the GEMM.
   */
  @Override
  public void standardize(int rows, int cols, float[] src, int srcOff, float[] mean, float[] scale,
      float[] dst, int dstOff) {
    ScalarKernels.standardizeRows(rows, cols, src, srcOff, mean, scale, dst, dstOff);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      (FUSED ? va.fma(xv, yv) : va.mul(xv).add(yv)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
    }
    for (; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v,
      int vOff, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      float c1, float c2) {
    float b1c = 1f - beta1;
    float b2c = 1f - beta2;
    float l2 = decoupled ? 0f : weightDecay;
    float wd = decoupled ? weightDecay : 0f;
    FloatVector vl2 = FloatVector.broadcast(S, l2);
    // The step needs a vector square root, which C2 does not compile on SSE-only x86 (COMPARES).
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector w = FloatVector.fromArray(S, p, pOff + i);
      FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
      FloatVector gi = FUSED ? w.fma(vl2, gv) : w.mul(vl2).add(gv);
      FloatVector mi = FloatVector.fromArray(S, m, mOff + i).mul(beta1).add(gi.mul(b1c));
      FloatVector vi = FloatVector.fromArray(S, v, vOff + i).mul(beta2).add(gi.mul(gi).mul(b2c));
      mi.intoArray(m, mOff + i);
      vi.intoArray(v, vOff + i);
      FloatVector step = mi.mul(c1).div(vi.mul(c2).sqrt().add(eps)).add(w.mul(wd));
      w.sub(step.mul(lr)).intoArray(p, pOff + i);
    }
    for (; i < n; i++) {
      float w = p[pOff + i];
      float gi = fma(w, l2, g[gOff + i]);
      float mi = beta1 * m[mOff + i] + b1c * gi;
      float vi = beta2 * v[vOff + i] + b2c * (gi * gi);
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      float step = mi * c1 / ((float) Math.sqrt(vi * c2) + eps) + w * wd;
      p[pOff + i] = w - step * lr;
    }
  }

  @Override
  public void shiftedColumnSums(int rows, int cols, float[] a, int aOff, int ld, float[] shift,
      float[] s1, float[] s2) {
    int j = 0;
    for (; j + 4 * V <= cols; j += 4 * V) {
      shiftedColumnBlock(rows, a, aOff + j, ld, shift, s1, s2, j);
    }
    // Fewer than 4V columns left: walk them row by row, so memory is read in order rather than one
    // strided column at a time (see columnReduce for why there is no narrower vector loop).
    if (j < cols) {
      for (int i = 0; i < rows; i++) {
        int ai = aOff + i * ld;
        for (int c = j; c < cols; c++) {
          float d = a[ai + c] - shift[c];
          s1[c] += d;
          s2[c] = fma(d, d, s2[c]);
        }
      }
    }
  }

  /**
   * Columns j..j+4V−1 of {@link #shiftedColumnSums}, four vectors of columns at a time: eight
   * independent accumulator chains hide the add latency, and each element of the block is loaded once.
   *
   * <p>The loop over rows is in a method of its own, not nested in the loop over column blocks. When
   * the nested form ran long enough to be compiled on stack replacement inside its inner loop, JDK 17's
   * C2 code sometimes failed a range check it had hoisted for the stores after that loop (in bounds
   * every time: the interpreter then ran them). That trap is counted against {@code
   * Objects.checkIndex}, which every Vector API load and store calls, and C2 stops treating that call as
   * a range check in every method it compiles afterwards: the loops of the GEMM kernels then kept a
   * bounds test per load, and the 6-row kernel spilled (docs/benchmarks.md, 2026-12-02). One loop per
   * method leaves no outer loop to hoist out of.
   */
  private static void shiftedColumnBlock(int rows, float[] a, int aOff, int ld, float[] shift,
      float[] s1, float[] s2, int j) {
    FloatVector sh0 = FloatVector.fromArray(S, shift, j);
    FloatVector sh1 = FloatVector.fromArray(S, shift, j + V);
    FloatVector sh2 = FloatVector.fromArray(S, shift, j + 2 * V);
    FloatVector sh3 = FloatVector.fromArray(S, shift, j + 3 * V);
    FloatVector a0 = FloatVector.fromArray(S, s1, j);
    FloatVector a1 = FloatVector.fromArray(S, s1, j + V);
    FloatVector a2 = FloatVector.fromArray(S, s1, j + 2 * V);
    FloatVector a3 = FloatVector.fromArray(S, s1, j + 3 * V);
    FloatVector q0 = FloatVector.fromArray(S, s2, j);
    FloatVector q1 = FloatVector.fromArray(S, s2, j + V);
    FloatVector q2 = FloatVector.fromArray(S, s2, j + 2 * V);
    FloatVector q3 = FloatVector.fromArray(S, s2, j + 3 * V);
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      FloatVector d0 = FloatVector.fromArray(S, a, ai).sub(sh0);
      FloatVector d1 = FloatVector.fromArray(S, a, ai + V).sub(sh1);
      FloatVector d2 = FloatVector.fromArray(S, a, ai + 2 * V).sub(sh2);
      FloatVector d3 = FloatVector.fromArray(S, a, ai + 3 * V).sub(sh3);
      a0 = a0.add(d0);
      a1 = a1.add(d1);
      a2 = a2.add(d2);
      a3 = a3.add(d3);
      q0 = FUSED ? d0.fma(d0, q0) : d0.mul(d0).add(q0);
      q1 = FUSED ? d1.fma(d1, q1) : d1.mul(d1).add(q1);
      q2 = FUSED ? d2.fma(d2, q2) : d2.mul(d2).add(q2);
      q3 = FUSED ? d3.fma(d3, q3) : d3.mul(d3).add(q3);
    }
    a0.intoArray(s1, j);
    a1.intoArray(s1, j + V);
    a2.intoArray(s1, j + 2 * V);
    a3.intoArray(s1, j + 3 * V);
    q0.intoArray(s2, j);
    q1.intoArray(s2, j + V);
    q2.intoArray(s2, j + 2 * V);
    q3.intoArray(s2, j + 3 * V);
  }
}
