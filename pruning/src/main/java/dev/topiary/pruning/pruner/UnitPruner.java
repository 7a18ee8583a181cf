package dev.topiary.pruning.pruner;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.stats.GradientStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * One pruning step with any criterion: gather statistics, score, select, fold and cut, following a
 * {@link Schedule}. Removed units' means always come from statistics gathered on the evaluation data,
 * whatever the criterion, so what is removed is replaced by its mean, or, for a criterion that
 * {@linkplain UnitCriterion#mergesRemovedUnits() merges}, by its least-squares line on a kept partner.
 * The statistics gathered are the given options plus what the criterion
 * {@linkplain UnitCriterion#requiredStatistics asks for}; a criterion that
 * {@linkplain UnitCriterion#needsGradients() needs gradients} gets them from a
 * {@link GradientStatistics.Source}, once per statistics pass.
 */
public final class UnitPruner {

  private UnitPruner() {}

  /**
   * Prunes the hidden units of {@code network} that {@code rule} selects from {@code criterion}'s scores
   * over {@code evalData}, and returns the smaller network with its plan and sizes.
   *
   * @throws dev.topiary.pruning.EvaluationDataException if the data does not fit the network or has
   *     fewer than two rows
   * @throws IllegalArgumentException if a global rule is combined with {@link Schedule#LAYER_BY_LAYER}
   */
  public static PruningResult prune(Network network, Dataset evalData, UnitCriterion criterion,
      ThresholdRule rule, Schedule schedule, StatisticsOptions options) {
    return prune(network, evalData, criterion, rule, schedule, options, null);
  }

  /**
   * As {@link #prune(Network, Dataset, UnitCriterion, ThresholdRule, Schedule, StatisticsOptions)}, with
   * gradient statistics from {@code gradients} for a criterion that needs them (computed over
   * {@code evalData} on the network as it is when each layer is decided).
   *
   * @param gradients the source of gradient statistics; may be null for a criterion that needs none
   * @throws IllegalArgumentException if the criterion needs gradients and {@code gradients} is null
   */
  public static PruningResult prune(Network network, Dataset evalData, UnitCriterion criterion,
      ThresholdRule rule, Schedule schedule, StatisticsOptions options, GradientStatistics.Source gradients) {
    if (criterion.needsGradients() && gradients == null) {
      throw new IllegalArgumentException("criterion '" + criterion.name() + "' needs gradient statistics; "
          + "pass a GradientStatistics.Source (dev.topiary.methods.criteria.GradientStatisticsCollector)");
    }
    options = criterion.requiredStatistics(options);
    if (schedule == Schedule.LAYER_BY_LAYER && rule.isGlobal()) {
      throw new IllegalArgumentException("rule '" + rule.describe() + "' compares all layers at once; "
          + "use the one-shot schedule or a per-layer rule");
    }
    UnitStatistics first = UnitStatistics.gather(network, evalData, options);
    List<PruningPlan> steps = new ArrayList<>();
    Network current = network;
    if (schedule == Schedule.ONE_SHOT) {
      steps.add(plan(context(network, first, evalData, criterion, gradients), criterion, rule, null));
      current = Surgery.apply(network, steps.get(0));
    } else {
      UnitStatistics stats = first;
      List<HiddenLayer> order = stats.layout().prunable();
      for (int i = 0; i < order.size(); i++) {
        if (i > 0) {
          stats = UnitStatistics.gather(current, evalData, options);
        }
        // Unit removal never changes layer addresses or the widths of layers not yet pruned.
        HiddenLayer layer = stats.layout().find(order.get(i).address()).orElseThrow();
        PruningPlan step = plan(context(current, stats, evalData, criterion, gradients), criterion, rule,
            layer);
        steps.add(step);
        if (!step.isEmpty()) {
          current = Surgery.apply(current, step);
        }
      }
      if (current == network) {
        current = Surgery.apply(network, PruningPlan.empty());
      }
    }
    PruningPlan all = PruningPlan.union(steps);
    return new PruningResult(current, all, steps, first,
        SizeReport.compare(network, current, List.of()), schedule);
  }

  private static ScoringContext context(Network network, UnitStatistics stats, Dataset data,
      UnitCriterion criterion, GradientStatistics.Source gradients) {
    GradientStatistics g = criterion.needsGradients() ? gradients.gather(network, data) : null;
    return ScoringContext.of(network, stats, g);
  }

  /**
   * The plan {@code rule} makes from {@code criterion}'s scores in {@code context}, over every prunable
   * layer, or over {@code only} when it is not null. The context must hold statistics for the means (and
   * the covariances, for a criterion that merges removed units).
   */
  public static PruningPlan plan(ScoringContext context, UnitCriterion criterion, ThresholdRule rule,
      HiddenLayer only) {
    List<LayerScores> scores = only == null
        ? criterion.scoreAll(context)
        : List.of(new LayerScores(only, criterion.name(), criterion.score(context, only)));
    UnitStatistics stats = context.requireStatistics("mean folding");
    PruningPlan plan = PruningPlan.fromSelections(rule.select(scores), stats, rule);
    return criterion.mergesRemovedUnits() ? plan.mergedIntoPartners(stats) : plan;
  }
}
