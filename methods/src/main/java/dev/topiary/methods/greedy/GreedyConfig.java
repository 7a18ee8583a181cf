package dev.topiary.methods.greedy;

import dev.topiary.core.metrics.Metric;

/**
 * How greedy forward selection chooses and when it stops.
 *
 * @param variant how the selected subnetwork stands in for the whole layer
 * @param metricFraction stop a layer once the subnetwork's metric on the selection batch reaches this
 *     fraction of the dense network's: metric ≥ f·dense when higher is better, metric ≤ dense/f when lower
 *     is better; NaN to stop only at the unit budget
 * @param keepUnits the unit budget of each layer as a fraction of its width: a layer of n units keeps at
 *     most n − ⌊(1 − keepUnits)·n⌋ (the count {@code ThresholdRule.fractionPerLayer(1 − keepUnits)} keeps),
 *     and never fewer than one; 1 for no budget
 * @param batchRows rows of the mini-batch on which candidates are judged (a seeded sample of the data when
 *     it has more rows; all of them otherwise)
 * @param metric the metric of the stopping rule, or null for the task's default (accuracy or R²)
 * @param seed seeds the mini-batch sample
 */
public record GreedyConfig(GreedyVariant variant, double metricFraction, double keepUnits, int batchRows,
    Metric metric, long seed) {

  /** Checks the ranges. */
  public GreedyConfig {
    java.util.Objects.requireNonNull(variant, "variant");
    if (!Double.isNaN(metricFraction) && !(metricFraction > 0 && Double.isFinite(metricFraction))) {
      throw new IllegalArgumentException("metric fraction must be positive and finite, or NaN for none, found "
          + metricFraction);
    }
    if (!(keepUnits > 0 && keepUnits <= 1)) {
      throw new IllegalArgumentException("keepUnits must be in (0, 1], found " + keepUnits);
    }
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be >= 1, found " + batchRows);
    }
  }

  /** Stop each layer at 99 % of the dense metric, no unit budget, 512 rows, default metric, seed 42. */
  public static GreedyConfig defaults(GreedyVariant variant) {
    return new GreedyConfig(variant, 0.99, 1.0, 512, null, 42L);
  }

  /** A fixed budget with no metric stop: each layer keeps exactly its budget of units. */
  public static GreedyConfig budget(GreedyVariant variant, double keepUnits) {
    return new GreedyConfig(variant, Double.NaN, keepUnits, 512, null, 42L);
  }

  /** With another metric fraction (NaN: none). */
  public GreedyConfig withMetricFraction(double f) {
    return new GreedyConfig(variant, f, keepUnits, batchRows, metric, seed);
  }

  /** With another unit budget. */
  public GreedyConfig withKeepUnits(double k) {
    return new GreedyConfig(variant, metricFraction, k, batchRows, metric, seed);
  }

  /** With another batch size. */
  public GreedyConfig withBatchRows(int rows) {
    return new GreedyConfig(variant, metricFraction, keepUnits, rows, metric, seed);
  }

  /** With another metric (null: the task's default). */
  public GreedyConfig withMetric(Metric m) {
    return new GreedyConfig(variant, metricFraction, keepUnits, batchRows, m, seed);
  }

  /** With another seed. */
  public GreedyConfig withSeed(long s) {
    return new GreedyConfig(variant, metricFraction, keepUnits, batchRows, metric, s);
  }

  /** The most units a layer of {@code width} units may keep. */
  public int budgetFor(int width) {
    int remove = (int) Math.floor((1 - keepUnits) * width + 1e-9);
    return Math.max(1, width - remove);
  }

  /** True when {@code value} meets the stopping rule against the dense {@code reference}. */
  public boolean reached(double value, double reference, Metric m) {
    if (Double.isNaN(metricFraction) || Double.isNaN(value)) {
      return false;
    }
    return m.higherIsBetter() ? value >= metricFraction * reference : value * metricFraction <= reference;
  }
}
