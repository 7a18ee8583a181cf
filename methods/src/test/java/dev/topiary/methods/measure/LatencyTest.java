package dev.topiary.methods.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The measurement protocol's bookkeeping; no timing is asserted, only what must hold whatever the clock says. */
class LatencyTest {

  private static final Duration WARM = Duration.ofMillis(5);
  private static final Duration BUDGET = Duration.ofMillis(20);

  private static Network net(int in, int width, Task task, long seed) {
    return Network.mlp(in, new int[] {width, width}, Activation.RELU, task, seed);
  }

  private static float[] rows(int n, int in) {
    Random r = new Random(3);
    float[] x = new float[n * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void resultsAreConsistentPerNetworkAndBatch() {
    Task task = Task.classification(List.of("a", "b", "c"));
    Network big = net(7, 33, task, 1);
    Network small = net(7, 5, task, 2);
    // 3 rows cycled into a batch of 17, a size that is not a multiple of anything.
    List<LatencyResult> r = Latency.compare(List.of(big, small), rows(3, 7), 3, 17, WARM, BUDGET);
    assertEquals(2, r.size());
    for (LatencyResult l : r) {
      assertEquals(17, l.batch());
      assertTrue(l.samples() >= 5, "at least five rounds");
      assertTrue(l.calls() >= l.samples());
      assertTrue(l.minNanos() <= l.medianNanos() && l.medianNanos() <= l.p90Nanos());
      assertEquals(17 * 1e9 / l.medianNanos(), l.rowsPerSecond(), 1e-9 * l.rowsPerSecond());
      assertEquals(l.medianNanos() / 1e3, l.microsPerCall(), 1e-12);
    }
    // Interleaved rounds: both networks get the same number of samples.
    assertEquals(r.get(0).samples(), r.get(1).samples());
  }

  @Test
  void measuringLeavesTheNetworkAndTheInputUnchanged() {
    Network n = net(5, 9, Task.regression(2), 4);
    float[] x = rows(11, 5);
    float[] before = n.predict(x, 11);
    float[] copy = x.clone();
    LatencyResult r = Latency.measure(n, x, 11, 1, WARM, BUDGET);
    assertEquals(1, r.batch());
    assertArrayEquals(copy, x);
    assertArrayEquals(before, n.predict(x, 11));
  }

  @Test
  void speedupIsARatioOfTwoPositiveTimesAndRefusesNoRounds() {
    Task task = Task.classification(List.of("a", "b"));
    Network dense = net(6, 40, task, 1);
    Network pruned = net(6, 4, task, 1);
    double s = Latency.speedup(dense, pruned, rows(5, 6), 5, 3, 3);
    assertTrue(s > 0 && Double.isFinite(s), "speed-up " + s);
    assertThrows(IllegalArgumentException.class, () -> Latency.speedup(dense, pruned, rows(5, 6), 5, 3, 0));
  }

  @Test
  void badArgumentsAreRefused() {
    Task task = Task.regression(1);
    Network a = net(4, 3, task, 1);
    Network b = net(5, 3, task, 1);
    float[] x = rows(2, 4);
    assertThrows(IllegalArgumentException.class, () -> Latency.compare(List.of(), x, 2, 1, WARM, BUDGET));
    assertThrows(IllegalArgumentException.class, () -> Latency.compare(List.of(a, b), x, 2, 1, WARM, BUDGET));
    assertThrows(IllegalArgumentException.class, () -> Latency.measure(a, x, 2, 0, WARM, BUDGET));
    assertThrows(IllegalArgumentException.class, () -> Latency.measure(a, x, 3, 1, WARM, BUDGET));
    assertThrows(IllegalArgumentException.class, () -> Latency.measure(a, x, 2, 1, WARM, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new LatencyResult(1, 1, 1, 1, 5, 6, 7));
  }
}
