package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Mean activation magnitude: a unit whose output is small on the evaluation data contributes little to
 * the next layer. Score = (1/N)·Σ_i |h_ij|, gathered in the statistics pass.
 */
public final class MeanActivationCriterion implements UnitCriterion {

  /** The one instance; the criterion has no parameters. */
  public static final MeanActivationCriterion INSTANCE = new MeanActivationCriterion();

  private MeanActivationCriterion() {}

  @Override
  public String name() {
    return "mean-activation";
  }

  @Override
  public StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base.withActivationSummaries();
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerStatistics s = context.requireStatistics(name(), layer);
    double[] a = s.meanAbsolute();
    if (a == null) {
      throw new IllegalStateException("criterion 'mean-activation' needs mean absolute outputs: gather "
          + "statistics with activation summaries");
    }
    return a;
  }
}
