package dev.topiary.methods.compare;

import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.Random;

/**
 * The control every criterion must beat: scores drawn uniformly at random, reproducibly from a seed and
 * the layer's address.
 */
public final class RandomCriterion implements UnitCriterion {

  private final long seed;

  /** Random scores from {@code seed}. */
  public RandomCriterion(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public boolean needsStatistics() {
    return false;
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    Random r = new Random(seed * 1_000_003L + layer.address().hashCode());
    double[] s = new double[layer.width()];
    for (int j = 0; j < s.length; j++) {
      s[j] = r.nextDouble();
    }
    return s;
  }
}
