package dev.topiary.pruning.criteria;

import dev.topiary.pruning.units.HiddenLayer;
import java.util.SplittableRandom;

/**
 * The control: scores drawn uniformly from [0, 1), so any rule removes a random subset of the size it
 * would remove anyway. Reproducible: the scores of a layer depend only on the seed and the layer's
 * address and width, never on the order in which layers are scored or on the data.
 *
 * @param seed the seed
 */
public record RandomCriterion(long seed) implements UnitCriterion {

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
    long mix = seed * 0x9E3779B97F4A7C15L + 31L * layer.address().layer() + layer.address().inner() + 1;
    SplittableRandom r = new SplittableRandom(mix ^ ((long) layer.width() << 32));
    double[] s = new double[layer.width()];
    for (int j = 0; j < s.length; j++) {
      s[j] = r.nextDouble();
    }
    return s;
  }
}
