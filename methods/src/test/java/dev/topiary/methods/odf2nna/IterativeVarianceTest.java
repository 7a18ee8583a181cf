package dev.topiary.methods.odf2nna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The iterative schedule is an exact mean replacement at every step, fine-tuning in between. */
class IterativeVarianceTest {

  /**
   * Plain double-precision forward pass of a chain of dense layers, with the outputs of the units in
   * {@code replaced} (dense layer index → unit → value) replaced by the given values.
   */
  static double[] reference(Network net, float[] x, int row, Map<Integer, Map<Integer, Double>> replaced) {
    List<DenseLayer> layers = net.denseLayers();
    double[] h = new double[net.inputSize()];
    for (int j = 0; j < h.length; j++) {
      h[j] = x[row * h.length + j];
    }
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer d = layers.get(l);
      double[] z = new double[d.outputSize()];
      for (int o = 0; o < z.length; o++) {
        double s = d.bias()[o];
        for (int i = 0; i < d.inputSize(); i++) {
          s += (double) d.weight()[o * d.inputSize() + i] * h[i];
        }
        z[o] = d.activation().apply(s);
      }
      Map<Integer, Double> m = replaced.get(l);
      if (m != null) {
        m.forEach((u, v) -> z[u] = v);
      }
      h = z;
    }
    return h;
  }

  @Test
  void everyStepIsAMeanReplacementOfTheNetworkItStartsFrom() {
    for (Activation act : new Activation[] {Activation.RELU, Activation.TANH}) {
      // Widths that are not multiples of any vector length.
      Network teacher = Fixtures.mlp(3, 7, new int[] {37, 29}, act, Task.regression(2));
      Dataset data = Fixtures.selfRegression(teacher, 4, 301);
      TrainingConfig ft = TrainingConfig.defaults(data.task(), data.rows()).withEpochs(2).withSeed(9);
      Network current = Fixtures.mlp(5, 7, new int[] {37, 29}, act, Task.regression(2));
      float[] probe = Fixtures.gaussian(8, 23, 7);
      for (int step = 0; step < 5; step++) {
        Network start = current;
        IterativeVariance.Step s = IterativeVariance.step(current, data, 0.25, p -> {
          new Trainer(ft).fit(p, data); // fine-tunes in place
          return p;
        });
        assertSame(start, s.before());
        // The pruned network's outputs were taken before fine-tuning changed it: rebuild it from the plan.
        Network pruned = dev.topiary.pruning.surgery.Surgery.apply(start, s.plan());
        Map<Integer, Map<Integer, Double>> replaced = new HashMap<>();
        for (LayerRemoval r : s.plan().layers()) {
          Map<Integer, Double> m = replaced.computeIfAbsent(r.layer().layer(), k -> new HashMap<>());
          for (int i = 0; i < r.units().length; i++) {
            m.put(r.units()[i], r.means()[i]);
          }
        }
        assertFalse(replaced.isEmpty(), "every step removes units");
        float[] got = pruned.predict(probe, 23);
        for (int row = 0; row < 23; row++) {
          double[] want = reference(start, probe, row, replaced);
          for (int o = 0; o < want.length; o++) {
            double scale = 1 + Math.abs(want[o]);
            assertEquals(want[o], got[row * 2 + o], 2e-4 * scale,
                act + ", step " + (step + 1) + ", row " + row + ", output " + o);
          }
        }
        int before = start.denseLayers().get(0).outputSize() + start.denseLayers().get(1).outputSize();
        int after = s.pruned().denseLayers().get(0).outputSize() + s.pruned().denseLayers().get(1).outputSize();
        assertEquals(before - (int) Math.floor(0.25 * before + 1e-9), after, "a quarter of the units go");
        assertTrue(differs(pruned, s.finetuned()), "fine-tuning changed the weights between steps");
        current = s.finetuned();
      }
    }
  }

  private static boolean differs(Network a, Network b) {
    for (int l = 0; l < a.denseLayers().size(); l++) {
      if (!java.util.Arrays.equals(a.denseLayers().get(l).weight(), b.denseLayers().get(l).weight())) {
        return true;
      }
    }
    return false;
  }
}
