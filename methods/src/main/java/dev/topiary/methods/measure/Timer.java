package dev.topiary.methods.measure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Times operations side by side, the one timing loop of the project: kernel benchmarks time a
 * {@link Runnable} with it, {@link Latency} a network's inference.
 *
 * <p>Protocol: each operation is warmed up in turn for at least the warm-up time and then until the
 * time per call of one window of calls is within 5 % of the window before (the JIT has settled), but
 * never longer than twice the warm-up, so a caller's time budget holds within that. Two windows of a
 * few calls each prove nothing, though: before C2 compiles a Vector API kernel it runs the API's Java
 * fallback, up to a thousand times slower, and a handful of such calls can look settled. So a window
 * counts as settled only when it holds at least {@value #SETTLED_CALLS} calls, and while windows hold
 * fewer the warm-up may run to {@value #MAX_SLOW_WARMUP_FACTOR} times the requested time. The last window's
 * time per call sizes a sample: enough consecutive calls to last the sample time, so the clock's
 * granularity and the loop are negligible.
 * Then rounds: in each round every operation runs one sample, in forward order in even rounds and in
 * reverse order in odd ones, so that they share the machine's noise (other processes, frequency
 * changes) and neither always runs right after the other — which matters when the result is a ratio.
 * Rounds go on until both at least {@code minRounds} are done and the measuring budget is spent.
 */
public final class Timer {

  /** Settled: two successive warm-up windows within this relative difference of each other. */
  private static final double SETTLED = 0.05;

  /** Warm-up never runs longer than this many times the requested warm-up once windows are long. */
  private static final int MAX_WARMUP_FACTOR = 2;

  /** A window of fewer calls than this never counts as settled. */
  static final int SETTLED_CALLS = 16;

  /** While windows hold fewer than {@link #SETTLED_CALLS} calls, warm-up may run this many times longer. */
  static final int MAX_SLOW_WARMUP_FACTOR = 10;

  private Timer() {}

  /**
   * Times each of {@code ops}; see the class comment.
   *
   * @param ops the operations; each is called many times and should leave its result where the JIT
   *     cannot discard it (an array it writes)
   * @param warmup minimum warm-up of each operation, ≥ 0
   * @param sample minimum length of one sample, ≥ 0 (0: one call per sample)
   * @param minRounds samples taken of every operation at least, ≥ 1
   * @param budget time spent measuring, all operations together, ≥ 0 (0: exactly {@code minRounds})
   * @return one timing per operation, in order
   * @throws IllegalArgumentException if there is no operation or a size is out of range
   */
  public static List<Timing> time(List<? extends Runnable> ops, Duration warmup, Duration sample, int minRounds,
      Duration budget) {
    Rounds r = rounds(ops, warmup, sample, minRounds, budget);
    Timing[] out = new Timing[ops.size()];
    for (int i = 0; i < out.length; i++) {
      double[] s = r.perCall()[i].clone();
      Arrays.sort(s);
      out[i] = new Timing(s.length, r.callsPerSample()[i], r.warmupNanos()[i], s[0], quantile(s, 0.5),
          quantile(s, 0.9));
    }
    return List.of(out);
  }

  /**
   * The raw samples of {@link #time}: {@code perCall[i][r]} is operation i's time per call in round r, so
   * that two operations can be compared round by round.
   *
   * @param perCall nanoseconds per call, by operation and round
   * @param callsPerSample consecutive calls in each of operation i's samples
   * @param warmupNanos time spent warming operation i up
   */
  public record Rounds(double[][] perCall, long[] callsPerSample, long[] warmupNanos) {}

  /**
   * Times each of {@code ops} as {@link #time} does and returns every round's sample.
   *
   * @throws IllegalArgumentException as {@link #time} does
   */
  public static Rounds rounds(List<? extends Runnable> ops, Duration warmup, Duration sample, int minRounds,
      Duration budget) {
    Objects.requireNonNull(ops, "ops");
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("no operations to time");
    }
    if (warmup.isNegative() || sample.isNegative() || budget.isNegative() || minRounds < 1) {
      throw new IllegalArgumentException("warm-up, sample and budget must be >= 0 and rounds >= 1, found "
          + warmup + ", " + sample + ", " + budget + ", " + minRounds);
    }
    int k = ops.size();
    long[] group = new long[k];
    long[] warmupNanos = new long[k];
    for (int i = 0; i < k; i++) {
      long t0 = System.nanoTime();
      double each = warmUp(ops.get(i), warmup.toNanos());
      warmupNanos[i] = System.nanoTime() - t0;
      group[i] = Math.max(1, (long) Math.ceil(sample.toNanos() / Math.max(each, 1.0)));
    }
    double[][] perCall = new double[k][Math.max(minRounds, 16)];
    long end = System.nanoTime() + budget.toNanos();
    int rounds = 0;
    while (rounds < minRounds || System.nanoTime() < end) {
      if (rounds == perCall[0].length) {
        for (int i = 0; i < k; i++) {
          perCall[i] = Arrays.copyOf(perCall[i], 2 * rounds);
        }
      }
      for (int j = 0; j < k; j++) {
        int i = (rounds & 1) == 0 ? j : k - 1 - j;
        Runnable op = ops.get(i);
        long calls = group[i];
        long t0 = System.nanoTime();
        for (long c = 0; c < calls; c++) {
          op.run();
        }
        perCall[i][rounds] = Math.max(1.0, System.nanoTime() - t0) / calls;
      }
      rounds++;
    }
    double[][] samples = new double[k][];
    for (int i = 0; i < k; i++) {
      samples[i] = Arrays.copyOf(perCall[i], rounds);
    }
    return new Rounds(samples, group, warmupNanos);
  }

  /** Warms {@code op} up (see the class comment); returns the last window's nanoseconds per call. */
  private static double warmUp(Runnable op, long nanos) {
    long start = System.nanoTime();
    long window = Math.max(1, nanos / 4);
    double previous = Double.NaN;
    long[] calls = new long[1];
    while (true) {
      double perCall = window(op, window, calls);
      long elapsed = System.nanoTime() - start;
      boolean few = calls[0] < SETTLED_CALLS;
      boolean settled = !few && Math.abs(perCall - previous) <= SETTLED * previous;
      long cap = (few ? MAX_SLOW_WARMUP_FACTOR : MAX_WARMUP_FACTOR) * nanos;
      if (elapsed >= nanos && (settled || elapsed >= cap)) {
        return perCall;
      }
      previous = perCall;
    }
  }

  /**
   * Calls op for at least {@code nanos} (and at least twice); returns nanoseconds per call and puts the
   * number of calls in {@code calls[0]}.
   */
  private static double window(Runnable op, long nanos, long[] calls) {
    long t0 = System.nanoTime();
    long n = 0;
    long elapsed;
    do {
      op.run();
      n++;
      elapsed = System.nanoTime() - t0;
    } while (elapsed < nanos || n < 2);
    calls[0] = n;
    return (double) elapsed / n;
  }

  /** Linear interpolation between order statistics of sorted {@code s}. */
  static double quantile(double[] s, double q) {
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
