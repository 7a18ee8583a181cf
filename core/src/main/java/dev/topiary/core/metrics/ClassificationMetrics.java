package dev.topiary.core.metrics;

/**
 * Classification metrics on plain arrays: predicted classes or class probabilities against true labels.
 * Probabilities are row-major [rows × K]. Sums run in double precision. Every method needs at least one
 * row and arrays of matching lengths, and throws {@link IllegalArgumentException} otherwise.
 */
public final class ClassificationMetrics {

  /**
   * Probabilities are clipped to [ε, 1 − ε] with ε = 10<sup>−15</sup> before the logarithm, so a confident
   * wrong prediction costs at most −ln ε ≈ 34.5 rather than infinity (the convention of scikit-learn's
   * {@code log_loss}). Rows are not renormalised after clipping.
   */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  private ClassificationMetrics() {}

  /** Fraction of rows where {@code predicted[i] == labels[i]}. */
  public static double accuracy(int[] predicted, int[] labels) {
    checkRows(predicted.length, labels.length);
    long right = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predicted[i] == labels[i]) {
        right++;
      }
    }
    return (double) right / labels.length;
  }

  /** Macro-averaged F1 (see {@link ConfusionMatrix#macroF1()}). */
  public static double macroF1(int[] predicted, int[] labels, int classes) {
    checkRows(predicted.length, labels.length);
    return ConfusionMatrix.of(predicted, labels, classes).macroF1();
  }

  /** The confusion matrix, [actual][predicted]. */
  public static ConfusionMatrix confusion(int[] predicted, int[] labels, int classes) {
    return ConfusionMatrix.of(predicted, labels, classes);
  }

  /**
   * Mean negative log-likelihood of the true class, −(1/n)·Σ ln p<sub>i,y<sub>i</sub></sub>, with
   * probabilities clipped as {@link #LOG_LOSS_EPSILON} says.
   *
   * @param probabilities [rows × classes] row-major class probabilities (e.g. a softmax output)
   */
  public static double logLoss(float[] probabilities, int[] labels, int classes) {
    checkShape(probabilities, labels, classes);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      int y = labels[i];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException("row " + i + ": label " + y + " outside [0, " + classes + ")");
      }
      double p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probabilities[i * classes + y]));
      sum -= Math.log(p);
    }
    return sum / labels.length;
  }

  /**
   * The index of the largest score in each row of a [rows × classes] block (the first one on ties). NaN
   * scores never win unless a row has nothing else.
   */
  public static int[] argmax(float[] scores, int rows, int classes) {
    if (classes < 1 || scores.length != (long) rows * classes) {
      throw new IllegalArgumentException(
          "scores have " + scores.length + " values, expected " + rows + " x " + classes);
    }
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      int o = i * classes;
      int best = 0;
      float bestScore = scores[o];
      for (int c = 1; c < classes; c++) {
        float s = scores[o + c];
        if (s > bestScore || (Float.isNaN(bestScore) && !Float.isNaN(s))) {
          best = c;
          bestScore = s;
        }
      }
      out[i] = best;
    }
    return out;
  }

  static void checkShape(float[] probabilities, int[] labels, int classes) {
    if (classes < 1 || probabilities.length != (long) labels.length * classes) {
      throw new IllegalArgumentException("probabilities have " + probabilities.length + " values, expected "
          + labels.length + " rows x " + classes + " classes");
    }
    checkRows(labels.length, labels.length);
  }

  static void checkRows(int predictions, int truths) {
    if (predictions != truths) {
      throw new IllegalArgumentException(predictions + " predictions for " + truths + " rows");
    }
    if (truths == 0) {
      throw new IllegalArgumentException("a metric needs at least one row");
    }
  }
}
