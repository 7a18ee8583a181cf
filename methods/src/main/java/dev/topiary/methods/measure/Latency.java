package dev.topiary.methods.measure;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Measures how long one batched inference call takes: the task's natural output (class probabilities or
 * values in target units) for {@code batch} rows, through the network's own batched inference into a
 * preallocated output, as a deployed model is called.
 *
 * <p>The timing protocol is {@link Timer}'s: each network is warmed up until the JIT has settled, then
 * the networks are timed in interleaved rounds of samples of about {@value #TARGET_SAMPLE_NANOS} ns
 * (so the clock's granularity is negligible even at batch 1). The figure reported is the median over the
 * samples of the time per call, and a speed-up is the ratio of two such medians measured side by side.
 */
public final class Latency {

  /** Aim for samples of about this many nanoseconds. */
  static final long TARGET_SAMPLE_NANOS = 200_000;

  /** Warm-up of each network before a {@link #speedup}: long enough for the JIT to compile its path. */
  static final Duration SPEEDUP_WARMUP = Duration.ofMillis(50);

  private static volatile float sink;

  private Latency() {}

  /**
   * Measures one network; see {@link #compare}.
   *
   * @throws IllegalArgumentException as {@link #compare} does
   */
  public static LatencyResult measure(Network network, float[] rows, int rowCount, int batch, Duration warmup,
      Duration budget) {
    return compare(List.of(network), rows, rowCount, batch, warmup, budget).get(0);
  }

  /**
   * Measures several networks with the same input width in interleaved rounds (see the class comment).
   *
   * @param networks the networks, all reading the same number of inputs
   * @param rows raw input rows, row-major [rowCount × inputs]; cycled to fill a batch when there are fewer
   * @param rowCount rows available in {@code rows}, ≥ 1
   * @param batch rows per call, ≥ 1
   * @param warmup minimum time spent calling each network before measuring, ≥ 0
   * @param budget time spent measuring, all networks together, &gt; 0 (at least five samples per network
   *     are taken whatever the budget)
   * @return one result per network, in order
   * @throws IllegalArgumentException if the list is empty, widths differ, or a size is out of range
   */
  public static List<LatencyResult> compare(List<Network> networks, float[] rows, int rowCount, int batch,
      Duration warmup, Duration budget) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be > 0, found " + budget);
    }
    return time(networks, rows, rowCount, batch, warmup, 5, budget);
  }

  /**
   * The measured speed-up of {@code pruned} over {@code dense}: the ratio of their median times per call
   * at {@code batch} rows, timed side by side in {@code rounds} interleaved rounds after a warm-up. A
   * measurement, never a guarantee; networks this small are dominated by per-call overheads.
   *
   * @param rows raw input rows [rowCount × inputs], cycled to fill a batch
   * @throws IllegalArgumentException as {@link #compare} does, or if {@code rounds} &lt; 1
   */
  public static double speedup(Network dense, Network pruned, float[] rows, int rowCount, int batch, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
    }
    List<LatencyResult> r = time(List.of(dense, pruned), rows, rowCount, batch, SPEEDUP_WARMUP, rounds,
        Duration.ZERO);
    return r.get(0).medianNanos() / r.get(1).medianNanos();
  }

  /**
   * The speed-up of {@code pruned} over {@code original} at {@code batch} rows per call, with an interval
   * and a verdict ({@link SpeedupEstimate}): both, and a fresh copy of the original for the same-work band,
   * timed in interleaved rounds after a warm-up; a median
   * beyond {@link SpeedupEstimate#BEYOND_FLOPS} times the FLOPs ratio is measured once more, with twice
   * the budget, and that second figure is reported.
   *
   * @throws IllegalArgumentException as {@link #compare} does
   */
  public static SpeedupEstimate estimate(Network original, Network pruned, float[] rows, int rowCount, int batch,
      Duration warmup, Duration budget, double confidence) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be > 0, found " + budget);
    }
    double flopsRatio = (double) original.flops() / Math.max(1, pruned.flops());
    long flops = original.flops() * batch;
    SpeedupEstimate e = estimateOnce(original, pruned, rows, rowCount, batch, warmup, budget, confidence, flopsRatio,
        flops, false);
    if (e.beyondFlops() && e.reliableSize()) {
      e = estimateOnce(original, pruned, rows, rowCount, batch, warmup, budget.multipliedBy(2), confidence,
          flopsRatio, flops, true);
    }
    return e;
  }

  private static SpeedupEstimate estimateOnce(Network original, Network pruned, float[] rows, int rowCount,
      int batch, Duration warmup, Duration budget, double confidence, double flopsRatio, long flops,
      boolean again) {
    // A fresh copy of the original, timed in the same rounds, gives the same-work band.
    Timer.Rounds r = Timer.rounds(calls(List.of(original, pruned, original.copy()), rows, rowCount, batch,
        new float[3][]), warmup, Duration.ofNanos(TARGET_SAMPLE_NANOS), 9, budget);
    return SpeedupEstimate.of(batch, r.perCall()[0], r.perCall()[1], r.perCall()[2], confidence, flopsRatio, flops,
        again);
  }

  private static List<LatencyResult> time(List<Network> networks, float[] rows, int rowCount, int batch,
      Duration warmup, int minRounds, Duration budget) {
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warm-up must be >= 0, found " + warmup);
    }
    float[][] out = new float[networks.size()][];
    List<Runnable> calls = calls(networks, rows, rowCount, batch, out);
    List<Timing> timings = Timer.time(calls, warmup, Duration.ofNanos(TARGET_SAMPLE_NANOS), minRounds, budget);
    int threads = Kernels.threads();
    int k = networks.size();
    List<LatencyResult> results = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Timing t = timings.get(i);
      sink += out[i][0];
      results.add(new LatencyResult(batch, threads, t.calls(), t.samples(), t.medianNanos(), t.minNanos(),
          t.p90Nanos()));
    }
    return results;
  }

  /** One inference call per network on a batch built from {@code rows}; outputs go to {@code out[i]}. */
  private static List<Runnable> calls(List<Network> networks, float[] rows, int rowCount, int batch,
      float[][] out) {
    Objects.requireNonNull(networks, "networks");
    Objects.requireNonNull(rows, "rows");
    if (networks.isEmpty()) {
      throw new IllegalArgumentException("no networks to measure");
    }
    int inputs = networks.get(0).inputSize();
    for (Network n : networks) {
      if (n.inputSize() != inputs) {
        throw new IllegalArgumentException("networks read different widths: " + inputs + " and " + n.inputSize());
      }
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, found " + batch);
    }
    if (rowCount < 1 || (long) rowCount * inputs > rows.length) {
      throw new IllegalArgumentException(rowCount + " rows of " + inputs + " inputs need " + (long) rowCount * inputs
          + " values, the array holds " + rows.length);
    }
    float[] x = new float[Math.multiplyExact(batch, inputs)];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(rows, (r % rowCount) * inputs, x, r * inputs, inputs);
    }
    int k = networks.size();
    List<Runnable> calls = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Network network = networks.get(i);
      float[] o = new float[Math.multiplyExact(batch, network.outputSize())];
      out[i] = o;
      calls.add(network.task().isClassification()
          ? () -> network.predictProbabilities(x, 0, batch, o, 0)
          : () -> network.predictValues(x, 0, batch, o, 0));
    }
    return calls;
  }
}
