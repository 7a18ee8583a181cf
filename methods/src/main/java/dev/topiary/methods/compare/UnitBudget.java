package dev.topiary.methods.compare;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import java.util.List;

/**
 * Turns a parameter budget into a unit budget for structured methods: the smallest fraction p such that
 * removing ⌊p·n_l⌋ units from every hidden layer (keeping at least one, as
 * {@code ThresholdRule.fractionPerLayer(p)} does) leaves at most the budget. Because units of one layer
 * also remove columns of the next, parameters fall roughly quadratically in p for inner layers.
 */
public final class UnitBudget {

  private UnitBudget() {}

  /**
   * The removal fraction p for {@code keepFraction} of {@code network}'s parameters; 1 when even the
   * smallest network (one unit per layer) exceeds the budget.
   *
   * @throws IllegalArgumentException if the network has residual blocks or keepFraction is not in (0, 1]
   */
  public static double removalFraction(Network network, double keepFraction) {
    if (!(keepFraction > 0 && keepFraction <= 1)) {
      throw new IllegalArgumentException("keep fraction must be in (0, 1], found " + keepFraction);
    }
    for (Layer l : network.layers()) {
      if (!(l instanceof DenseLayer)) {
        throw new IllegalArgumentException("unit budgets are computed for chains of dense layers only");
      }
    }
    double target = keepFraction * network.parameterCount();
    if (parameters(network, 0) <= target) {
      return 0;
    }
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (parameters(network, mid) <= target) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    // A little above the step, so that every rounding of p (such as 1 − (1 − p)) still counts the same
    // units; it can only remove more, never exceed the budget.
    return Math.min(1.0, hi + 1e-7);
  }

  /** Parameters after removing ⌊p·n_l⌋ units (at most n_l − 1) from every hidden layer. */
  public static long parameters(Network network, double p) {
    List<DenseLayer> dense = network.denseLayers();
    long total = 0;
    int in = network.inputSize();
    for (int l = 0; l < dense.size(); l++) {
      int n = dense.get(l).outputSize();
      int out = l == dense.size() - 1 ? n : n - Math.min((int) Math.floor(p * n + 1e-9), n - 1);
      total += (long) in * out + out;
      in = out;
    }
    return total;
  }
}
