package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topiary.kernels.impl.KernelProvider;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Reductions, norms and updates against double-precision references, for both implementations. A sum
 * of n terms in float is within about n·ε·Σ|terms| of the exact sum, whatever the order.
 */
class ReductionTest {

  @Provide
  Arbitrary<KernelProvider> providers() {
    return Providers.providers();
  }

  @Provide
  Arbitrary<Integer> lengths() {
    return Providers.size(1100).injectDuplicates(0.0).edgeCases(c -> c.add(0));
  }

  static void near(String what, double got, double ref, double magnitude, int terms) {
    double allowed = 2.0 * (terms + 2) * Providers.EPS * magnitude + Float.MIN_NORMAL;
    if (!(Math.abs(got - ref) <= allowed)) {
      fail(what + ": " + got + ", reference " + ref + ", error " + Math.abs(got - ref) + " > " + allowed);
    }
  }

  @Property(tries = 150, seed = "7")
  void dotSumAndSquares(@ForAll("providers") KernelProvider impl, @ForAll("lengths") int n,
      @ForAll @IntRange(min = 0, max = 3) int off, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] a = Providers.random(rnd, n + off, -1f, 1f);
    float[] b = Providers.random(rnd, n + off + 1, -1f, 1f);
    double dot = 0;
    double dotMag = 0;
    double sum = 0;
    double sumMag = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      dot += (double) a[off + i] * b[1 + i];
      dotMag += Math.abs((double) a[off + i] * b[1 + i]);
      sum += a[off + i];
      sumMag += Math.abs(a[off + i]);
      sq += (double) a[off + i] * a[off + i];
    }
    near(impl.name() + " dot n=" + n, impl.dot(n, a, off, b, 1), dot, dotMag, n);
    near(impl.name() + " sum n=" + n, impl.sum(n, a, off), sum, sumMag, n);
    // Accumulated in double over float blocks of at most 1024 terms.
    near(impl.name() + " sumOfSquares n=" + n, impl.sumOfSquares(n, a, off), sq, sq, Math.min(n, 1024));
  }

  @Property(tries = 150, seed = "8")
  void rowAndColumnReductions(@ForAll("providers") KernelProvider impl,
      @ForAll @IntRange(min = 1, max = 40) int rows, @ForAll("lengths") int cols,
      @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll boolean accumulate, @ForAll long seed) {
    Random rnd = new Random(seed);
    int ld = cols + pad;
    float[] a = Providers.random(rnd, 1 + rows * ld, -2f, 2f);
    float[] outCols = Providers.random(rnd, cols + 3, -1f, 1f);
    float[] colsBefore = outCols.clone();
    float[] outRows = new float[rows + 1];
    float[] rowN1 = new float[rows];
    float[] rowN2 = new float[rows];
    float[] colN1 = new float[cols];
    float[] colN2 = new float[cols];
    impl.sumColumns(rows, cols, a, 1, ld, outCols, 2, accumulate);
    impl.sumRows(rows, cols, a, 1, ld, outRows, 1);
    impl.rowNorms(1, rows, cols, a, 1, ld, rowN1, 0);
    impl.rowNorms(2, rows, cols, a, 1, ld, rowN2, 0);
    impl.columnNorms(1, rows, cols, a, 1, ld, colN1, 0);
    impl.columnNorms(2, rows, cols, a, 1, ld, colN2, 0);
    String w = impl.name() + " " + rows + "x" + cols + " ld=" + ld;
    for (int j = 0; j < cols; j++) {
      double s = accumulate ? colsBefore[2 + j] : 0;
      double mag = Math.abs(s);
      double l1 = 0;
      double l2 = 0;
      for (int i = 0; i < rows; i++) {
        double x = a[1 + i * ld + j];
        s += x;
        mag += Math.abs(x);
        l1 += Math.abs(x);
        l2 += x * x;
      }
      near(w + " sumColumns[" + j + "]", outCols[2 + j], s, mag, rows + 1);
      near(w + " columnNorms1[" + j + "]", colN1[j], l1, l1, rows);
      near(w + " columnNorms2[" + j + "]", colN2[j], Math.sqrt(l2), Math.sqrt(l2), rows);
    }
    assertEquals(colsBefore[0], outCols[0], "sumColumns wrote before its range");
    assertEquals(colsBefore[cols + 2], outCols[cols + 2], "sumColumns wrote after its range");
    for (int i = 0; i < rows; i++) {
      double s = 0;
      double l1 = 0;
      double l2 = 0;
      for (int j = 0; j < cols; j++) {
        double x = a[1 + i * ld + j];
        s += x;
        l1 += Math.abs(x);
        l2 += x * x;
      }
      near(w + " sumRows[" + i + "]", outRows[1 + i], s, l1, cols);
      near(w + " rowNorms1[" + i + "]", rowN1[i], l1, l1, cols);
      near(w + " rowNorms2[" + i + "]", rowN2[i], Math.sqrt(l2), Math.sqrt(l2), cols);
    }
  }

  @Property(tries = 120, seed = "9")
  void axpyScaleAndAdam(@ForAll("providers") KernelProvider impl, @ForAll("lengths") int n,
      @ForAll boolean decoupled, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] x = Providers.random(rnd, n + 1, -1f, 1f);
    float[] y = Providers.random(rnd, n + 2, -1f, 1f);
    float[] y0 = y.clone();
    float alpha = rnd.nextFloat() * 4 - 2;
    impl.axpy(n, alpha, x, 1, y, 2);
    for (int i = 0; i < n; i++) {
      double ref = y0[2 + i] + (double) alpha * x[1 + i];
      near(impl.name() + " axpy", y[2 + i], ref, Math.abs(y0[2 + i]) + Math.abs(alpha * x[1 + i]), 1);
    }
    float[] s = x.clone();
    impl.scale(n, alpha, s, 1);
    for (int i = 0; i < n; i++) {
      near(impl.name() + " scale", s[1 + i], (double) alpha * x[1 + i], Math.abs(alpha * x[1 + i]), 0);
    }

    float[] p = Providers.random(rnd, n, -1f, 1f);
    float[] g = Providers.random(rnd, n, -1f, 1f);
    float[] m = Providers.random(rnd, n, -0.1f, 0.1f);
    float[] v = Providers.random(rnd, n, 0f, 0.01f);
    float[] p0 = p.clone();
    float[] m0 = m.clone();
    float[] v0 = v.clone();
    float lr = 1e-3f;
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-8f;
    float wd = 0.01f;
    long t = 1 + rnd.nextInt(100);
    float c1 = (float) (1.0 / (1.0 - Math.pow(b1, t)));
    float c2 = (float) (1.0 / (1.0 - Math.pow(b2, t)));
    impl.adam(n, p, 0, g, 0, m, 0, v, 0, lr, b1, b2, eps, wd, decoupled, c1, c2);
    for (int i = 0; i < n; i++) {
      double gi = g[i] + (decoupled ? 0 : (double) wd * p0[i]);
      double mi = b1 * (double) m0[i] + (1 - (double) b1) * gi;
      double vi = b2 * (double) v0[i] + (1 - (double) b2) * gi * gi;
      double step = mi * c1 / (Math.sqrt(vi * c2) + eps) + (decoupled ? wd * (double) p0[i] : 0);
      double pi = p0[i] - lr * step;
      near(impl.name() + " adam m", m[i], mi, Math.abs(b1 * m0[i]) + Math.abs((1 - b1) * gi), 4);
      near(impl.name() + " adam v", v[i], vi, vi, 4);
      // The step is a ratio of rounded moments: relative error of a few ε, scaled by lr.
      near(impl.name() + " adam p", p[i], pi, Math.abs(p0[i]) + lr * Math.abs(step), 16);
    }
  }

  @Property(tries = 120, seed = "10")
  void shiftedColumnSums(@ForAll("providers") KernelProvider impl,
      @ForAll @IntRange(min = 1, max = 300) int rows, @ForAll("lengths") int cols,
      @ForAll @IntRange(min = 0, max = 2) int pad, @ForAll long seed) {
    Random rnd = new Random(seed);
    int ld = cols + pad;
    float[] a = Providers.random(rnd, 3 + rows * ld, 99f, 101f);
    float[] shift = new float[cols];
    System.arraycopy(a, 3, shift, 0, cols);
    float[] s1 = Providers.random(rnd, cols, -1f, 1f);
    float[] s2 = Providers.random(rnd, cols, 0f, 1f);
    float[] s10 = s1.clone();
    float[] s20 = s2.clone();
    impl.shiftedColumnSums(rows, cols, a, 3, ld, shift, s1, s2);
    for (int j = 0; j < cols; j++) {
      double r1 = s10[j];
      double r2 = s20[j];
      double m1 = Math.abs(r1);
      for (int i = 0; i < rows; i++) {
        double d = (float) (a[3 + i * ld + j] - shift[j]);
        r1 += d;
        r2 += d * d;
        m1 += Math.abs(d);
      }
      near(impl.name() + " s1[" + j + "]", s1[j], r1, m1, rows + 1);
      near(impl.name() + " s2[" + j + "]", s2[j], r2, r2, rows + 1);
    }
  }

  /**
   * Standardisation is one double subtraction, one double division and one rounding per element, so
   * every implementation must give exactly the bits of that formula evaluated here, in place or not,
   * including where float arithmetic would overflow (values and means near ±3.4e38), at zeros, and at
   * infinities and NaNs.
   */
  @Property(tries = 150, seed = "11")
  void standardizeIsExactlyTheDoubleFormula(@ForAll("providers") KernelProvider impl,
      @ForAll @IntRange(min = 0, max = 9) int rows, @ForAll("lengths") int cols,
      @ForAll @IntRange(min = 0, max = 3) int off, @ForAll boolean inPlace, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] special = {0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, 3e38f, -3e38f};
    float[] src = new float[off + rows * cols];
    for (int i = 0; i < src.length; i++) {
      src[i] = rnd.nextInt(20) == 0 ? special[rnd.nextInt(special.length)] : (float) rnd.nextGaussian() * 100f;
    }
    float[] mean = new float[cols];
    float[] scale = new float[cols];
    for (int j = 0; j < cols; j++) {
      mean[j] = rnd.nextInt(10) == 0 ? special[rnd.nextInt(special.length)] : (float) rnd.nextGaussian() * 10f;
      scale[j] = rnd.nextInt(10) == 0 ? special[rnd.nextInt(special.length)] : 0.01f + rnd.nextFloat() * 5f;
    }
    float[] expected = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        expected[i * cols + j] = (float) (((double) src[off + i * cols + j] - mean[j]) / scale[j]);
      }
    }
    float[] dst = inPlace ? src : new float[2 + rows * cols];
    int dOff = inPlace ? off : 2;
    impl.standardize(rows, cols, src, off, mean, scale, dst, dOff);
    for (int e = 0; e < rows * cols; e++) {
      if (Float.floatToIntBits(dst[dOff + e]) != Float.floatToIntBits(expected[e])) {
        fail(impl.name() + " standardize " + rows + "x" + cols + " element " + e + ": " + dst[dOff + e]
            + ", expected " + expected[e]);
      }
    }
  }
}
