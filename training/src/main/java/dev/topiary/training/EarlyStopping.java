package dev.topiary.training;

import dev.topiary.core.metrics.Metric;

/**
 * When to stop on the validation set: after {@code patience} epochs in a row without an improvement of
 * more than {@code minDelta} in the watched value, which is a {@link Metric} or, when {@code metric} is
 * null, the training loss; with {@code restoreBest} the network gets the weights of its best epoch back
 * when training ends (by stopping early or by running out of epochs).
 *
 * @param metric the validation metric watched, or null for the training loss on the validation set
 * @param patience epochs without improvement before stopping, ≥ 1 ({@link Integer#MAX_VALUE}: never)
 * @param minDelta the smallest change that counts as an improvement, ≥ 0
 * @param restoreBest whether to restore the best epoch's weights at the end
 */
public record EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {

  /** Checks the ranges. */
  public EarlyStopping {
    if (patience < 1) {
      throw new IllegalArgumentException("early stopping patience must be >= 1, found " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("early stopping minDelta must be >= 0, found " + minDelta);
    }
  }

  /** Stop after {@code patience} epochs without improvement of {@code metric}; restore the best weights. */
  public static EarlyStopping on(Metric metric, int patience) {
    return new EarlyStopping(java.util.Objects.requireNonNull(metric, "metric"), patience, 0.0, true);
  }

  /** Stop after {@code patience} epochs without a lower validation loss; restore the best weights. */
  public static EarlyStopping onLoss(int patience) {
    return new EarlyStopping(null, patience, 0.0, true);
  }

  /** Never stop early; report the validation loss; keep the last weights. */
  public static EarlyStopping off() {
    return new EarlyStopping(null, Integer.MAX_VALUE, 0.0, false);
  }

  /** True when this can stop training. */
  public boolean enabled() {
    return patience != Integer.MAX_VALUE;
  }

  /** The watched value of an evaluation: the metric, or the loss when no metric is set. */
  public double watched(Evaluation evaluation) {
    return metric == null ? evaluation.loss() : evaluation.metric(metric);
  }

  /** True when {@code candidate} beats {@code best} by more than {@code minDelta}; NaN never improves. */
  public boolean improves(double candidate, double best) {
    if (metric != null) {
      return metric.isBetter(candidate, best, minDelta);
    }
    return !Double.isNaN(candidate) && (Double.isNaN(best) || candidate < best - minDelta);
  }
}
