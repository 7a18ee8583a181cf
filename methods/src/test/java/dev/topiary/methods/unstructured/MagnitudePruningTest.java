package dev.topiary.methods.unstructured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.schedule.Schedule;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MagnitudePruningTest {

  private static Network net(long seed, int a, int b) {
    return Fixtures.mlp(seed, 5, new int[] {a, b}, Activation.RELU, Task.regression(2));
  }

  @Property(tries = 150, seed = "11")
  void globalPruningRemovesExactlyTheSmallestWeights(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 13) int a, @ForAll @IntRange(min = 1, max = 9) int b,
      @ForAll @DoubleRange(min = 0, max = 1) double sparsity) {
    Network net = net(seed, a, b);
    Network pruned = MagnitudePruning.prune(net, sparsity, Scope.GLOBAL);
    long n = Sparsity.weights(net);
    assertEquals(Math.round(sparsity * n), n - Sparsity.nonZeroWeights(pruned));
    double maxRemoved = 0;
    double minKept = Double.POSITIVE_INFINITY;
    List<DenseLayer> before = net.denseLayers();
    List<DenseLayer> after = pruned.denseLayers();
    for (int l = 0; l < before.size(); l++) {
      float[] w = before.get(l).weight();
      float[] p = after.get(l).weight();
      for (int i = 0; i < w.length; i++) {
        if (p[i] == 0f) {
          maxRemoved = Math.max(maxRemoved, Math.abs(w[i]));
        } else {
          assertEquals(w[i], p[i], 0.0);
          minKept = Math.min(minKept, Math.abs(w[i]));
        }
      }
      assertArrayEquals(before.get(l).bias(), after.get(l).bias());
    }
    assertTrue(maxRemoved <= minKept, maxRemoved + " removed but " + minKept + " kept");
  }

  @Property(tries = 150, seed = "12")
  void perLayerPruningRemovesTheSmallestWeightsOfEachLayer(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 13) int a, @ForAll @IntRange(min = 1, max = 9) int b,
      @ForAll @DoubleRange(min = 0, max = 1) double sparsity) {
    Network net = net(seed, a, b);
    Network pruned = MagnitudePruning.prune(net, sparsity, Scope.PER_LAYER);
    List<DenseLayer> before = net.denseLayers();
    List<DenseLayer> after = pruned.denseLayers();
    for (int l = 0; l < before.size(); l++) {
      float[] w = before.get(l).weight();
      float[] p = after.get(l).weight();
      int zeros = 0;
      double maxRemoved = 0;
      double minKept = Double.POSITIVE_INFINITY;
      for (int i = 0; i < w.length; i++) {
        if (p[i] == 0f) {
          zeros++;
          maxRemoved = Math.max(maxRemoved, Math.abs(w[i]));
        } else {
          minKept = Math.min(minKept, Math.abs(w[i]));
        }
      }
      assertEquals(Math.round(sparsity * w.length), zeros, "layer " + l);
      assertTrue(maxRemoved <= minKept, "layer " + l);
    }
  }

  @Test
  void globalAndPerLayerDifferWhenLayersHaveDifferentScales() {
    Network net = net(3, 8, 8);
    float[] w = net.denseLayers().get(0).weight();
    for (int i = 0; i < w.length; i++) {
      w[i] *= 0.01f; // the first layer's weights are all tiny
    }
    long n0 = w.length;
    Network global = MagnitudePruning.prune(net, 0.3, Scope.GLOBAL);
    Network layered = MagnitudePruning.prune(net, 0.3, Scope.PER_LAYER);
    long zerosGlobal = n0 - nonZero(global.denseLayers().get(0).weight());
    long zerosLayered = n0 - nonZero(layered.denseLayers().get(0).weight());
    assertEquals(Math.round(0.3 * n0), zerosLayered);
    // The global ranking takes most of its weights from the layer of tiny weights.
    assertTrue(zerosGlobal > zerosLayered, zerosGlobal + " vs " + zerosLayered);
    assertEquals(Math.round(0.3 * Sparsity.weights(net)), Sparsity.weights(net) - Sparsity.nonZeroWeights(global));
  }

  @Test
  void pruningAgainKeepsEveryEarlierZero() {
    Network net = net(5, 9, 6);
    Network first = MagnitudePruning.prune(net, 0.4, Scope.GLOBAL);
    Network second = MagnitudePruning.prune(first, 0.7, Scope.GLOBAL);
    for (int l = 0; l < first.denseLayers().size(); l++) {
      float[] a = first.denseLayers().get(l).weight();
      float[] b = second.denseLayers().get(l).weight();
      for (int i = 0; i < a.length; i++) {
        if (a[i] == 0f) {
          assertEquals(0f, b[i]);
        }
      }
    }
    assertEquals(0.7, Sparsity.of(second), 1.0 / Sparsity.weights(net));
  }

  @Test
  void maskedWeightsStayZeroThroughFineTuning() {
    Task task = Task.classification(List.of("a", "b", "c"));
    Network teacher = Fixtures.mlp(21, 6, new int[] {10}, Activation.TANH, task);
    Dataset data = Fixtures.selfClassification(teacher, 22, 96);
    Network student = Fixtures.mlp(23, 6, new int[] {16, 12}, Activation.RELU, task);
    TrainingConfig tc = TrainingConfig.defaults(task, data.rows()).withEpochs(4)
        .withEarlyStopping(EarlyStopping.off()).withSchedule(Schedule.constant());
    UnstructuredResult r = UnstructuredPruning.iterative(student, data, 0.75, 3, Scope.GLOBAL, tc);
    Network pruned = MagnitudePruning.prune(student, 0.75, Scope.GLOBAL);
    assertEquals(3, r.roundSparsity().size());
    assertEquals(0.75, r.sparsity(), 1.0 / Sparsity.weights(student));
    assertEquals(r.roundSparsity().get(2), r.sparsity(), 0.0);
    assertTrue(r.roundSparsity().get(0) < r.roundSparsity().get(1));
    // One shot: the zero pattern after fine-tuning is exactly the pattern magnitude pruning made.
    UnstructuredResult once = UnstructuredPruning.oneShot(student, data, 0.75, Scope.GLOBAL, tc);
    int changed = 0;
    for (int l = 0; l < pruned.denseLayers().size(); l++) {
      float[] p = pruned.denseLayers().get(l).weight();
      float[] f = once.network().denseLayers().get(l).weight();
      for (int i = 0; i < p.length; i++) {
        assertEquals(p[i] == 0f, f[i] == 0f, "layer " + l + " weight " + i);
        if (p[i] != f[i]) {
          changed++;
        }
      }
    }
    assertNotEquals(0, changed, "fine-tuning changed nothing");
    assertEquals(Sparsity.nonZeroParameters(pruned), once.nonZeroParameters());
  }

  private static long nonZero(float[] w) {
    long n = 0;
    for (float v : w) {
      n += v != 0f ? 1 : 0;
    }
    return n;
  }
}
