package dev.topiary.cli.bench;

import java.util.Arrays;

/**
 * How long one operation takes, measured the careful way: warm up until the JIT has settled, then time
 * several runs, each repeating the operation enough times to last at least a minimum duration (so the
 * clock's resolution and the loop are negligible), and keep the best run (the one least disturbed by
 * other work on the machine) and the median (what to expect).
 *
 * @param bestSeconds fastest run, per operation
 * @param medianSeconds median run, per operation
 * @param runs timed runs
 * @param repsPerRun operations in each timed run
 * @param warmupSeconds time spent warming up
 */
record Timing(double bestSeconds, double medianSeconds, int runs, long repsPerRun, double warmupSeconds) {

  /** Settled: two successive warm-up windows within this relative difference of each other. */
  private static final double SETTLED = 0.05;

  /** Warm-up never runs longer than this many times the requested warm-up. */
  private static final int MAX_WARMUP_FACTOR = 8;

  /**
   * Times {@code op}. Warm-up lasts at least {@code warmupNanos} and goes on (up to eight times that)
   * until the time per operation of one window of calls is within 5% of the window before; then
   * {@code runs} timed runs of at least {@code minRunNanos} each.
   */
  static Timing measure(Runnable op, long warmupNanos, int runs, long minRunNanos) {
    if (runs < 1 || warmupNanos < 0 || minRunNanos < 0) {
      throw new IllegalArgumentException("runs must be >= 1 and durations >= 0");
    }
    long start = System.nanoTime();
    long window = Math.max(1, warmupNanos / 4);
    double previous = Double.NaN;
    double perOp;
    while (true) {
      perOp = window(op, window);
      long elapsed = System.nanoTime() - start;
      boolean settled = Math.abs(perOp - previous) <= SETTLED * previous;
      if (elapsed >= warmupNanos && (settled || elapsed >= MAX_WARMUP_FACTOR * warmupNanos)) {
        break;
      }
      previous = perOp;
    }
    double warmupSeconds = (System.nanoTime() - start) / 1e9;

    long reps = Math.max(1, (long) Math.ceil(minRunNanos / Math.max(perOp, 1.0)));
    double[] perOpRuns = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      for (long i = 0; i < reps; i++) {
        op.run();
      }
      perOpRuns[r] = (System.nanoTime() - t0) / 1e9 / reps;
    }
    Arrays.sort(perOpRuns);
    double median = runs % 2 == 1
        ? perOpRuns[runs / 2]
        : 0.5 * (perOpRuns[runs / 2 - 1] + perOpRuns[runs / 2]);
    return new Timing(perOpRuns[0], median, runs, reps, warmupSeconds);
  }

  /** Calls op for at least {@code nanos} (and at least twice); returns nanoseconds per call. */
  private static double window(Runnable op, long nanos) {
    long t0 = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      op.run();
      calls++;
      elapsed = System.nanoTime() - t0;
    } while (elapsed < nanos || calls < 2);
    return (double) elapsed / calls;
  }
}
