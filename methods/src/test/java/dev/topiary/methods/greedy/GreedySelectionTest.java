package dev.topiary.methods.greedy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.pruning.units.ForwardPass;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GreedySelectionTest {

  /**
   * A 4-k-2 ReLU network whose k hidden units are each copied once, the copy taking half of the outgoing
   * weights: the 2k-unit network computes exactly what the k-unit one does, and so does any subnetwork
   * that keeps one unit of each pair with its outgoing weights scaled by 2k/k = 2.
   */
  private static Network duplicated(long seed, int k) {
    Random r = new Random(seed);
    DenseLayer first = Fixtures.dense(r, 4, k, Activation.RELU);
    DenseLayer out = Fixtures.dense(r, k, 2, Activation.IDENTITY);
    float[] w1 = new float[2 * k * 4];
    float[] b1 = new float[2 * k];
    float[] w2 = new float[2 * 2 * k];
    for (int j = 0; j < k; j++) {
      for (int c = 0; c < 2; c++) {
        System.arraycopy(first.weight(), j * 4, w1, (j + c * k) * 4, 4);
        b1[j + c * k] = first.bias()[j] + 0.5f; // mostly active
      }
      for (int i = 0; i < 2; i++) {
        w2[i * 2 * k + j] = out.weight()[i * k + j] / 2;
        w2[i * 2 * k + j + k] = out.weight()[i * k + j] / 2;
      }
    }
    return new Network(4, List.of(new DenseLayer(4, 2 * k, w1, b1, Activation.RELU),
        new DenseLayer(2 * k, 2, w2, out.bias().clone(), Activation.IDENTITY)), Task.regression(2), null, null);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void scaledSelectionPicksOneUnitOfEachDuplicatedPair(long seed) {
    int k = 4;
    Network net = duplicated(seed, k);
    Dataset data = Fixtures.selfRegression(net, seed + 100, 300);
    GreedyResult result = GreedySelection.prune(net, data,
        GreedyConfig.budget(GreedyVariant.SCALED, 0.5).withMetric(Metric.MSE));
    int[] order = result.layers().get(0).order();
    assertEquals(k, order.length);
    boolean[] pair = new boolean[k];
    for (int j : order) {
      assertFalse(pair[j % k], "both copies of unit " + (j % k) + " were selected: " + java.util.Arrays.toString(order));
      pair[j % k] = true;
    }
    // One of each pair, scaled by 2, is the dense network again: the batch loss is zero up to rounding.
    double[] loss = result.layers().get(0).loss();
    assertTrue(loss[k - 1] < 1e-9, "loss " + loss[k - 1]);
    assertEquals(4 * k + k + 2 * k + 2, result.network().parameterCount());
  }

  private static Network network(long seed, Task task, int... hidden) {
    return Fixtures.mlp(seed, 5, hidden, Activation.TANH, task);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCALED", "MEAN_REPLACEMENT"})
  void stoppingRuleStopsAtTheFirstSubsetThatReachesTheFraction(String variant) {
    Task task = Task.classification(List.of("a", "b", "c"));
    Network net = network(7, task, 12);
    Dataset data = Fixtures.selfClassification(net, 8, 200);
    GreedyConfig config = GreedyConfig.defaults(GreedyVariant.valueOf(variant)).withMetricFraction(0.9);
    GreedyResult result = GreedySelection.prune(net, data, config);
    assertEquals(1.0, result.denseMetric(), 0.0); // labels are the network's own predictions
    GreedyResult.LayerTrace t = result.layers().get(0);
    double[] m = t.metric();
    assertEquals(GreedyResult.Stop.METRIC, t.stop());
    assertTrue(m[m.length - 1] >= 0.9, "last metric " + m[m.length - 1]);
    for (int i = 0; i < m.length - 1; i++) {
      assertTrue(m[i] < 0.9, "the rule held after " + (i + 1) + " units but selection went on");
    }
    assertEquals(12 - t.kept(), result.plan().removedUnits());
    assertEquals(t.kept(), result.network().denseLayers().get(0).outputSize());
  }

  @Test
  void unitBudgetCapsEveryLayer() {
    Network net = network(9, Task.regression(1), 10, 7);
    Dataset data = Fixtures.selfRegression(net, 10, 120);
    GreedyConfig config = GreedyConfig.defaults(GreedyVariant.MEAN_REPLACEMENT).withMetricFraction(50.0)
        .withKeepUnits(0.3);
    GreedyResult result = GreedySelection.prune(net, data, config);
    assertEquals(List.of(3, 3), result.layers().stream().map(GreedyResult.LayerTrace::kept).toList());
    assertTrue(result.layers().stream().allMatch(t -> t.stop() == GreedyResult.Stop.BUDGET));
    assertEquals(3, result.network().denseLayers().get(0).outputSize());
    assertEquals(3, result.network().denseLayers().get(1).outputSize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCALED", "MEAN_REPLACEMENT"})
  void prunedNetworkComputesTheSubnetworkThatWasJudged(String variant) {
    Network net = network(11, Task.regression(2), 6, 9);
    Dataset data = Fixtures.selfRegression(net, 12, 64);
    GreedyConfig config = GreedyConfig.budget(GreedyVariant.valueOf(variant), 0.5).withMetric(Metric.MSE);
    GreedyResult result = GreedySelection.prune(net, data, config);
    // The last layer's trace is judged on the network with every earlier layer already cut.
    GreedyResult.LayerTrace last = result.layers().get(1);
    float[] out = ForwardPass.outputs(result.network(), data.x(), data.rows());
    double mse = 0;
    for (int i = 0; i < out.length; i++) {
      double e = out[i] - data.targets()[i];
      mse += e * e;
    }
    mse /= out.length;
    double[] loss = last.loss();
    assertEquals(loss[loss.length - 1], mse, 1e-5 * (1 + mse));
    assertEquals(variant.equals("SCALED") ? 9.0 / 5 : 1.0, last.scale(), 1e-12);
  }

  @Test
  void residualNetworksAreRefused() {
    Network net = new Network(2, List.of(new dev.topiary.core.model.ResidualBlock(List.of(
        DenseLayer.zeros(2, 3, Activation.RELU), DenseLayer.zeros(3, 2, Activation.IDENTITY))),
        DenseLayer.zeros(2, 1, Activation.IDENTITY)), Task.regression(1), null, null);
    Dataset data = Fixtures.selfRegression(net, 1, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GreedySelection.prune(net, data, GreedyConfig.defaults(GreedyVariant.SCALED)));
    assertTrue(e.getMessage().contains("residual"), e.getMessage());
  }

  /**
   * The incremental pre-activation of S ∪ {k} equals the one recomputed from its definition in double
   * precision, for random layers, outputs, selections and candidates.
   */
  @Property(tries = 300, seed = "42")
  void incrementalPreActivationEqualsFullRecomputation(@ForAll @IntRange(min = 1, max = 19) int n,
      @ForAll @IntRange(min = 1, max = 17) int m, @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll boolean scaled, @ForAll long seed) {
    Random r = new Random(seed);
    DenseLayer consumer = Fixtures.dense(r, n, m, Activation.IDENTITY);
    float[] h = new float[rows * n];
    for (int i = 0; i < h.length; i++) {
      h[i] = (float) (r.nextGaussian() * 2 + 0.5);
    }
    double[] mean = GreedySelection.columnMeans(h, rows, n);
    GreedyVariant v = scaled ? GreedyVariant.SCALED : GreedyVariant.MEAN_REPLACEMENT;
    IncrementalPreActivation inc = new IncrementalPreActivation(h, rows, mean, consumer, v);
    boolean[] in = new boolean[n];
    int adds = r.nextInt(n);
    for (int a = 0; a < adds; a++) {
      int j = r.nextInt(n);
      if (!in[j]) {
        in[j] = true;
        inc.add(j);
      }
    }
    int k = r.nextInt(n);
    while (in[k]) {
      k = (k + 1) % n;
    }
    float[] z = new float[rows * m];
    inc.candidate(k, z);
    in[k] = true;
    int size = 0;
    for (boolean b : in) {
      size += b ? 1 : 0;
    }
    double s = scaled ? (double) n / size : 1.0;
    float[] w = consumer.weight();
    for (int row = 0; row < rows; row++) {
      for (int i = 0; i < m; i++) {
        double ref = consumer.bias()[i];
        double mag = Math.abs(ref);
        for (int j = 0; j < n; j++) {
          double term;
          if (in[j]) {
            term = s * w[i * n + j] * h[row * n + j];
          } else {
            term = scaled ? 0.0 : w[i * n + j] * mean[j];
          }
          ref += term;
          mag += Math.abs(term) + (scaled ? 0 : Math.abs(w[i * n + j] * mean[j]));
        }
        assertEquals(ref, z[row * m + i], 1e-5 * (1 + mag) * (1 + Math.log(n)),
            "row " + row + ", output " + i);
      }
    }
  }
}
