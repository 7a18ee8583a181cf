package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.Histograms;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Entropy of a unit's output distribution (the entropy criterion of the pruning survey): a unit whose
 * output hardly varies over the data, or takes one value most of the time, carries little information.
 *
 * <p>The estimator is the plug-in (maximum-likelihood) entropy of a histogram: the unit's outputs over the
 * evaluation data are counted in {@code bins} equal bins spanning [min_j, max_j] of that unit
 * ({@link Histograms}), p_b = n_b/N, and H_j = −Σ_b p_b·ln p_b in nats. So H_j ∈ [0, ln bins]; a unit that
 * is constant on the data scores 0, one spread evenly over k bins scores ln k. Because the bins follow
 * each unit's own range, the score does not depend on the unit's scale; it measures the shape of the
 * distribution, not its spread. The histograms take a second forward pass.
 *
 * @param bins number of histogram bins, at least 2
 */
public record EntropyCriterion(int bins) implements UnitCriterion {

  /** The default number of bins. */
  public static final int DEFAULT_BINS = 32;

  /** Checks the bin count. */
  public EntropyCriterion {
    if (bins < 2) {
      throw new IllegalArgumentException("entropy criterion: bins must be >= 2, found " + bins);
    }
  }

  @Override
  public String name() {
    return "entropy";
  }

  @Override
  public StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base.withHistograms(bins);
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerStatistics s = context.requireStatistics(name(), layer);
    Histograms h = s.histograms();
    if (h == null || h.bins() != bins) {
      throw new IllegalStateException("criterion 'entropy' needs histograms with " + bins + " bins; found "
          + (h == null ? "none" : h.bins() + " bins"));
    }
    double[] out = new double[layer.width()];
    for (int j = 0; j < out.length; j++) {
      out[j] = entropy(h.counts(j));
    }
    return out;
  }

  /** −Σ p·ln p of the distribution the counts describe, in nats; 0 for no counts. */
  public static double entropy(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    if (n == 0) {
      return 0.0;
    }
    double e = 0.0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        e -= p * Math.log(p);
      }
    }
    return Math.max(0.0, e);
  }
}
