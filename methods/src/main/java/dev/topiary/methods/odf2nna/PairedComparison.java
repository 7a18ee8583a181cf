package dev.topiary.methods.odf2nna;

import dev.topiary.core.metrics.Metric;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A candidate model against a reference on the paired predictions of the same held-out rows: the change
 * of the metric (candidate − reference, in the metric's units) with a paired-bootstrap confidence
 * interval.
 *
 * <p>Why paired: both models are scored on the same rows, and most rows are predicted alike by both, so
 * the difference of the two scores varies far less than either score does (for accuracy this is the
 * setting of McNemar's test: only the rows on which the models disagree carry information). The
 * bootstrap resamples rows, with replacement, and recomputes the metric of both models on each resample
 * (Efron and Tibshirani 1993, §16.4); the interval is the percentile interval of the resampled changes.
 * It works for any metric, including those that are not a mean over rows (R², macro-F1, RMSE).
 *
 * @param metric the metric compared
 * @param reference the reference's metric on all the rows
 * @param candidate the candidate's metric on all the rows
 * @param change candidate − reference
 * @param low lower end of the two-sided interval of the change at {@code confidence}
 * @param high upper end of that interval
 * @param confidence the interval's confidence level, in (0, 1)
 * @param rows the paired rows compared
 */
public record PairedComparison(Metric metric, double reference, double candidate, double change, double low,
    double high, double confidence, int rows) {

  /** Bootstrap resamples: enough for the 2.5 % and 97.5 % quantiles to move by less than a tenth of the width. */
  public static final int RESAMPLES = 2_000;

  /** Checks the ranges. */
  public PairedComparison {
    Objects.requireNonNull(metric, "metric");
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
    }
    if (rows < 1) {
      throw new IllegalArgumentException("a comparison needs at least one row, found " + rows);
    }
  }

  /** The estimated loss: how much worse the candidate is, in the metric's units (negative: better). */
  public double loss() {
    return metric.higherIsBetter() ? -change : change;
  }

  /** True when the whole interval lies on the worse side of zero: the candidate is significantly worse. */
  public boolean significantlyWorse() {
    return metric.higherIsBetter() ? high < 0 : low > 0;
  }

  /** True when the whole interval lies on the better side of zero: the candidate is significantly better. */
  public boolean significantlyBetter() {
    return metric.higherIsBetter() ? low > 0 : high < 0;
  }

  /**
   * The rule of "no loss" ODF2NNA's search applies: the estimated loss is within {@code tolerance} and
   * the candidate is not significantly worse than the reference.
   */
  public boolean noLoss(double tolerance) {
    return loss() <= tolerance + 1e-12 && !significantlyWorse();
  }

  /** JSON-ready. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", finite(reference));
    m.put("candidate", finite(candidate));
    m.put("change", finite(change));
    m.put("low", finite(low));
    m.put("high", finite(high));
    m.put("confidence", confidence);
    m.put("rows", rows);
    return m;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * Compares two classifiers on the same rows.
   *
   * @param reference the reference's outputs, [rows × classes] (probabilities, or logits for metrics that
   *     only take the arg-max)
   * @param candidate the candidate's outputs, same shape
   * @param labels the true class of each row
   * @param seed seeds the resampling (the result is deterministic for a seed)
   * @throws IllegalArgumentException if shapes disagree or the metric is not a classification metric
   */
  public static PairedComparison classification(Metric metric, float[] reference, float[] candidate, int[] labels,
      int classes, double confidence, long seed) {
    int n = labels.length;
    check(metric, true, reference.length, candidate.length, (long) n * classes);
    double r = metric.compute(reference, labels, classes);
    double c = metric.compute(candidate, labels, classes);
    float[] ro = new float[reference.length];
    float[] co = new float[candidate.length];
    int[] lo = new int[n];
    double[] changes = new double[RESAMPLES];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < RESAMPLES; b++) {
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        System.arraycopy(reference, k * classes, ro, i * classes, classes);
        System.arraycopy(candidate, k * classes, co, i * classes, classes);
        lo[i] = labels[k];
      }
      changes[b] = metric.compute(co, lo, classes) - metric.compute(ro, lo, classes);
    }
    return of(metric, r, c, changes, confidence, n);
  }

  /**
   * Compares two regressors on the same rows; see {@link #classification}.
   *
   * @param targets the true values, [rows × outputs]
   */
  public static PairedComparison regression(Metric metric, float[] reference, float[] candidate, float[] targets,
      int outputs, double confidence, long seed) {
    if (outputs < 1 || targets.length % outputs != 0) {
      throw new IllegalArgumentException(targets.length + " targets do not make rows of " + outputs + " outputs");
    }
    int n = targets.length / outputs;
    check(metric, false, reference.length, candidate.length, targets.length);
    double r = metric.compute(reference, targets, outputs);
    double c = metric.compute(candidate, targets, outputs);
    float[] ro = new float[reference.length];
    float[] co = new float[candidate.length];
    float[] to = new float[targets.length];
    double[] changes = new double[RESAMPLES];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < RESAMPLES; b++) {
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        System.arraycopy(reference, k * outputs, ro, i * outputs, outputs);
        System.arraycopy(candidate, k * outputs, co, i * outputs, outputs);
        System.arraycopy(targets, k * outputs, to, i * outputs, outputs);
      }
      changes[b] = metric.compute(co, to, outputs) - metric.compute(ro, to, outputs);
    }
    return of(metric, r, c, changes, confidence, n);
  }

  private static void check(Metric metric, boolean classification, int a, int b, long expected) {
    if (classification != isClassification(metric)) {
      throw new IllegalArgumentException("metric " + metric.id() + " is not a "
          + (classification ? "classification" : "regression") + " metric");
    }
    if (a != expected || b != expected) {
      throw new IllegalArgumentException("outputs hold " + a + " and " + b + " values, the rows need " + expected);
    }
    if (expected == 0) {
      throw new IllegalArgumentException("a comparison needs at least one row");
    }
  }

  private static boolean isClassification(Metric m) {
    return m.appliesTo(dev.topiary.core.model.Task.classification(java.util.List.of("a", "b")));
  }

  private static PairedComparison of(Metric metric, double r, double c, double[] changes, double confidence,
      int rows) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
    }
    // NaN resamples (a metric undefined on a degenerate resample, e.g. R² of constant targets) are dropped.
    double[] s = Arrays.stream(changes).filter(Double::isFinite).sorted().toArray();
    double alpha = (1 - confidence) / 2;
    double lo = s.length == 0 ? Double.NaN : quantile(s, alpha);
    double hi = s.length == 0 ? Double.NaN : quantile(s, 1 - alpha);
    return new PairedComparison(metric, r, c, c - r, lo, hi, confidence, rows);
  }

  private static double quantile(double[] s, double q) {
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
