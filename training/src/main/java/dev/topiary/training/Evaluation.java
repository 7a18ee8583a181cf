package dev.topiary.training;

/**
 * A network's quality on a data set.
 *
 * @param loss mean loss (targets standardised as in training)
 * @param accuracy fraction of rows classified correctly; NaN for regression
 * @param r2 coefficient of determination averaged over outputs, raw units; NaN for classification
 * @param mse mean squared error over all outputs in raw target units; NaN for classification
 */
public record Evaluation(double loss, double accuracy, double r2, double mse) {

  /** The value of {@code metric}. */
  public double metric(ValidationMetric metric) {
    switch (metric) {
      case LOSS: return loss;
      case ACCURACY: return accuracy;
      case R2: return r2;
      case MSE: return mse;
      default: throw new AssertionError(metric);
    }
  }
}
