package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;

/**
 * A contender that does not prune to a parameter budget but is steered to a FLOPs budget (complexity-aware
 * training, whose ν sets how much goes). A {@link Comparison} runs it after the other methods of the same
 * seed and keep fraction, with the mean FLOPs those structured methods kept as its target, so it is
 * compared at the same FLOPs.
 */
public interface FlopsMatched extends PruningMethod {

  /**
   * Trains to {@code targetFlops}.
   *
   * @param trained the shared dense network of this seed (its initialisation and recipe are used)
   * @param split training, validation and test data
   * @param keepFraction the parameter budget the other methods had, for the report
   * @param budget the training budgets
   * @param targetFlops the FLOPs per example to land at
   */
  MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget, long targetFlops);

  /** Without other methods to match: the keep fraction of the dense network's FLOPs. */
  @Override
  default MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget) {
    return apply(trained, split, keepFraction, budget, Math.round(keepFraction * trained.network().flops()));
  }
}
