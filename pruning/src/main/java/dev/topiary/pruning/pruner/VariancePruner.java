package dev.topiary.pruning.pruner;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.ThresholdCandidates;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.LayerAddress;
import java.util.List;
import java.util.Map;

/**
 * ODF2NNA's pruning step (Sánchez et al., §3.2): keep a hidden unit when the standard deviation of its
 * output over the evaluation data exceeds ε, remove the others with their means folded into the next
 * layer's bias. Training before and fine-tuning after belong to the recipe that calls this.
 */
public final class VariancePruner {

  private VariancePruner() {}

  /** Prunes with default statistics options (batches of 256 rows, one thread). */
  public static PruningResult prune(Network network, Dataset evalData, ThresholdRule rule, Schedule schedule) {
    return prune(network, evalData, rule, schedule, StatisticsOptions.defaults());
  }

  /**
   * Prunes every unit whose σ over {@code evalData} the rule selects.
   *
   * @see UnitPruner#prune
   */
  public static PruningResult prune(Network network, Dataset evalData, ThresholdRule rule, Schedule schedule,
      StatisticsOptions options) {
    return UnitPruner.prune(network, evalData, VarianceCriterion.INSTANCE, rule, schedule, options);
  }

  /**
   * Every distinct σ of the prunable units, ascending: the absolute ε values worth trying when searching
   * for the largest compression that keeps a metric (removal is monotone in ε; an ε below the first
   * value removes nothing). Use with {@link ThresholdRule#absolute}.
   */
  public static double[] candidateThresholds(UnitStatistics statistics) {
    return ThresholdCandidates.global(scores(statistics));
  }

  /** Per prunable layer, its distinct σ values ascending. */
  public static Map<LayerAddress, double[]> candidateThresholdsPerLayer(UnitStatistics statistics) {
    return ThresholdCandidates.perLayer(scores(statistics));
  }

  private static List<LayerScores> scores(UnitStatistics statistics) {
    return VarianceCriterion.INSTANCE.scoreAll(statistics);
  }
}
