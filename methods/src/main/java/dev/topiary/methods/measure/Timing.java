package dev.topiary.methods.measure;

/**
 * How long one operation took per call, from the samples {@link Timer} took of it.
 *
 * @param samples timed samples
 * @param callsPerSample consecutive calls in each sample
 * @param warmupNanos time spent warming the operation up before the first sample
 * @param minNanos fastest sample's time per call: the run least disturbed by other work
 * @param medianNanos median of the samples' time per call: what to expect
 * @param p90Nanos 90th percentile of the samples' time per call
 */
public record Timing(int samples, long callsPerSample, long warmupNanos, double minNanos, double medianNanos,
    double p90Nanos) {

  /** Checks the ranges. */
  public Timing {
    if (samples < 1 || callsPerSample < 1 || warmupNanos < 0) {
      throw new IllegalArgumentException("samples and calls per sample must be >= 1 and warm-up >= 0, found "
          + samples + ", " + callsPerSample + ", " + warmupNanos);
    }
    if (!(minNanos > 0 && minNanos <= medianNanos && medianNanos <= p90Nanos)) {
      throw new IllegalArgumentException("expected 0 < min <= median <= p90, found " + minNanos + ", "
          + medianNanos + ", " + p90Nanos);
    }
  }

  /** Timed calls, warm-up excluded. */
  public long calls() {
    return samples * callsPerSample;
  }
}
