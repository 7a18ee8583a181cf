package dev.topiary.pruning.pruner;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
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
 * whatever the criterion, so what is removed is replaced by its mean.
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
    if (schedule == Schedule.LAYER_BY_LAYER && rule.isGlobal()) {
      throw new IllegalArgumentException("rule '" + rule.describe() + "' compares all layers at once; "
          + "use the one-shot schedule or a per-layer rule");
    }
    UnitStatistics first = UnitStatistics.gather(network, evalData, options);
    List<PruningPlan> steps = new ArrayList<>();
    Network current = network;
    if (schedule == Schedule.ONE_SHOT) {
      steps.add(plan(ScoringContext.of(network, first), criterion, rule, null));
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
        PruningPlan step = plan(ScoringContext.of(current, stats), criterion, rule, layer);
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

  /**
   * The plan {@code rule} makes from {@code criterion}'s scores in {@code context}, over every prunable
   * layer, or over {@code only} when it is not null. The context must hold statistics for the means.
   */
  public static PruningPlan plan(ScoringContext context, UnitCriterion criterion, ThresholdRule rule,
      HiddenLayer only) {
    List<LayerScores> scores = only == null
        ? criterion.scoreAll(context)
        : List.of(new LayerScores(only, criterion.name(), criterion.score(context, only)));
    return PruningPlan.fromSelections(rule.select(scores), context.requireStatistics("mean folding"), rule);
  }
}
