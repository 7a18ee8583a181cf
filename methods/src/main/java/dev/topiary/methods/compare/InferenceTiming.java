package dev.topiary.methods.compare;

import dev.topiary.core.model.Network;
import java.util.Arrays;

/**
 * Measured inference speed-up of a pruned network over its dense original: batched logits for one batch
 * of rows, both networks timed in alternation round by round (so drifts in clock speed hit both), the
 * per-round ratio of dense time to pruned time, and the median over rounds. A measurement, never a
 * guarantee; networks this small are dominated by per-call overheads.
 */
public final class InferenceTiming {

  private InferenceTiming() {}

  /** Rows per timed batch. */
  public static final int BATCH = 256;

  /**
   * The median ratio dense/pruned over {@code rounds} rounds of timing {@code BATCH} rows of {@code x}
   * (raw inputs; rows are reused cyclically when x has fewer).
   */
  public static double speedup(Network dense, Network pruned, float[] x, int rows, int rounds) {
    if (rows < 1) {
      throw new IllegalArgumentException("timing needs at least one input row");
    }
    int in = dense.inputSize();
    float[] batch = new float[BATCH * in];
    for (int r = 0; r < BATCH; r++) {
      System.arraycopy(x, (r % rows) * in, batch, r * in, in);
    }
    float[] out = new float[BATCH * dense.outputSize()];
    int calls = callsPerRound(dense, batch, out);
    for (int w = 0; w < 5; w++) {
      time(dense, batch, out, calls);
      time(pruned, batch, out, calls);
    }
    double[] ratio = new double[rounds];
    for (int k = 0; k < rounds; k++) {
      long a;
      long b;
      if ((k & 1) == 0) {
        a = time(dense, batch, out, calls);
        b = time(pruned, batch, out, calls);
      } else {
        b = time(pruned, batch, out, calls);
        a = time(dense, batch, out, calls);
      }
      ratio[k] = (double) a / Math.max(1, b);
    }
    Arrays.sort(ratio);
    return ratio[rounds / 2];
  }

  /** Warms the dense network up and picks a call count that makes one timing take about three milliseconds. */
  private static int callsPerRound(Network net, float[] batch, float[] out) {
    int calls = 1;
    for (int i = 0; i < 20; i++) {
      long t = time(net, batch, out, calls);
      if (t > 3_000_000L) {
        break;
      }
      calls *= 2;
    }
    return calls;
  }

  private static long time(Network net, float[] batch, float[] out, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      net.predictLogits(batch, 0, BATCH, out, 0);
    }
    return System.nanoTime() - t0;
  }
}
