package dev.topiary.methods.compare;

import dev.topiary.core.model.Network;

/**
 * Measured inference speed-up of a pruned network over its dense original: batched logits for one batch
 * of rows, both networks timed in alternation round by round (so drifts in clock speed hit both), the
 * ratio of the fastest dense time to the fastest pruned time. A measurement, never a
 * guarantee; networks this small are dominated by per-call overheads.
 */
public final class InferenceTiming {

  private InferenceTiming() {}

  /** Rows per timed batch. */
  public static final int BATCH = 256;

  /**
   * The ratio dense/pruned of the fastest of {@code rounds} timings of each network on {@code BATCH} rows
   * of {@code x} (raw inputs; rows are reused cyclically when x has fewer). The fastest timing is the one
   * least disturbed by other work on the machine.
   */
  public static double speedup(Network dense, Network pruned, float[] x, int rows, int rounds) {
    return speedup(dense, pruned, x, rows, rounds, BATCH);
  }

  /** As {@link #speedup(Network, Network, float[], int, int)} with {@code batchRows} rows per call. */
  public static double speedup(Network dense, Network pruned, float[] x, int rows, int rounds,
      int batchRows) {
    if (rows < 1 || batchRows < 1) {
      throw new IllegalArgumentException("timing needs at least one input row and a batch of >= 1 rows");
    }
    int in = dense.inputSize();
    float[] batch = new float[batchRows * in];
    for (int r = 0; r < batchRows; r++) {
      System.arraycopy(x, (r % rows) * in, batch, r * in, in);
    }
    float[] out = new float[batchRows * dense.outputSize()];
    warm(dense, batch, batchRows, out);
    warm(pruned, batch, batchRows, out);
    int calls = 1;
    while (calls < (1 << 20) && time(dense, batch, batchRows, out, calls) < 2_000_000L) {
      calls *= 2;
    }
    long bestDense = Long.MAX_VALUE;
    long bestPruned = Long.MAX_VALUE;
    for (int k = 0; k < rounds; k++) {
      if ((k & 1) == 0) {
        bestDense = Math.min(bestDense, time(dense, batch, batchRows, out, calls));
        bestPruned = Math.min(bestPruned, time(pruned, batch, batchRows, out, calls));
      } else {
        bestPruned = Math.min(bestPruned, time(pruned, batch, batchRows, out, calls));
        bestDense = Math.min(bestDense, time(dense, batch, batchRows, out, calls));
      }
    }
    return (double) bestDense / Math.max(1, bestPruned);
  }

  /** Runs the network for about 50 ms so the JIT has compiled its path before anything is timed. */
  private static void warm(Network net, float[] batch, int rows, float[] out) {
    long end = System.nanoTime() + 50_000_000L;
    while (System.nanoTime() < end) {
      net.predictLogits(batch, 0, rows, out, 0);
    }
  }

  private static long time(Network net, float[] batch, int rows, float[] out, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      net.predictLogits(batch, 0, rows, out, 0);
    }
    return System.nanoTime() - t0;
  }
}
