package dev.topiary.training;

/**
 * When to stop on a validation metric: after {@code patience} epochs in a row without an improvement of
 * more than {@code minDelta}; with {@code restoreBest} the network gets the weights of its best epoch back
 * when training ends (by stopping early or by running out of epochs).
 *
 * @param metric the validation metric watched
 * @param patience epochs without improvement before stopping, ≥ 1 ({@link Integer#MAX_VALUE}: never)
 * @param minDelta the smallest change that counts as an improvement, ≥ 0
 * @param restoreBest whether to restore the best epoch's weights at the end
 */
public record EarlyStopping(ValidationMetric metric, int patience, double minDelta, boolean restoreBest) {

  /** Checks the ranges. */
  public EarlyStopping {
    java.util.Objects.requireNonNull(metric, "metric");
    if (patience < 1) {
      throw new IllegalArgumentException("early stopping patience must be >= 1, found " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("early stopping minDelta must be >= 0, found " + minDelta);
    }
  }

  /** Stop after {@code patience} epochs without improvement of {@code metric}; restore the best weights. */
  public static EarlyStopping on(ValidationMetric metric, int patience) {
    return new EarlyStopping(metric, patience, 0.0, true);
  }

  /** Never stop early; report the validation loss; keep the last weights. */
  public static EarlyStopping off() {
    return new EarlyStopping(ValidationMetric.LOSS, Integer.MAX_VALUE, 0.0, false);
  }

  /** True when this can stop training. */
  public boolean enabled() {
    return patience != Integer.MAX_VALUE;
  }
}
