package dev.topiary.bench;

import java.util.SplittableRandom;

/**
 * The operands of one GEMM benchmark: A and B filled from a fixed seed, C to write into, and a check that
 * a product is right, so that every implementation timed (ours and each peer) is known to compute the
 * same C from the same data in the same layout before its timing counts.
 */
final class GemmProblem {

  /** Entries of C compared against a double-precision reference after the first product. */
  private static final int CHECKED_ENTRIES = 64;

  final GemmShape shape;
  final GemmLayout layout;
  final float[] a;
  final float[] b;
  final float[] c;

  GemmProblem(String shape, String layout) {
    this.shape = GemmShape.parse(shape);
    this.layout = GemmLayout.parse(layout);
    SplittableRandom rnd = new SplittableRandom(42);
    this.a = random(rnd, this.layout.aRows(this.shape) * this.layout.aCols(this.shape));
    this.b = random(rnd, this.layout.bRows(this.shape) * this.layout.bCols(this.shape));
    this.c = new float[this.shape.m() * this.shape.n()];
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextDouble() * 2.0 - 1.0);
    }
    return x;
  }

  /**
   * Checks sampled entries of C (row-major, leading dimension n) against a double-precision sum over k.
   * The bound is relative to Σ|a·b|, the scale of the rounding error of any float summation order.
   *
   * @throws IllegalStateException naming the implementation and the first wrong entry
   */
  void verify(String who) {
    int m = shape.m();
    int n = shape.n();
    int k = shape.k();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int t = 0; t < CHECKED_ENTRIES; t++) {
      int i = t == 0 ? m - 1 : rnd.nextInt(m);
      int j = t == 0 ? n - 1 : rnd.nextInt(n);
      double ref = 0;
      double scale = 0;
      for (int p = 0; p < k; p++) {
        double term = (double) layout.a(a, shape, i, p) * layout.b(b, shape, p, j);
        ref += term;
        scale += Math.abs(term);
      }
      double got = c[i * n + j];
      if (!(Math.abs(got - ref) <= 1e-4 * scale + 1e-6)) {
        throw new IllegalStateException(who + " computed a wrong " + layout + " product for " + shape
            + ": C[" + i + "," + j + "] = " + got + ", expected " + ref);
      }
    }
  }
}
