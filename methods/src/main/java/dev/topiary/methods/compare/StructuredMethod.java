package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.methods.criteria.GradientStatisticsCollector;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.training.Trainer;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Any unit criterion as a comparison method: score the trained network's units on the training data,
 * remove the lowest-scored ⌊p·n_l⌋ of every hidden layer ({@link ThresholdRule#fractionPerLayer}, p from
 * {@link UnitBudget}) in one shot through {@link UnitPruner}, which folds the removed units' means into
 * the next layer's bias (or merges them into a kept partner, for a criterion that merges), then
 * fine-tune for the whole post-pruning budget. A criterion that needs gradients gets them from
 * {@link GradientStatisticsCollector#defaults()}, over the same training rows.
 */
public final class StructuredMethod implements PruningMethod {

  private final String name;
  private final String description;
  private final LongFunction<UnitCriterion> criterion;

  /**
   * A method over the criterion {@code criterion} makes for a run's seed.
   *
   * @param criterion the criterion for the seed of the trained network (most criteria ignore it)
   */
  public StructuredMethod(String name, String description, LongFunction<UnitCriterion> criterion) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.criterion = Objects.requireNonNull(criterion, "criterion");
  }

  /** A method over one fixed criterion, named after it. */
  public static StructuredMethod of(UnitCriterion criterion, String description) {
    return new StructuredMethod(criterion.name(), description, seed -> criterion);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  /** Whether the criterion scores units on {@code task}: one that needs class statistics needs labels. */
  @Override
  public boolean appliesTo(Task task) {
    UnitCriterion c = criterion.apply(0);
    return task.isClassification() || !c.requiredStatistics(StatisticsOptions.defaults()).classMoments();
  }

  @Override
  public MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget) {
    double p = UnitBudget.removalFraction(trained.network(), keepFraction);
    UnitCriterion c = criterion.apply(trained.seed());
    PruningResult r = UnitPruner.prune(trained.network(), split.train(), c,
        ThresholdRule.fractionPerLayer(p), Schedule.ONE_SHOT, StatisticsOptions.defaults(),
        c.needsGradients() ? GradientStatisticsCollector.defaults() : null);
    Network net = r.network();
    new Trainer(Budget.finetune(trained, budget.finetuneEpochs(), 1)).fit(net, split.train());
    return new MethodResult(net, true, net.parameterCount(), net.flops(), budget.finetuneEpochs(),
        String.format(java.util.Locale.ROOT, "%d units removed (lowest %.4f of each layer by %s)",
            r.plan().removedUnits(), p, c.name()));
  }
}
