package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.List;

/**
 * ODF2NNA's criterion (§3.2): a unit whose output varies little over the evaluation data carries little
 * information, so its score is the population standard deviation σ_j of its post-activation output.
 */
public final class VarianceCriterion implements UnitCriterion {

  /** The one instance; the criterion has no parameters. */
  public static final VarianceCriterion INSTANCE = new VarianceCriterion();

  private VarianceCriterion() {}

  @Override
  public String name() {
    return "variance";
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    return context.requireStatistics(name()).layer(layer.address())
        .orElseThrow(() -> new IllegalArgumentException("no statistics for " + layer.address()))
        .std();
  }

  /** The scores of every prunable layer, read from statistics alone (no network needed). */
  public List<LayerScores> scoreAll(UnitStatistics statistics) {
    return statistics.prunableLayers().stream()
        .map(l -> new LayerScores(l.layer(), name(), l.std()))
        .toList();
  }
}
