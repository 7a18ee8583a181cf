package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.UnitLayout;
import java.util.List;
import org.apache.spark.sql.Dataset;

/**
 * One-shot pruning from statistics gathered anywhere, in particular on a cluster by
 * {@link SparkUnitStatistics}: the criterion scores the units from those statistics, the rule selects,
 * and {@link Surgery} removes the selected units and folds their means into the next layer's bias, exactly
 * as {@link UnitPruner#prune} does after its own statistics pass on one JVM.
 *
 * <p>Criteria that need gradients (Taylor, OBD) are not offered: their statistics need the backward pass
 * over the data, which this module does not distribute. Layer-by-layer schedules, which re-gather after
 * each layer, are left to the caller: call {@link #prune} once per layer with fresh statistics.
 */
public final class SparkPruning {

  private SparkPruning() {}

  /**
   * Gathers on Spark what {@code criterion} needs over {@code data} and prunes {@code model}'s network.
   *
   * @param options the base statistics options (batch size); the criterion adds what it needs
   */
  public static PruningResult prune(TopiaryModelBytes model, Dataset<?> data, InputColumns columns,
      UnitCriterion criterion, ThresholdRule rule, StatisticsOptions options) {
    requireNoGradients(criterion);
    UnitStatistics stats = SparkUnitStatistics.gather(model, data, columns, criterion.requiredStatistics(options));
    return prune(model.network(), stats, criterion, rule);
  }

  /**
   * Prunes {@code network} from {@code statistics} of that same network: scores, selects, folds, cuts.
   *
   * @throws IllegalArgumentException if the statistics describe other hidden layers, lack what the
   *     criterion needs, or the criterion needs gradients
   */
  public static PruningResult prune(Network network, UnitStatistics statistics, UnitCriterion criterion,
      ThresholdRule rule) {
    requireNoGradients(criterion);
    UnitLayout layout = UnitLayout.of(network);
    if (!layout.hidden().equals(statistics.layout().hidden())) {
      throw new IllegalArgumentException("the statistics describe hidden layers " + statistics.layout().hidden()
          + ", the network has " + layout.hidden());
    }
    PruningPlan plan = UnitPruner.plan(ScoringContext.of(network, statistics), criterion, rule, null);
    Network pruned = Surgery.apply(network, plan);
    return new PruningResult(pruned, plan, List.of(plan), statistics,
        SizeReport.compare(network, pruned, List.of()), Schedule.ONE_SHOT);
  }

  private static void requireNoGradients(UnitCriterion criterion) {
    if (criterion.needsGradients()) {
      throw new IllegalArgumentException("criterion '" + criterion.name() + "' needs gradient statistics, "
          + "which are gathered on one JVM only; use UnitPruner.prune with a GradientStatistics.Source");
    }
  }
}
