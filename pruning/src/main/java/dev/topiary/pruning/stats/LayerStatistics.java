package dev.topiary.pruning.stats;

import dev.topiary.pruning.units.HiddenLayer;
import java.util.Objects;

/**
 * What was measured about the units of one hidden layer over an evaluation set. Arrays are copied in and
 * out, so a value of this type never changes.
 *
 * @param layer the hidden layer
 * @param count number of rows measured
 * @param mean per-unit mean μ_j of the post-activation output
 * @param std per-unit population standard deviation σ_j (divisor n)
 * @param zeroFraction per-unit fraction of rows where the output is exactly 0 (APoZ), or null when not
 *     collected
 * @param meanAbsolute per-unit mean of |h_j|, or null when not collected
 * @param classMoments per-class means and deviations, or null when not collected
 * @param histograms per-unit histograms of the output, or null when not collected
 * @param covariance the covariance of the layer's outputs, or null when not collected
 */
public record LayerStatistics(HiddenLayer layer, long count, double[] mean, double[] std,
    double[] zeroFraction, double[] meanAbsolute, ClassMoments classMoments, Histograms histograms,
    Covariance covariance) {

  /** Statistics with the moments and, optionally, the activation summaries only. */
  public LayerStatistics(HiddenLayer layer, long count, double[] mean, double[] std, double[] zeroFraction,
      double[] meanAbsolute) {
    this(layer, count, mean, std, zeroFraction, meanAbsolute, null, null, null);
  }

  /** Checks that every per-unit array has one value per unit, and copies them. */
  public LayerStatistics {
    Objects.requireNonNull(layer, "layer");
    int w = layer.width();
    check("mean", mean, w, false);
    check("std", std, w, false);
    check("zeroFraction", zeroFraction, w, true);
    check("meanAbsolute", meanAbsolute, w, true);
    if (classMoments != null && classMoments.classes() > 0 && classMoments.means()[0].length != w) {
      throw new IllegalArgumentException("class moments are for " + classMoments.means()[0].length
          + " units, the layer has " + w);
    }
    if (histograms != null && histograms.width() != w) {
      throw new IllegalArgumentException("histograms are for " + histograms.width() + " units, the layer has "
          + w);
    }
    if (covariance != null && covariance.width() != w) {
      throw new IllegalArgumentException("the covariance is for " + covariance.width()
          + " units, the layer has " + w);
    }
    mean = mean.clone();
    std = std.clone();
    zeroFraction = zeroFraction == null ? null : zeroFraction.clone();
    meanAbsolute = meanAbsolute == null ? null : meanAbsolute.clone();
  }

  private static void check(String name, double[] a, int width, boolean optional) {
    if (a == null) {
      if (!optional) {
        throw new IllegalArgumentException(name + " is required");
      }
      return;
    }
    if (a.length != width) {
      throw new IllegalArgumentException(name + " has " + a.length + " values for " + width + " units");
    }
  }

  /** μ_j. */
  public double mean(int j) {
    return mean[j];
  }

  /** σ_j. */
  public double std(int j) {
    return std[j];
  }

  /** A copy of the means. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the standard deviations. */
  @Override
  public double[] std() {
    return std.clone();
  }

  /** A copy of the zero fractions, or null when not collected. */
  @Override
  public double[] zeroFraction() {
    return zeroFraction == null ? null : zeroFraction.clone();
  }

  /** A copy of the mean absolute outputs, or null when not collected. */
  @Override
  public double[] meanAbsolute() {
    return meanAbsolute == null ? null : meanAbsolute.clone();
  }

  /** True when zero fractions and mean absolute outputs were collected. */
  public boolean hasActivationSummaries() {
    return zeroFraction != null;
  }

  /** Number of units. */
  public int width() {
    return layer.width();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerStatistics s && s.layer.equals(layer) && s.count == count
        && java.util.Arrays.equals(s.mean, mean) && java.util.Arrays.equals(s.std, std)
        && java.util.Arrays.equals(s.zeroFraction, zeroFraction)
        && java.util.Arrays.equals(s.meanAbsolute, meanAbsolute)
        && Objects.equals(s.classMoments, classMoments) && Objects.equals(s.histograms, histograms)
        && Objects.equals(s.covariance, covariance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, count, java.util.Arrays.hashCode(mean), java.util.Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return "LayerStatistics[" + layer.address() + ", " + layer.width() + " units, " + count + " rows]";
  }
}
