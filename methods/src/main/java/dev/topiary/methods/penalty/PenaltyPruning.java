package dev.topiary.methods.penalty;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Penalty-based pruning: train with a sparsity-inducing penalty ({@link Penalty}), then remove every
 * hidden unit whose group norm ‖W[j, :]‖₂ the rule selects — below an absolute threshold, or the lowest
 * fraction — for real, with its mean folded into the next layer's bias
 * ({@link UnitPruner} with {@link GroupNormCriterion}), and optionally fine-tune without the penalty. The
 * network really shrinks.
 */
public final class PenaltyPruning {

  private PenaltyPruning() {}

  /**
   * A copy of {@code network} trained on {@code train} with the penalty added to whatever regularisers
   * {@code config} already has.
   */
  public static Network train(Network network, Dataset train, Penalty penalty, TrainingConfig config) {
    List<dev.topiary.training.regularize.Regularizer> all = new ArrayList<>(config.regularizers());
    all.addAll(penalty.regularizers());
    Network copy = network.copy();
    new Trainer(config.withRegularizers(all)).fit(copy, train);
    return copy;
  }

  /**
   * Removes the units whose incoming-weight norm {@code rule} selects, means measured on
   * {@code evalData}.
   */
  public static PruningResult removeUnits(Network network, Dataset evalData, ThresholdRule rule) {
    Schedule schedule = rule.isGlobal() ? Schedule.ONE_SHOT : Schedule.LAYER_BY_LAYER;
    return UnitPruner.prune(network, evalData, GroupNormCriterion.INSTANCE, rule, schedule,
        StatisticsOptions.defaults());
  }

  /**
   * Penalised training, removal, then fine-tuning (skipped when {@code finetune} is null).
   *
   * @param network the starting network (trained or not); not modified
   */
  public static PenaltyResult run(Network network, Dataset train, Penalty penalty, TrainingConfig penaltyRun,
      ThresholdRule rule, TrainingConfig finetune) {
    Network penalized = train(network, train, penalty, penaltyRun);
    PruningResult pruned = removeUnits(penalized, train, rule);
    Network out = pruned.network();
    if (finetune != null) {
      out = out.copy();
      new Trainer(finetune).fit(out, train);
    }
    return new PenaltyResult(penalized, pruned, out, penaltyRun.epochs(),
        finetune == null ? 0 : finetune.epochs());
  }
}
