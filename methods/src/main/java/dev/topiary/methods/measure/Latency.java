package dev.topiary.methods.measure;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Measures how long one batched inference call takes: the task's natural output (class probabilities or
 * values in target units) for {@code batch} rows, through the network's own batched inference into a
 * preallocated output, as a deployed model is called.
 *
 * <p>Protocol: every network is first called repeatedly for the warm-up time (so the JIT has compiled the
 * kernels before any timing), then the measurement time is spent in rounds; in each round every network,
 * in turn, runs one sample: a group of consecutive calls sized from the warm-up to take about
 * {@value #TARGET_SAMPLE_NANOS} ns, so that the clock's granularity is negligible even at batch 1. The
 * figure reported is the median over the samples of the time per call. Interleaving the networks makes
 * them share the machine's noise (other processes, frequency changes), which matters when the result is a
 * ratio between them.
 */
public final class Latency {

  /** Aim for samples of about this many nanoseconds. */
  static final long TARGET_SAMPLE_NANOS = 200_000;

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
   * @param warmup time spent calling each network before measuring, ≥ 0
   * @param budget time spent measuring, all networks together, &gt; 0 (at least five samples per network
   *     are taken whatever the budget)
   * @return one result per network, in order
   * @throws IllegalArgumentException if the list is empty, widths differ, or a size is out of range
   */
  public static List<LatencyResult> compare(List<Network> networks, float[] rows, int rowCount, int batch,
      Duration warmup, Duration budget) {
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
    if (warmup.isNegative() || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("warm-up must be >= 0 and budget > 0, found " + warmup + ", " + budget);
    }
    float[] x = new float[Math.multiplyExact(batch, inputs)];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(rows, (r % rowCount) * inputs, x, r * inputs, inputs);
    }
    int k = networks.size();
    float[][] out = new float[k][];
    int[] group = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = new float[Math.multiplyExact(batch, networks.get(i).outputSize())];
      group[i] = warmUp(networks.get(i), x, batch, out[i], warmup.toNanos());
    }
    List<List<Double>> perCall = new ArrayList<>();
    long[] calls = new long[k];
    for (int i = 0; i < k; i++) {
      perCall.add(new ArrayList<>());
    }
    long end = System.nanoTime() + budget.toNanos();
    int round = 0;
    while (round < 5 || System.nanoTime() < end) {
      for (int i = 0; i < k; i++) {
        long t0 = System.nanoTime();
        for (int c = 0; c < group[i]; c++) {
          call(networks.get(i), x, batch, out[i]);
        }
        long took = System.nanoTime() - t0;
        perCall.get(i).add(Math.max(1.0, took) / group[i]);
        calls[i] += group[i];
        sink += out[i][0];
      }
      round++;
    }
    int threads = Kernels.threads();
    List<LatencyResult> results = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      double[] s = perCall.get(i).stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(s);
      results.add(new LatencyResult(batch, threads, calls[i], s.length, quantile(s, 0.5), s[0], quantile(s, 0.9)));
    }
    return results;
  }

  /** Calls the network for the warm-up time; returns how many calls make one sample. */
  private static int warmUp(Network network, float[] x, int batch, float[] out, long nanos) {
    long start = System.nanoTime();
    long calls = 0;
    long now;
    do {
      call(network, x, batch, out);
      calls++;
      now = System.nanoTime();
    } while (now - start < nanos);
    // The last tenth of the warm-up is the best estimate of a compiled call's cost.
    long t0 = System.nanoTime();
    int probe = (int) Math.max(1, Math.min(1000, calls / 10));
    for (int c = 0; c < probe; c++) {
      call(network, x, batch, out);
    }
    double each = Math.max(1.0, System.nanoTime() - t0) / probe;
    sink += out[0];
    return (int) Math.max(1, Math.min(1_000_000, Math.round(TARGET_SAMPLE_NANOS / each)));
  }

  private static void call(Network network, float[] x, int batch, float[] out) {
    if (network.task().isClassification()) {
      network.predictProbabilities(x, 0, batch, out, 0);
    } else {
      network.predictValues(x, 0, batch, out, 0);
    }
  }

  /** Linear interpolation between order statistics of sorted {@code s}. */
  static double quantile(double[] s, double q) {
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
