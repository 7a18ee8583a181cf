package dev.topiary.core.metrics;

/**
 * Regression metrics on plain arrays: predictions against targets, both row-major [rows × outputs] in the
 * same units. Sums run in double precision. Every method needs at least one value and arrays of equal
 * length, and throws {@link IllegalArgumentException} otherwise.
 */
public final class RegressionMetrics {

  private RegressionMetrics() {}

  /** Mean squared error over all values. */
  public static double mse(float[] predicted, float[] targets) {
    ClassificationMetrics.checkRows(predicted.length, targets.length);
    double sum = 0;
    for (int i = 0; i < targets.length; i++) {
      double d = (double) predicted[i] - targets[i];
      sum += d * d;
    }
    return sum / targets.length;
  }

  /** Square root of {@link #mse}, in the units of the target. */
  public static double rmse(float[] predicted, float[] targets) {
    return Math.sqrt(mse(predicted, targets));
  }

  /** Mean absolute error over all values. */
  public static double mae(float[] predicted, float[] targets) {
    ClassificationMetrics.checkRows(predicted.length, targets.length);
    double sum = 0;
    for (int i = 0; i < targets.length; i++) {
      sum += Math.abs((double) predicted[i] - targets[i]);
    }
    return sum / targets.length;
  }

  /** R² of a single output: see {@link #r2(float[], float[], int)}. */
  public static double r2(float[] predicted, float[] targets) {
    return r2(predicted, targets, 1);
  }

  /**
   * Coefficient of determination R² = 1 − SS<sub>res</sub>/SS<sub>tot</sub> per output column, averaged
   * over the columns with equal weight. 1 for a perfect prediction, 0 for predicting the target's mean,
   * negative for worse. A constant target column (SS<sub>tot</sub> = 0) scores 1 when predicted exactly
   * and 0 otherwise, as scikit-learn does.
   */
  public static double r2(float[] predicted, float[] targets, int outputs) {
    ClassificationMetrics.checkRows(predicted.length, targets.length);
    if (outputs < 1 || targets.length % outputs != 0) {
      throw new IllegalArgumentException(targets.length + " targets do not divide into " + outputs + " outputs");
    }
    int rows = targets.length / outputs;
    double total = 0;
    for (int j = 0; j < outputs; j++) {
      double mean = 0;
      for (int i = 0; i < rows; i++) {
        mean += targets[i * outputs + j];
      }
      mean /= rows;
      double ssRes = 0;
      double ssTot = 0;
      for (int i = 0; i < rows; i++) {
        double t = targets[i * outputs + j];
        double r = t - predicted[i * outputs + j];
        ssRes += r * r;
        ssTot += (t - mean) * (t - mean);
      }
      total += ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
    return total / outputs;
  }
}
