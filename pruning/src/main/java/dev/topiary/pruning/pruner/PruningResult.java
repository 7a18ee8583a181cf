package dev.topiary.pruning.pruner;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.SizeReport;
import java.util.List;

/**
 * What a pruning step produced.
 *
 * @param network the new, smaller network (the input network is untouched)
 * @param plan every removal, referring to the input network; applying it to the input network with
 *     {@link dev.topiary.pruning.surgery.Surgery} gives {@code network}
 * @param steps the plans in the order they were applied: one for {@link Schedule#ONE_SHOT}, one per
 *     prunable layer for {@link Schedule#LAYER_BY_LAYER}
 * @param statistics the statistics of the input network (the first pass)
 * @param sizes units, parameters and FLOPs before and after
 * @param schedule the schedule that was followed
 */
public record PruningResult(Network network, PruningPlan plan, List<PruningPlan> steps,
    UnitStatistics statistics, SizeReport sizes, Schedule schedule) {

  /** Copies the list. */
  public PruningResult {
    steps = List.copyOf(steps);
  }
}
