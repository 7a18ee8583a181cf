package dev.topiary.pruning.stats;

import java.util.Arrays;

/**
 * The covariance matrix of one layer's outputs over the evaluation data, and what it gives: Pearson
 * correlations, cosine similarities of the output columns, and the least-squares line of one unit on
 * another.
 *
 * <p>Gathered as Σ (h − s)(h − s)ᵀ and Σ (h − s) batch by batch (Kernels.gemmTN, summed in double), s the
 * first row seen, so a large common offset does not cancel away the covariance; the moments are formed
 * in double from those sums at the end.
 *
 * @param width number of units w
 * @param count number of rows
 * @param mean per-unit mean
 * @param covariance population covariance, w×w row-major (divisor: count)
 */
public record Covariance(int width, long count, double[] mean, double[] covariance) {

  /** Checks the shapes and copies the arrays. */
  public Covariance {
    if (mean.length != width || covariance.length != (long) width * width) {
      throw new IllegalArgumentException("covariance of " + width + " units needs " + width + " means and "
          + (long) width * width + " entries, found " + mean.length + " and " + covariance.length);
    }
    mean = mean.clone();
    covariance = covariance.clone();
  }

  /** Cov(h_i, h_j). */
  public double cov(int i, int j) {
    return covariance[i * width + j];
  }

  /** Var(h_j). */
  public double variance(int j) {
    return covariance[j * width + j];
  }

  /** E[h_i h_j] = Cov(h_i, h_j) + μ_i μ_j. */
  public double secondMoment(int i, int j) {
    return cov(i, j) + mean[i] * mean[j];
  }

  /**
   * Pearson's correlation of units i and j, clamped to [−1, 1]. A unit that is constant on the data is an
   * exact affine function (slope 0) of any other, so its correlation with every unit is taken as 1.
   */
  public double correlation(int i, int j) {
    double vi = variance(i);
    double vj = variance(j);
    if (!(vi > 0) || !(vj > 0)) {
      return 1.0;
    }
    return clamp(cov(i, j) / Math.sqrt(vi * vj));
  }

  /**
   * The cosine of the angle between the output columns of units i and j over the data,
   * E[h_i h_j]/√(E[h_i²]·E[h_j²]), clamped to [−1, 1]; 1 when either column is all zero (a unit that is
   * always 0 adds nothing).
   */
  public double cosine(int i, int j) {
    double si = secondMoment(i, i);
    double sj = secondMoment(j, j);
    if (!(si > 0) || !(sj > 0)) {
      return 1.0;
    }
    return clamp(secondMoment(i, j) / Math.sqrt(si * sj));
  }

  /**
   * The least-squares slope a of h_r ≈ a·h_p + b: Cov(h_r, h_p)/Var(h_p), or 0 when h_p is constant (then
   * the best line is the mean of h_r).
   */
  public double slope(int r, int p) {
    double vp = variance(p);
    return vp > 0 ? cov(r, p) / vp : 0.0;
  }

  /** The least-squares intercept b = μ_r − a·μ_p of h_r ≈ a·h_p + b. */
  public double intercept(int r, int p) {
    return mean[r] - slope(r, p) * mean[p];
  }

  /** μ_j. */
  public double mean(int j) {
    return mean[j];
  }

  /** A copy of the means. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the matrix. */
  @Override
  public double[] covariance() {
    return covariance.clone();
  }

  private static double clamp(double v) {
    return Math.max(-1.0, Math.min(1.0, v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Covariance c && c.width == width && c.count == count && Arrays.equals(c.mean, mean)
        && Arrays.equals(c.covariance, covariance);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(covariance);
  }

  @Override
  public String toString() {
    return "Covariance[" + width + " units, " + count + " rows]";
  }
}
