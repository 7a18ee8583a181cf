package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Average percentage of zeros (Hu et al. 2016, "Network Trimming"): a unit whose output is exactly 0 on
 * most of the evaluation data (a ReLU that rarely fires) contributes little. Score = 1 − APoZ_j, APoZ_j the
 * fraction of evaluation rows where h_j == 0 exactly, counted in the statistics pass. Meaningful for
 * activations with a flat zero region (ReLU); for others APoZ is almost always 0 and every unit ties.
 */
public final class ApozCriterion implements UnitCriterion {

  /** The one instance; the criterion has no parameters. */
  public static final ApozCriterion INSTANCE = new ApozCriterion();

  private ApozCriterion() {}

  @Override
  public String name() {
    return "apoz";
  }

  @Override
  public StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base.withActivationSummaries();
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerStatistics s = context.requireStatistics(name(), layer);
    double[] z = s.zeroFraction();
    if (z == null) {
      throw new IllegalStateException("criterion 'apoz' needs zero fractions: gather statistics with "
          + "activation summaries");
    }
    for (int j = 0; j < z.length; j++) {
      z[j] = 1.0 - z[j];
    }
    return z;
  }
}
