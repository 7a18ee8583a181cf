package dev.topiary.bench;

import dev.topiary.kernels.Kernels;
import java.util.Locale;

/**
 * The three GEMM layouts a dense layer needs, named BLAS-style by whether A and B are transposed in
 * C[m×n] = op(A)·op(B), all row-major: NT is the forward pass Y = X·Wᵀ (A[m×k], B[n×k]), NN the input
 * gradient dX = dY·W (A[m×k], B[k×n]), TN the weight gradient dW = dYᵀ·X (A[k×m], B[k×n]).
 */
enum GemmLayout {
  NT,
  NN,
  TN;

  static GemmLayout parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("layout must be NT, NN or TN, found '" + s + "'");
    }
  }

  /** Rows of A as stored (row-major). */
  int aRows(GemmShape s) {
    return this == TN ? s.k() : s.m();
  }

  /** Columns of A as stored, which is also its leading dimension. */
  int aCols(GemmShape s) {
    return this == TN ? s.m() : s.k();
  }

  /** Rows of B as stored. */
  int bRows(GemmShape s) {
    return this == NT ? s.n() : s.k();
  }

  /** Columns of B as stored, which is also its leading dimension. */
  int bCols(GemmShape s) {
    return this == NT ? s.k() : s.n();
  }

  /** op(A)[i, p] read from A as stored. */
  float a(float[] a, GemmShape s, int i, int p) {
    return this == TN ? a[p * s.m() + i] : a[i * s.k() + p];
  }

  /** op(B)[p, j] read from B as stored. */
  float b(float[] b, GemmShape s, int p, int j) {
    return this == NT ? b[j * s.k() + p] : b[p * s.n() + j];
  }

  /** C = op(A)·op(B) with Topiary's kernels, on contiguous operands. */
  void topiary(GemmShape s, float[] a, float[] b, float[] c) {
    int m = s.m();
    int n = s.n();
    int k = s.k();
    switch (this) {
      case NT:
        Kernels.gemmNT(m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
        break;
      case NN:
        Kernels.gemmNN(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        break;
      case TN:
        Kernels.gemmTN(m, n, k, a, 0, m, b, 0, n, c, 0, n, false);
        break;
      default:
        throw new AssertionError(this);
    }
  }
}
