package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;
import dev.topiary.core.model.Task;

/**
 * One contender of a {@link Comparison}: given the shared trained network, a parameter budget and the
 * training budget, deliver a pruned and fine-tuned network. Implementations must not modify the trained
 * network, and should land at or below {@code keepFraction} of its parameters (the minimum of one unit
 * per layer can make that impossible; the report shows what was kept).
 *
 * <p>A structured criterion becomes a method with {@link StructuredMethod} in one line, e.g.
 * {@code new StructuredMethod("taylor", "first-order Taylor", seed -> Criteria.byName("taylor"))}.
 * {@link Methods#all()} holds one such method for every name of the criteria registry.
 */
public interface PruningMethod {

  /** A short name for tables and the command line, e.g. {@code variance}. */
  String name();

  /** One line on what the method does. */
  String description();

  /**
   * Whether the method can prune a network for {@code task}; a comparison skips those that cannot (a
   * criterion built on class statistics has nothing to score a regression with). By default, yes.
   */
  default boolean appliesTo(Task task) {
    return true;
  }

  /**
   * Prunes and fine-tunes.
   *
   * @param trained the shared dense network of this seed
   * @param split training, validation and test data (raw units)
   * @param keepFraction the fraction of the dense network's parameters to keep, in (0, 1]
   * @param budget the training budgets
   */
  MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget);
}
