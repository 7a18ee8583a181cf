package dev.topiary.kernels.impl;

import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Parallelism;

/**
 * One implementation of every kernel. Arguments arrive already checked by the facade
 * ({@link dev.topiary.kernels.Kernels}); implementations may assume offsets and extents are in range.
 * Matrices are row-major with an explicit leading dimension (the distance between rows). A GEMM may
 * split its work over the threads of the {@link Parallelism} it is given; its result must not depend on
 * how many there are.
 */
public interface KernelProvider {

  /** Short name: {@code "vector"} or {@code "scalar"}. */
  String name();

  /** Width of the float vectors used, in bits; 0 for the scalar implementation. */
  int vectorBitSize();

  /**
   * The GEMM's register tile and cache blocking, for logs and benchmark reports ({@code 256-bit, 16
   * registers, 5x16 tile, fma, kc=512}); empty where the GEMM is not tiled.
   */
  default String gemmPlan() {
    return "";
  }

  /**
   * Whether a·b + c is computed with one rounding (fused multiply-add in hardware) rather than a
   * multiply and an add; always false for the scalar implementation, which never calls {@code Math.fma}.
   */
  boolean fusedMultiplyAdd();

  /** C[m×n] (+)= A[m×k]·B[n×k]ᵀ. Forward pass of a dense layer: Y = X·Wᵀ. */
  void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism);

  /** C[m×n] (+)= A[m×k]·B[k×n]. Input gradient of a dense layer: dX = dY·W. */
  void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism);

  /** C[m×n] (+)= A[k×m]ᵀ·B[k×n]. Weight gradient of a dense layer: dW = dYᵀ·X. */
  void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism);

  /** Y[rows×cols] = act(Y + bias) in place, row by row with leading dimension ld; bias may be null. */
  void biasActivate(Activation act, int rows, int cols, float[] bias, int biasOff, float[] y, int yOff,
      int ld);

  /** h[i] = act(z[i]) for n contiguous elements; h may be z. */
  void activate(Activation act, int n, float[] z, int zOff, float[] h, int hOff);

  /** dz[i] = dh[i]·act'(z[i]); h holds act(z) for the activations that derive from it; dz may be dh. */
  void activationBackward(Activation act, int n, float[] z, int zOff, float[] h, int hOff, float[] dh,
      int dhOff, float[] dz, int dzOff);

  /** Row-wise softmax of a [rows×cols] block (contiguous rows); y may be x. */
  void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff);

  /** Row-wise log-softmax of a [rows×cols] block (contiguous rows); y may be x. */
  void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff);

  /** Σ a[i]·b[i]. */
  float dot(int n, float[] a, int aOff, float[] b, int bOff);

  /** Σ a[i]. */
  float sum(int n, float[] a, int aOff);

  /** Σ a[i]², accumulated in double. */
  double sumOfSquares(int n, float[] a, int aOff);

  /** out[j] (+)= Σ_i A[i, j] for a [rows×cols] block with leading dimension ld. */
  void sumColumns(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate);

  /** out[i] = Σ_j A[i, j]. */
  void sumRows(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff);

  /** out[i] = ‖A[i, :]‖₁ (p = 1) or ‖A[i, :]‖₂ (p = 2). */
  void rowNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff);

  /** out[j] = ‖A[:, j]‖₁ (p = 1) or ‖A[:, j]‖₂ (p = 2). */
  void columnNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff);

  /** y[i] += alpha·x[i]. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /** x[i] *= alpha. */
  void scale(int n, float alpha, float[] x, int xOff);

  /**
   * One Adam or AdamW step on n parameters. m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
   * p ← p − lr·(m·c₁ / (√(v·c₂) + ε) + λ·p) with c₁ = 1/(1−β₁ᵗ), c₂ = 1/(1−β₂ᵗ) precomputed by the
   * caller. With {@code decoupled} false (Adam with L2), λ·p is added to g before the moments instead.
   */
  void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
      float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float c1,
      float c2);

  /**
   * Shifted column sums of a [rows×cols] block: s1[j] += Σ_i (A[i,j] − shift[j]),
   * s2[j] += Σ_i (A[i,j] − shift[j])². The building block of {@link dev.topiary.kernels.ColumnMoments}.
   */
  void shiftedColumnSums(int rows, int cols, float[] a, int aOff, int ld, float[] shift, float[] s1,
      float[] s2);

  /**
   * Standardises {@code rows} contiguous rows of {@code cols} values:
   * dst[i,j] = (float) ((src[i,j] − mean[j]) / scale[j]), the difference and quotient taken in double.
   * Every implementation gives these exact bits (one double subtraction, one double division, one
   * rounding to float). dst may be src.
   */
  void standardize(int rows, int cols, float[] src, int srcOff, float[] mean, float[] scale, float[] dst,
      int dstOff);
}
