package dev.topiary.core.model;

import dev.topiary.kernels.ColumnMoments;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import java.util.Arrays;

/**
 * A per-column affine map x ↦ (x − mean) / scale, fitted on training data only and carried by the model
 * so that raw inputs can be fed to it (and, for regression, so that outputs come back in raw units through
 * {@link #invert}).
 *
 * @param mean the per-column shift
 * @param scale the per-column divisor; never zero (a constant column gets scale 1)
 */
public record Standardization(float[] mean, float[] scale) {

  /** Checks that the arrays have the same length and that every scale is finite and non-zero. */
  public Standardization {
    if (mean.length != scale.length) {
      throw new IllegalArgumentException(
          "mean and scale lengths differ: " + mean.length + " != " + scale.length);
    }
    for (int j = 0; j < scale.length; j++) {
      if (!(Float.isFinite(scale[j]) && scale[j] != 0f) || !Float.isFinite(mean[j])) {
        throw new IllegalArgumentException(
            "column " + (j + 1) + ": mean " + mean[j] + " and scale " + scale[j] + " must be finite, scale non-zero");
      }
    }
    mean = mean.clone();
    scale = scale.clone();
  }

  /** The identity map on {@code columns} columns. */
  public static Standardization identity(int columns) {
    float[] one = new float[columns];
    Arrays.fill(one, 1f);
    return new Standardization(new float[columns], one);
  }

  /**
   * Fits mean and population standard deviation per column of a [rows × columns] row-major block.
   * Columns with zero spread get scale 1, so they map to zero without dividing by zero.
   *
   * <p>The streaming moments sum squares of a few rows in float before merging them in double; for
   * values beyond about 1.8e19 those squares overflow. A column whose moments come out non-finite is
   * therefore measured again in double, two passes (mean, then squared deviations), which is exact
   * enough for any finite float: the mean lies within the float range and the standard deviation
   * within half the column's range, so both fit a float.
   */
  public static Standardization fit(float[] x, int rows, int columns) {
    if (rows < 1) {
      throw new IllegalArgumentException("cannot fit a standardisation on " + rows + " rows");
    }
    ColumnMoments m = new ColumnMoments(columns);
    m.accumulate(x, 0, rows, columns);
    float[] mu = new float[columns];
    float[] sd = new float[columns];
    for (int j = 0; j < columns; j++) {
      double mean = m.mean(j);
      double s = m.std(j);
      if (!Double.isFinite(mean) || !Double.isFinite(s)) {
        double[] exact = twoPass(x, rows, columns, j);
        mean = exact[0];
        s = exact[1];
      }
      mu[j] = (float) mean;
      sd[j] = s > 1e-12 * Math.max(1.0, Math.abs(mean)) ? (float) s : 1f;
    }
    return new Standardization(mu, sd);
  }

  /** Mean and population standard deviation of column j in double, two passes. */
  static double[] twoPass(float[] x, int rows, int columns, int j) {
    double sum = 0;
    for (int i = 0; i < rows; i++) {
      sum += x[i * columns + j];
    }
    double mean = sum / rows;
    if (!Double.isFinite(mean)) {
      // Only non-finite inputs get here: a sum of floats cannot overflow a double.
      return new double[] {mean, Double.NaN};
    }
    double ss = 0;
    for (int i = 0; i < rows; i++) {
      double d = x[i * columns + j] - mean;
      ss += d * d;
    }
    return new double[] {mean, Math.sqrt(ss / rows)};
  }

  /** A copy of the per-column shift. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the per-column divisor. */
  @Override
  public float[] scale() {
    return scale.clone();
  }

  /** Number of columns. */
  public int columns() {
    return mean.length;
  }

  /** True when this map changes nothing. */
  public boolean isIdentity() {
    for (int j = 0; j < mean.length; j++) {
      if (mean[j] != 0f || scale[j] != 1f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies x ← (x − mean)/scale to {@code rows} contiguous rows of src, writing to dst (may be src). The
   * difference is taken in double: for values near the float limit (3e38 and a mean of −3e38) it would
   * overflow in float, and the quotient is back in range.
   */
  public void apply(float[] src, int srcOff, float[] dst, int dstOff, int rows) {
    Kernels.standardize(rows, src, srcOff, mean, scale, dst, dstOff);
  }

  /**
   * {@link #apply(float[], int, float[], int, int)} on up to {@code parallelism.threads()} threads, each
   * taking a block of rows; the same values on any number.
   */
  public void apply(float[] src, int srcOff, float[] dst, int dstOff, int rows, Parallelism parallelism) {
    Kernels.standardize(rows, src, srcOff, mean, scale, dst, dstOff, parallelism);
  }

  /** Applies y ← y·scale + mean in place to {@code rows} contiguous rows: the inverse of {@link #apply}. */
  public void invert(float[] y, int off, int rows) {
    int c = mean.length;
    for (int i = 0; i < rows; i++) {
      int d = off + i * c;
      for (int j = 0; j < c; j++) {
        y[d + j] = (float) ((double) y[d + j] * scale[j] + mean[j]);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Standardization[" + mean.length + " columns]";
  }
}
