package dev.topiary.methods.measure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The speed-up of a pruned network over its original, as a median with a confidence interval, and what
 * may honestly be said about it.
 *
 * <p>The two networks are timed in interleaved rounds ({@link Timer}); each round gives one ratio
 * (original's time per call over the pruned one's), so both sides of a ratio share that moment's noise.
 * The figure is the median of the rounds' ratios and the interval is the distribution-free one for a
 * median from order statistics (the ranks n/2 ∓ z·√n/2 of the sorted ratios; Conover 1999, §3.2).
 *
 * <p>Two networks that do the same work are not always timed alike: where their weight arrays sit in
 * memory and how the JIT compiled each call site can differ by ten per cent or more. So the rounds also
 * time a fresh copy of the original (the same work in other arrays), and the interval of the original's
 * time over the copy's — the <em>same-work band</em> — says how far apart two equal networks come out on
 * this machine, now. A speed-up is claimed only when the pruned network's interval lies beyond both 1
 * and that band.
 *
 * <p>The verdict is "no measurable change" when the interval contains 1 or overlaps the same-work band,
 * when the pruned network does the same number of operations as the original (nothing was removed), and
 * when one call of the original does fewer than {@link #RELIABLE_FLOPS} floating-point operations: below
 * that, a call's cost is dominated by per-call overheads (dispatch, allocation of the activations, the
 * JIT's inlining decisions), which the network's size does not govern. A speed-up more than {@link #BEYOND_FLOPS} times
 * the FLOPs ratio is suspect; {@link Latency#estimate} measures it a second time, and if it stays the
 * report says so with the likely reason (the pruned weights fit a faster level of the cache).
 *
 * @param batch rows per call
 * @param median median of the rounds' ratios (original time over pruned time)
 * @param low lower end of the interval
 * @param high upper end of the interval
 * @param confidence the interval's confidence level
 * @param rounds interleaved rounds
 * @param flopsRatio original FLOPs over pruned FLOPs per call
 * @param originalFlops the original's FLOPs per call (batch × FLOPs per row)
 * @param remeasured whether the figure is from a second measurement, the first having been beyond the
 *     FLOPs ratio
 * @param sameLow lower end of the same-work band (the original over its copy), or NaN when not measured
 * @param sameHigh upper end of the same-work band, or NaN when not measured
 */
public record SpeedupEstimate(int batch, double median, double low, double high, double confidence, int rounds,
    double flopsRatio, long originalFlops, boolean remeasured, double sameLow, double sameHigh) {

  /** Calls of fewer FLOPs than this are too small to time reliably. */
  public static final long RELIABLE_FLOPS = 100_000;

  /** A speed-up above this multiple of the FLOPs ratio is measured again and flagged. */
  public static final double BEYOND_FLOPS = 1.5;

  /** FLOPs ratios closer to 1 than this are "the same work". */
  static final double SAME_WORK = 1e-9;

  /** What may be said. */
  public enum Verdict {
    /** The interval lies above 1. */
    FASTER,
    /** The interval lies below 1. */
    SLOWER,
    /**
     * The interval contains 1 or overlaps the same-work band, the networks do the same work, or the call
     * is below the reliable size.
     */
    NO_MEASURABLE_CHANGE
  }

  /**
   * The estimate from paired per-round times, without a same-work band.
   *
   * @param original the original's time per call in each round
   * @param pruned the pruned network's time per call in the same rounds
   * @throws IllegalArgumentException if the arrays differ in length or are empty, or a time is not positive
   */
  public static SpeedupEstimate of(int batch, double[] original, double[] pruned, double confidence,
      double flopsRatio, long originalFlops, boolean remeasured) {
    return of(batch, original, pruned, null, confidence, flopsRatio, originalFlops, remeasured);
  }

  /**
   * The estimate from paired per-round times, with the same-work band from a copy of the original timed
   * in the same rounds.
   *
   * @param original the original's time per call in each round
   * @param pruned the pruned network's time per call in the same rounds
   * @param copy a copy of the original's time per call in the same rounds, or null
   * @throws IllegalArgumentException if the arrays differ in length or are empty, or a time is not positive
   */
  public static SpeedupEstimate of(int batch, double[] original, double[] pruned, double[] copy, double confidence,
      double flopsRatio, long originalFlops, boolean remeasured) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
    }
    double[] main = interval(original, pruned, confidence);
    double[] band = copy == null ? new double[] {Double.NaN, Double.NaN, Double.NaN}
        : interval(original, copy, confidence);
    return new SpeedupEstimate(batch, main[1], main[0], main[2], confidence, original.length, flopsRatio,
        originalFlops, remeasured, band[0], band[2]);
  }

  /** Low, median and high of the per-round ratios a/b; see the class comment. */
  private static double[] interval(double[] a, double[] b, double confidence) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("need the same positive number of rounds, found " + a.length
          + " and " + b.length);
    }
    int n = a.length;
    double[] ratio = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(a[i] > 0 && b[i] > 0)) {
        throw new IllegalArgumentException("round " + i + ": times must be > 0, found " + a[i] + " and " + b[i]);
      }
      ratio[i] = a[i] / b[i];
    }
    Arrays.sort(ratio);
    double median = n % 2 == 1 ? ratio[n / 2] : 0.5 * (ratio[n / 2 - 1] + ratio[n / 2]);
    double z = normalQuantile(1 - (1 - confidence) / 2);
    int lo = (int) Math.floor(n / 2.0 - z * Math.sqrt(n) / 2);
    int hi = (int) Math.ceil(n / 2.0 + z * Math.sqrt(n) / 2);
    return new double[] {ratio[Math.max(0, Math.min(n - 1, lo))], median, ratio[Math.max(0, Math.min(n - 1, hi))]};
  }

  /** Whether the pruned network does the same number of operations per call as the original. */
  public boolean sameWork() {
    return Math.abs(flopsRatio - 1) < SAME_WORK;
  }

  /** Whether a call of the original is large enough to time reliably. */
  public boolean reliableSize() {
    return originalFlops >= RELIABLE_FLOPS;
  }

  /** Whether the median is beyond what the FLOPs removed can explain. */
  public boolean beyondFlops() {
    return median > BEYOND_FLOPS * Math.max(1.0, flopsRatio);
  }

  /** The verdict; see the class comment. */
  public Verdict verdict() {
    if (!reliableSize() || sameWork() || (low <= 1 && high >= 1)) {
      return Verdict.NO_MEASURABLE_CHANGE;
    }
    double bandHigh = Double.isNaN(sameHigh) ? 1 : Math.max(1, sameHigh);
    double bandLow = Double.isNaN(sameLow) ? 1 : Math.min(1, sameLow);
    if (low > bandHigh) {
      return Verdict.FASTER;
    }
    return high < bandLow ? Verdict.SLOWER : Verdict.NO_MEASURABLE_CHANGE;
  }

  /** For a table cell: "1.84× faster (1.71–1.93)", or "no measurable change" with the reason. */
  public String describe() {
    if (!reliableSize()) {
      return "no measurable change (too small to time)";
    }
    if (sameWork()) {
      return "no measurable change (the same work)";
    }
    if (verdict() == Verdict.NO_MEASURABLE_CHANGE) {
      return Double.isNaN(sameLow) || (low <= 1 && high >= 1)
          ? String.format(Locale.ROOT, "no measurable change (%.2f–%.2f×)", low, high)
          : String.format(Locale.ROOT, "no measurable change (%.2f–%.2f×, within the %.2f–%.2f× that two copies "
              + "of the original differ by)", low, high, sameLow, sameHigh);
    }
    String s = verdict() == Verdict.FASTER
        ? String.format(Locale.ROOT, "%.2f× faster (%.2f–%.2f)", median, low, high)
        : String.format(Locale.ROOT, "%.2f× slower (%.2f–%.2f)", 1 / median, 1 / high, 1 / low);
    return beyondFlops() ? s + String.format(Locale.ROOT, "; beyond the %.2f× FLOPs ratio", flopsRatio) : s;
  }

  /** Why a speed-up beyond the FLOPs ratio may be real, or null when it is not beyond. */
  public String note() {
    if (!beyondFlops() || verdict() != Verdict.FASTER) {
      return null;
    }
    return String.format(Locale.ROOT, "the speed-up at batch %d (%.2f×) exceeds the FLOPs ratio (%.2f×)%s: "
        + "the smaller matrices fit a faster level of the cache and per-call costs shrink with the layers; "
        + "read it as this machine's figure, not the network's", batch, median, flopsRatio,
        remeasured ? " on a second measurement too" : "");
  }

  /** JSON-ready. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch", batch);
    m.put("median", median);
    m.put("low", low);
    m.put("high", high);
    m.put("confidence", confidence);
    m.put("rounds", rounds);
    m.put("flops_ratio", flopsRatio);
    m.put("verdict", verdict().name().toLowerCase(Locale.ROOT));
    m.put("remeasured", remeasured);
    if (!Double.isNaN(sameLow)) {
      m.put("same_work_low", sameLow);
      m.put("same_work_high", sameHigh);
    }
    String n = note();
    if (n != null) {
      m.put("note", n);
    }
    return m;
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
  static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), found " + p);
    }
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double lowP = 0.02425;
    if (p < lowP) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - lowP) {
      return -normalQuantile(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
