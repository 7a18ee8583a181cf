package dev.topiary.kernels;

import dev.topiary.kernels.impl.KernelProvider;
import dev.topiary.kernels.impl.KernelSelection;

/**
 * The float kernels every hot loop of Topiary runs on. Static methods on plain {@code float[]} arrays with
 * offsets; matrices are row-major, with an explicit leading dimension (distance between consecutive
 * rows) where a sub-matrix may be wanted.
 *
 * <p>Each method checks its arguments once, here, and throws {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException} with the offending sizes; the implementation behind it (Vector API or
 * plain Java, see {@link #implementation()}) is chosen at first use and logged once through
 * {@link System.Logger} (logger {@code dev.topiary.kernels}): at INFO when the plain-Java kernels are a
 * fallback (the Vector API was not usable and nobody forced scalar), else at DEBUG. The system property
 * {@code topiary.kernels} ({@code vector}, {@code scalar}, {@code auto}) forces the choice; {@code topiary.threads} sets the default thread count for large GEMMs.
 *
 * <p>All methods are safe to call from several threads at once on disjoint outputs.
 */
public final class Kernels {

  private static final System.Logger LOG = System.getLogger("dev.topiary.kernels");

  private Kernels() {}

  private static final class Holder {
    static final KernelProvider PROVIDER;

    static {
      KernelSelection.Choice c = KernelSelection.select();
      PROVIDER = c.provider();
      // Quiet start: an embedder hears from Topiary only when the SIMD kernels could not be used although
      // nobody asked for the plain-Java ones; the choice itself is a DEBUG line.
      boolean fallback = !KernelSelection.isForcedScalar() && PROVIDER.vectorBitSize() == 0;
      LOG.log(fallback ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "Topiary kernels: {0} ({1})",
          PROVIDER.name(), c.reason());
    }
  }

  private static volatile Parallelism parallelism = Parallelism.shared(defaultThreads());

  private static int defaultThreads() {
    String p = System.getProperty("topiary.threads");
    if (p != null) {
      try {
        int t = Integer.parseInt(p.trim());
        if (t >= 1) {
          return t;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the processor count
      }
      throw new IllegalArgumentException("-Dtopiary.threads must be a positive integer, found '" + p + "'");
    }
    return Runtime.getRuntime().availableProcessors();
  }

  static KernelProvider provider() {
    return Holder.PROVIDER;
  }

  /** Name of the active implementation: {@code "vector"} or {@code "scalar"}. */
  public static String implementation() {
    return Holder.PROVIDER.name();
  }

  /**
   * The active GEMM's register tile and cache blocking ({@code 256-bit, 16 registers, 5x16 tile, fma,
   * kc=512}, with the caches it was blocked for where Linux reports them); empty for the scalar kernels.
   */
  public static String gemmPlan() {
    return Holder.PROVIDER.gemmPlan();
  }

  /** Width in bits of the float vectors the active implementation uses; 0 for the scalar one. */
  public static int vectorBitSize() {
    return Holder.PROVIDER.vectorBitSize();
  }

  /**
   * Threads a large GEMM may use when it is not given a {@link Parallelism} (default:
   * {@code topiary.threads}, else the processor count).
   */
  public static int threads() {
    return parallelism.threads();
  }

  /**
   * Sets, for the whole process, the threads a large GEMM may use when it is not given a
   * {@link Parallelism}; small problems always run on the calling thread. Code that runs next to other
   * code (a trainer, a network serving requests) should pass its own {@link Parallelism} instead.
   */
  public static void setThreads(int n) {
    parallelism = Parallelism.shared(n);
  }

  /** The process-wide {@link Parallelism} of {@link #setThreads}, used by the GEMMs not given one. */
  public static Parallelism parallelism() {
    return parallelism;
  }

  // ---------------------------------------------------------------------------------------------
  // GEMM

  /**
   * C[m×n] = A[m×k]·B[n×k]ᵀ, or C += A·Bᵀ when {@code accumulate}. The forward pass of a dense layer,
   * Y = X·Wᵀ, with W stored [out, in]. Results do not depend on the thread count.
   */
  public static void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    gemmNT(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, parallelism);
  }

  /** {@link #gemmNT} on the threads of {@code parallelism}; the result does not depend on them. */
  public static void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    checkGemm(m, n, k);
    checkMatrix("A", a, aOff, m, k, lda);
    checkMatrix("B", b, bOff, n, k, ldb);
    checkMatrix("C", c, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    Holder.PROVIDER.gemmNT(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  /**
   * C[m×n] = A[m×k]·B[k×n], or C += A·B when {@code accumulate}. The input gradient of a dense layer,
   * dX = dY·W.
   */
  public static void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    gemmNN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, parallelism);
  }

  /** {@link #gemmNN} on the threads of {@code parallelism}; the result does not depend on them. */
  public static void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    checkGemm(m, n, k);
    checkMatrix("A", a, aOff, m, k, lda);
    checkMatrix("B", b, bOff, k, n, ldb);
    checkMatrix("C", c, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    Holder.PROVIDER.gemmNN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  /**
   * C[m×n] = A[k×m]ᵀ·B[k×n], or C += Aᵀ·B when {@code accumulate}. The weight gradient of a dense layer,
   * dW = dYᵀ·X, summed over the k rows of a batch.
   */
  public static void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    gemmTN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, parallelism);
  }

  /** {@link #gemmTN} on the threads of {@code parallelism}; the result does not depend on them. */
  public static void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
      int ldb, float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    checkGemm(m, n, k);
    checkMatrix("A", a, aOff, k, m, lda);
    checkMatrix("B", b, bOff, k, n, ldb);
    checkMatrix("C", c, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    Holder.PROVIDER.gemmTN(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
        parallelism);
  }

  /**
   * The forward pass of a dense layer on contiguous rows: Y[rows×out] = act(X[rows×in]·W[out×in]ᵀ + b).
   * {@code bias} may be null; {@code act} may be {@link Activation#IDENTITY} to keep pre-activations.
   */
  public static void dense(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff,
      float[] bias, int biasOff, Activation act, float[] y, int yOff) {
    dense(rows, in, out, x, xOff, w, wOff, bias, biasOff, act, y, yOff, parallelism);
  }

  /** {@link #dense} with its GEMM on the threads of {@code parallelism}. */
  public static void dense(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff,
      float[] bias, int biasOff, Activation act, float[] y, int yOff, Parallelism parallelism) {
    gemmNT(rows, out, in, x, xOff, in, w, wOff, in, y, yOff, out, false, parallelism);
    if (bias != null) {
      checkRange("bias", bias, biasOff, out);
    }
    if (bias != null || act != Activation.IDENTITY) {
      Holder.PROVIDER.biasActivate(act, rows, out, bias, biasOff, y, yOff, out);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Activations and softmax

  /** Y = act(Y + bias) in place on a [rows×cols] block with leading dimension ld; bias may be null. */
  public static void biasActivate(Activation act, int rows, int cols, float[] bias, int biasOff,
      float[] y, int yOff, int ld) {
    checkMatrix("Y", y, yOff, rows, cols, ld);
    if (bias != null) {
      checkRange("bias", bias, biasOff, cols);
    }
    Holder.PROVIDER.biasActivate(act, rows, cols, bias, biasOff, y, yOff, ld);
  }

  /** h[i] = act(z[i]) for n elements; h may be the same array region as z. */
  public static void activate(Activation act, int n, float[] z, int zOff, float[] h, int hOff) {
    checkRange("z", z, zOff, n);
    checkRange("h", h, hOff, n);
    Holder.PROVIDER.activate(act, n, z, zOff, h, hOff);
  }

  /**
   * dz[i] = dh[i]·act'(z[i]) for n elements. {@code h} must hold act(z) (tanh and sigmoid derive from it;
   * the others from z); dz may be the same region as dh.
   */
  public static void activationBackward(Activation act, int n, float[] z, int zOff, float[] h, int hOff,
      float[] dh, int dhOff, float[] dz, int dzOff) {
    checkRange("z", z, zOff, n);
    checkRange("h", h, hOff, n);
    checkRange("dh", dh, dhOff, n);
    checkRange("dz", dz, dzOff, n);
    Holder.PROVIDER.activationBackward(act, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff);
  }

  /** Row-wise softmax of contiguous [rows×cols] blocks, stable for any finite input; y may be x. */
  public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    checkMatrix("x", x, xOff, rows, cols, cols);
    checkMatrix("y", y, yOff, rows, cols, cols);
    Holder.PROVIDER.softmaxRows(rows, cols, x, xOff, y, yOff);
  }

  /** Row-wise log-softmax of contiguous [rows×cols] blocks, stable for any finite input; y may be x. */
  public static void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    checkMatrix("x", x, xOff, rows, cols, cols);
    checkMatrix("y", y, yOff, rows, cols, cols);
    Holder.PROVIDER.logSoftmaxRows(rows, cols, x, xOff, y, yOff);
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions and updates

  /** Σ a[i]·b[i] over n elements. */
  public static float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    checkRange("a", a, aOff, n);
    checkRange("b", b, bOff, n);
    return Holder.PROVIDER.dot(n, a, aOff, b, bOff);
  }

  /** Σ a[i] over n elements. */
  public static float sum(int n, float[] a, int aOff) {
    checkRange("a", a, aOff, n);
    return Holder.PROVIDER.sum(n, a, aOff);
  }

  /** Σ a[i]² over n elements, accumulated in double (for gradient norms). */
  public static double sumOfSquares(int n, float[] a, int aOff) {
    checkRange("a", a, aOff, n);
    return Holder.PROVIDER.sumOfSquares(n, a, aOff);
  }

  /** out[j] = Σ_i A[i, j] (or += when {@code accumulate}): the bias gradient of a batch. */
  public static void sumColumns(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    checkMatrix("A", a, aOff, rows, cols, ld);
    checkRange("out", out, outOff, cols);
    Holder.PROVIDER.sumColumns(rows, cols, a, aOff, ld, out, outOff, accumulate);
  }

  /** out[i] = Σ_j A[i, j]. */
  public static void sumRows(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff) {
    checkMatrix("A", a, aOff, rows, cols, ld);
    checkRange("out", out, outOff, rows);
    Holder.PROVIDER.sumRows(rows, cols, a, aOff, ld, out, outOff);
  }

  /** out[i] = ‖A[i, :]‖_p for p = 1 or 2 (for W stored [out, in]: the norm of each unit's incoming weights). */
  public static void rowNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out,
      int outOff) {
    checkNorm(p);
    checkMatrix("A", a, aOff, rows, cols, ld);
    checkRange("out", out, outOff, rows);
    Holder.PROVIDER.rowNorms(p, rows, cols, a, aOff, ld, out, outOff);
  }

  /** out[j] = ‖A[:, j]‖_p for p = 1 or 2 (for W stored [out, in]: the norm of each input's outgoing weights). */
  public static void columnNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out,
      int outOff) {
    checkNorm(p);
    checkMatrix("A", a, aOff, rows, cols, ld);
    checkRange("out", out, outOff, cols);
    Holder.PROVIDER.columnNorms(p, rows, cols, a, aOff, ld, out, outOff);
  }

  /** y[i] += alpha·x[i]. */
  public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    checkRange("x", x, xOff, n);
    checkRange("y", y, yOff, n);
    Holder.PROVIDER.axpy(n, alpha, x, xOff, y, yOff);
  }

  /** x[i] *= alpha. */
  public static void scale(int n, float alpha, float[] x, int xOff) {
    checkRange("x", x, xOff, n);
    Holder.PROVIDER.scale(n, alpha, x, xOff);
  }

  /**
   * One fused Adam (L2 weight decay added to the gradient) or AdamW (decoupled weight decay) step on n
   * parameters, at step {@code t} ≥ 1 (for the bias corrections 1/(1−β₁ᵗ) and 1/(1−β₂ᵗ)).
   */
  public static void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v,
      int vOff, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      long t) {
    adam(n, p, pOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2, eps, weightDecay, decoupled, t,
        Parallelism.sequential());
  }

  /**
   * {@link #adam(int, float[], int, float[], int, float[], int, float[], int, float, float, float, float,
   * boolean, long) adam} on up to {@code parallelism.threads()} threads, each updating a contiguous part of
   * the n parameters (only when n is large enough to gain). Every element is updated exactly as on one
   * thread.
   */
  public static void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v,
      int vOff, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      long t, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    checkRange("p", p, pOff, n);
    checkRange("g", g, gOff, n);
    checkRange("m", m, mOff, n);
    checkRange("v", v, vOff, n);
    if (t < 1) {
      throw new IllegalArgumentException("Adam step must be >= 1, found " + t);
    }
    if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + ", " + beta2);
    }
    float c1 = (float) (1.0 / (1.0 - Math.pow(beta1, t)));
    float c2 = (float) (1.0 / (1.0 - Math.pow(beta2, t)));
    Elementwise.adam(Holder.PROVIDER, parallelism, n, p, pOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2,
        eps, weightDecay, decoupled, c1, c2);
  }

  /**
   * Standardises {@code rows} contiguous rows of {@code mean.length} values:
   * dst[i,j] = (float) ((src[i,j] − mean[j]) / scale[j]), with the difference and the quotient taken in
   * double (so values near the float limit do not overflow). The same bits on every implementation.
   * dst may be src at the same offset.
   */
  public static void standardize(int rows, float[] src, int srcOff, float[] mean, float[] scale,
      float[] dst, int dstOff) {
    standardize(rows, src, srcOff, mean, scale, dst, dstOff, Parallelism.sequential());
  }

  /**
   * {@link #standardize(int, float[], int, float[], float[], float[], int) standardize} on up to
   * {@code parallelism.threads()} threads, each taking a contiguous block of rows (only when there are
   * enough values to gain). The same bits as on one thread.
   */
  public static void standardize(int rows, float[] src, int srcOff, float[] mean, float[] scale,
      float[] dst, int dstOff, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    if (mean == null || scale == null) {
      throw new IllegalArgumentException("mean and scale must not be null");
    }
    if (mean.length != scale.length) {
      throw new IllegalArgumentException(
          "mean and scale differ in length: " + mean.length + " and " + scale.length);
    }
    int cols = mean.length;
    checkMatrix("src", src, srcOff, rows, cols, cols);
    checkMatrix("dst", dst, dstOff, rows, cols, cols);
    Elementwise.standardize(Holder.PROVIDER, parallelism, rows, cols, src, srcOff, mean, scale, dst, dstOff);
  }

  // ---------------------------------------------------------------------------------------------
  // Argument checks, shared with the other public types of this package.

  private static void checkGemm(int m, int n, int k) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("GEMM sizes must be >= 0, found m=" + m + " n=" + n + " k=" + k);
    }
  }

  private static void checkNorm(int p) {
    if (p != 1 && p != 2) {
      throw new IllegalArgumentException("norm order must be 1 or 2, found " + p);
    }
  }

  static void checkRange(String name, float[] a, int off, int n) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (n < 0) {
      throw new IllegalArgumentException(name + ": length must be >= 0, found " + n);
    }
    if (off < 0 || (long) off + n > a.length) {
      throw new IndexOutOfBoundsException(
          name + ": range [" + off + ", " + ((long) off + n) + ") outside array of length " + a.length);
    }
  }

  static void checkMatrix(String name, float[] a, int off, int rows, int cols, int ld) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(name + ": shape must be >= 0, found " + rows + "x" + cols);
    }
    if (ld < cols && rows > 1) {
      throw new IllegalArgumentException(
          name + ": leading dimension " + ld + " is smaller than the row length " + cols);
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long end = (long) off + (long) (rows - 1) * ld + cols;
    if (off < 0 || end > a.length) {
      throw new IndexOutOfBoundsException(name + ": " + rows + "x" + cols + " matrix at offset " + off
          + " with leading dimension " + ld + " needs " + end + " elements, array has " + a.length);
    }
  }
}
