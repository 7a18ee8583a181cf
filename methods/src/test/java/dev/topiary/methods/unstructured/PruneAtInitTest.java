package dev.topiary.methods.unstructured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class PruneAtInitTest {

  @Test
  void snipDropsTheLeastSensitiveConnections() {
    Task task = Task.classification(List.of("a", "b"));
    Network net = Fixtures.mlp(31, 7, new int[] {11, 9}, Activation.TANH, task);
    Dataset batch = Fixtures.selfClassification(Fixtures.mlp(32, 7, new int[] {5}, Activation.TANH, task), 33, 40);
    float[][] s = PruneAtInit.saliency(net, batch);
    Network pruned = PruneAtInit.snip(net, batch, 0.6);
    long n = Sparsity.weights(net);
    assertEquals(Math.round(0.6 * n), n - Sparsity.nonZeroWeights(pruned));
    double maxDropped = 0;
    double minKept = Double.POSITIVE_INFINITY;
    for (int l = 0; l < s.length; l++) {
      float[] w = pruned.denseLayers().get(l).weight();
      for (int i = 0; i < w.length; i++) {
        if (w[i] == 0f) {
          maxDropped = Math.max(maxDropped, s[l][i]);
        } else {
          minKept = Math.min(minKept, s[l][i]);
          assertEquals(net.denseLayers().get(l).weight()[i], w[i], 0.0);
        }
      }
    }
    assertTrue(maxDropped <= minKept);
  }

  @Test
  void snipSaliencyIsWeightTimesFiniteDifferenceGradient() {
    Task task = Task.regression(1);
    Network net = Fixtures.mlp(41, 3, new int[] {4}, Activation.TANH, task);
    Dataset batch = Fixtures.selfRegression(Fixtures.mlp(42, 3, new int[] {2}, Activation.TANH, task), 43, 12);
    float[][] s = PruneAtInit.saliency(net, batch);
    float[] w = net.denseLayers().get(0).weight();
    for (int i = 0; i < w.length; i++) {
      float keep = w[i];
      double h = 1e-3;
      w[i] = (float) (keep + h);
      double up = mse(net, batch);
      w[i] = (float) (keep - h);
      double down = mse(net, batch);
      w[i] = keep;
      double expected = Math.abs(keep * (up - down) / (2 * h));
      assertEquals(expected, s[0][i], 2e-3 * (1 + expected), "weight " + i);
    }
  }

  private static double mse(Network net, Dataset d) {
    float[] y = net.predict(d.x(), d.rows());
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      double e = (double) y[i] - d.targets()[i];
      s += e * e;
    }
    return s / y.length;
  }

  @Test
  void randomPruningZeroesExactlyTheRequestedCount() {
    Network net = Fixtures.mlp(51, 4, new int[] {13, 5}, Activation.RELU, Task.regression(3));
    Network a = PruneAtInit.random(net, 0.37, 1);
    Network b = PruneAtInit.random(net, 0.37, 1);
    long n = Sparsity.weights(net);
    assertEquals(Math.round(0.37 * n), n - Sparsity.nonZeroWeights(a));
    for (int l = 0; l < a.denseLayers().size(); l++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.denseLayers().get(l).weight(),
          b.denseLayers().get(l).weight());
    }
  }
}
