package dev.topiary.cli;

import java.time.Duration;
import java.util.Locale;

/** How figures are written for people: grouped integers, seconds, metrics, latencies and ratios. */
public final class Format {

  private Format() {}

  /** 1,234,567. */
  static String grouped(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** 4.2 s, or 310 ms below a second. */
  static String seconds(Duration d) {
    return seconds(d.toNanos() / 1e9);
  }

  /** 4.2 s, or 310 ms below a second. */
  static String seconds(double s) {
    return s < 1 ? String.format(Locale.ROOT, "%.0f ms", s * 1e3) : String.format(Locale.ROOT, "%.1f s", s);
  }

  /** A metric value with four decimals, or "-" when there is none. */
  static String metric(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }

  /** A signed difference of metric values, e.g. +0.0031. */
  static String delta(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.4f", v) : "-";
  }

  /** A time per call: 12.3 µs, 1.24 ms. */
  static String micros(double us) {
    if (us >= 1000) {
      return String.format(Locale.ROOT, "%.2f ms", us / 1e3);
    }
    return String.format(Locale.ROOT, us >= 100 ? "%.0f µs" : us >= 10 ? "%.1f µs" : "%.2f µs", us);
  }

  /** Rows per second, rounded to three significant digits and grouped: 1,230,000 rows/s. */
  static String rate(double rowsPerSecond) {
    double p = Math.pow(10, Math.max(0, Math.floor(Math.log10(Math.max(1, rowsPerSecond))) - 2));
    return grouped(Math.round(rowsPerSecond / p) * (long) p) + " rows/s";
  }

  /** A ratio such as 3.1×. */
  static String times(double ratio) {
    return String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : "%.1f×", ratio);
  }

  /** A fraction as a percentage: 53.2 %. */
  static String percent(double f) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * f);
  }

  /**
   * A number that may not be finite, for JSON, which has no NaN or infinity: the value, or null.
   * Every {@code --json} figure that can be non-finite goes through here.
   */
  public static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
