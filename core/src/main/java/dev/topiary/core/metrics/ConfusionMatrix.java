package dev.topiary.core.metrics;

import java.util.Arrays;

/**
 * Counts of (actual class, predicted class) pairs over K classes: row = actual, column = predicted.
 *
 * <p>Per-class F1 is 2·TP / (2·TP + FP + FN), which is the harmonic mean of precision and recall and is 0
 * when the class was never predicted correctly; {@link #macroF1()} averages it over the classes that occur
 * among the actual or the predicted classes (a class absent from both says nothing and is left out, as in
 * scikit-learn's default).
 */
public final class ConfusionMatrix {

  private final int classes;
  private final long[] counts;

  private ConfusionMatrix(int classes, long[] counts) {
    this.classes = classes;
    this.counts = counts;
  }

  /**
   * Counts the pairs of {@code predicted[i]} and {@code actual[i]}.
   *
   * @throws IllegalArgumentException when the arrays differ in length or a class is outside [0, classes)
   */
  public static ConfusionMatrix of(int[] predicted, int[] actual, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, found " + classes);
    }
    if (predicted.length != actual.length) {
      throw new IllegalArgumentException(
          predicted.length + " predictions for " + actual.length + " labels");
    }
    long[] counts = new long[classes * classes];
    for (int i = 0; i < predicted.length; i++) {
      int a = actual[i];
      int p = predicted[i];
      if (a < 0 || a >= classes || p < 0 || p >= classes) {
        throw new IllegalArgumentException("row " + i + ": actual " + a + " / predicted " + p
            + " outside [0, " + classes + ")");
      }
      counts[a * classes + p]++;
    }
    return new ConfusionMatrix(classes, counts);
  }

  /** Number of classes K. */
  public int classes() {
    return classes;
  }

  /** Rows whose actual class is {@code actual} and predicted class is {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual * classes + predicted];
  }

  /** The counts as a fresh K×K array, [actual][predicted]. */
  public long[][] counts() {
    long[][] m = new long[classes][];
    for (int a = 0; a < classes; a++) {
      m[a] = Arrays.copyOfRange(counts, a * classes, (a + 1) * classes);
    }
    return m;
  }

  /** Number of rows counted. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Rows whose actual class is c. */
  public long actual(int c) {
    long t = 0;
    for (int p = 0; p < classes; p++) {
      t += count(c, p);
    }
    return t;
  }

  /** Rows predicted as class c. */
  public long predicted(int c) {
    long t = 0;
    for (int a = 0; a < classes; a++) {
      t += count(a, c);
    }
    return t;
  }

  /** Fraction of rows on the diagonal; NaN when no rows were counted. */
  public double accuracy() {
    long right = 0;
    for (int c = 0; c < classes; c++) {
      right += count(c, c);
    }
    long total = total();
    return total == 0 ? Double.NaN : (double) right / total;
  }

  /** TP / (TP + FP) of class c; 0 when c was never predicted. */
  public double precision(int c) {
    long p = predicted(c);
    return p == 0 ? 0 : (double) count(c, c) / p;
  }

  /** TP / (TP + FN) of class c; 0 when c never occurs. */
  public double recall(int c) {
    long a = actual(c);
    return a == 0 ? 0 : (double) count(c, c) / a;
  }

  /** 2·TP / (2·TP + FP + FN) of class c; NaN when c occurs neither as actual nor as predicted class. */
  public double f1(int c) {
    long tp = count(c, c);
    long fp = predicted(c) - tp;
    long fn = actual(c) - tp;
    long denominator = 2 * tp + fp + fn;
    return denominator == 0 ? Double.NaN : 2.0 * tp / denominator;
  }

  /** Unweighted mean of {@link #f1} over the classes that occur; NaN when no rows were counted. */
  public double macroF1() {
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      double f = f1(c);
      if (!Double.isNaN(f)) {
        sum += f;
        present++;
      }
    }
    return present == 0 ? Double.NaN : sum / present;
  }

  /** The matrix as aligned text, actual classes down, predicted across. */
  @Override
  public String toString() {
    int width = 1;
    for (long c : counts) {
      width = Math.max(width, Long.toString(c).length());
    }
    width = Math.max(width, Integer.toString(classes - 1).length()) + 1;
    StringBuilder sb = new StringBuilder("actual\\predicted\n");
    sb.append(" ".repeat(width));
    for (int p = 0; p < classes; p++) {
      sb.append(pad(Integer.toString(p), width));
    }
    for (int a = 0; a < classes; a++) {
      sb.append('\n').append(pad(Integer.toString(a), width));
      for (int p = 0; p < classes; p++) {
        sb.append(pad(Long.toString(count(a, p)), width));
      }
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && m.classes == classes && Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * classes + Arrays.hashCode(counts);
  }
}
