package dev.topiary.methods.odf2nna;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.Surgery;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One step of iterative variance pruning: measure σ and μ of every hidden unit of the current network,
 * remove the given share of all its hidden units with the lowest σ (one absolute ε over all layers) with
 * their means folded into the next layer's bias, and fine-tune briefly. Repeating the step is the
 * iterative schedule of the pruning literature (Han et al. 2015; seed {@code 002}, §schedules): each
 * step's statistics are measured on a network that has adapted to the previous removals.
 *
 * <p>Every step is an exact mean replacement of the network it starts from: before fine-tuning, the
 * pruned network computes what the step's input network computes with each removed unit's output
 * replaced by its mean.
 */
public final class IterativeVariance {

  private IterativeVariance() {}

  /**
   * What one step did.
   *
   * @param before the network the step started from
   * @param plan the removals, with the means folded
   * @param pruned {@code before} after surgery
   * @param finetuned {@code pruned} after the step's fine-tuning (the same object when none was asked)
   */
  public record Step(Network before, PruningPlan plan, Network pruned, Network finetuned) {}

  /**
   * Runs one step. {@code current} is not modified.
   *
   * @param current the network to prune
   * @param statsData the rows σ and μ are measured on (the training rows)
   * @param share the share of all hidden units to remove, in (0, 1); every layer keeps at least one unit
   * @param finetune fine-tunes a freshly pruned network and returns the network to continue from (it may
   *     train its argument in place)
   */
  public static Step step(Network current, Dataset statsData, double share, UnaryOperator<Network> finetune) {
    Objects.requireNonNull(finetune, "finetune");
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("share must be in (0, 1), found " + share);
    }
    UnitStatistics stats = UnitStatistics.gather(current, statsData);
    PruningPlan plan = UnitPruner.plan(ScoringContext.of(current, stats), VarianceCriterion.INSTANCE,
        ThresholdRule.fractionOverall(share), null);
    Network pruned = Surgery.apply(current, plan);
    return new Step(current, plan, pruned, finetune.apply(pruned));
  }
}
