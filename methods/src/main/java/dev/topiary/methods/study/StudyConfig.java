package dev.topiary.methods.study;

import dev.topiary.methods.compare.Budget;
import dev.topiary.methods.compare.Methods;
import dev.topiary.methods.compare.PruningMethod;
import java.util.List;

/**
 * What the pre-training study varies and what it holds fixed.
 *
 * @param budget the network, the training run and the fine-tuning budget after pruning
 * @param keepFraction the parameter budget every pruned network meets
 * @param dataFractions the shares of the training rows the data-size axis trains on, ascending in (0, 1]
 * @param methods the pruning methods (greedy selection and variance by default)
 * @param seed the seed of initialisation, batch order and subsets
 */
public record StudyConfig(Budget budget, double keepFraction, double[] dataFractions, List<PruningMethod> methods,
    long seed) {

  /** Checks the ranges and copies the arrays. */
  public StudyConfig {
    java.util.Objects.requireNonNull(budget, "budget");
    if (!(keepFraction > 0 && keepFraction <= 1)) {
      throw new IllegalArgumentException("keep fraction must be in (0, 1], found " + keepFraction);
    }
    dataFractions = dataFractions.clone();
    for (double f : dataFractions) {
      if (!(f > 0 && f <= 1)) {
        throw new IllegalArgumentException("data fractions must be in (0, 1], found " + f);
      }
    }
    methods = List.copyOf(methods);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("the study needs at least one method");
    }
  }

  /**
   * The defaults: {@link Budget#small()} with 64 training epochs (checkpoints at 1, 2, 4, …, 64), 30 %
   * of the parameters kept, training on 1/8, 1/4, 1/2 and all of the rows, greedy selection (scaled) and
   * variance, seed 1.
   */
  public static StudyConfig defaults() {
    return new StudyConfig(Budget.small().withEpochs(64, 15), 0.3, new double[] {0.125, 0.25, 0.5, 1.0},
        Methods.parse("greedy-scaled,variance"), 1L);
  }

  /** A copy of the data fractions. */
  @Override
  public double[] dataFractions() {
    return dataFractions.clone();
  }

  /** With another budget. */
  public StudyConfig withBudget(Budget b) {
    return new StudyConfig(b, keepFraction, dataFractions, methods, seed);
  }

  /** With other methods. */
  public StudyConfig withMethods(List<PruningMethod> m) {
    return new StudyConfig(budget, keepFraction, dataFractions, m, seed);
  }

  /** With other data fractions. */
  public StudyConfig withDataFractions(double... f) {
    return new StudyConfig(budget, keepFraction, f, methods, seed);
  }

  /** With another parameter budget. */
  public StudyConfig withKeepFraction(double k) {
    return new StudyConfig(budget, k, dataFractions, methods, seed);
  }

  /** The checkpoint epochs: 1, 2, 4, … up to the training epochs, which are always the last. */
  public int[] checkpointEpochs() {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (int e = 1; e < budget.trainEpochs(); e *= 2) {
      out.add(e);
    }
    out.add(budget.trainEpochs());
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
