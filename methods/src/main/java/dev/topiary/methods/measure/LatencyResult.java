package dev.topiary.methods.measure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measured cost of one batched inference call of one network.
 *
 * @param batch rows per call
 * @param threads the kernels' thread setting during the measurement
 * @param calls timed calls (warm-up excluded)
 * @param samples timed samples; each sample times a group of consecutive calls
 * @param medianNanos median wall time of one call, in nanoseconds
 * @param minNanos fastest sample's time per call
 * @param p90Nanos 90th percentile of the samples' time per call
 */
public record LatencyResult(int batch, int threads, long calls, int samples, double medianNanos,
    double minNanos, double p90Nanos) {

  /** Checks the ranges. */
  public LatencyResult {
    if (batch < 1 || calls < 1 || samples < 1) {
      throw new IllegalArgumentException("batch, calls and samples must be >= 1, found " + batch + ", "
          + calls + ", " + samples);
    }
    if (!(minNanos > 0 && minNanos <= medianNanos && medianNanos <= p90Nanos)) {
      throw new IllegalArgumentException("expected 0 < min <= median <= p90, found " + minNanos + ", "
          + medianNanos + ", " + p90Nanos);
    }
  }

  /** Median microseconds per call. */
  public double microsPerCall() {
    return medianNanos / 1e3;
  }

  /** Rows per second at the median: batch / median time per call. */
  public double rowsPerSecond() {
    return batch * 1e9 / medianNanos;
  }

  /** As a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch", batch);
    m.put("threads", threads);
    m.put("median_us", microsPerCall());
    m.put("min_us", minNanos / 1e3);
    m.put("p90_us", p90Nanos / 1e3);
    m.put("rows_per_second", rowsPerSecond());
    m.put("calls", calls);
    m.put("samples", samples);
    return m;
  }
}
