package dev.topiary.pruning.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The Fisher ratio against its extremes and a double-precision reference. */
class FisherCriterionTest {

  static Dataset labelled(int rows, int features, float[] x, int[] labels, int classes) {
    List<String> names = new ArrayList<>(Collections.nCopies(features, "x"));
    List<String> classNames = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      classNames.add("c" + c);
    }
    return new Dataset("labelled", rows, features, x, Task.classification(classNames), labels, null, names);
  }

  /**
   * Two inputs (class indicator, noise); hidden units: 0 = the indicator, 1 = the noise, 2 = constant 0.5.
   */
  static Network probe() {
    float[] w = {1f, 0f, 0f, 1f, 0f, 0f};
    DenseLayer first = new DenseLayer(2, 3, w, new float[] {0f, 0f, 0.5f}, Activation.IDENTITY);
    DenseLayer out = TestNetworks.dense(new Random(5), 3, 2, Activation.IDENTITY);
    return new Network(2, List.<Layer>of(first, out), Task.classification(List.of("a", "b")), null, null);
  }

  @Property(tries = 80, seed = "61")
  void separatingUnitScoresTheCapAndClassIndependentUnitsZero(@ForAll @IntRange(min = 1, max = 60) int perClass,
      @ForAll long seed) {
    Random r = new Random(seed);
    int rows = 2 * perClass;
    float[] noise = new float[perClass];
    for (int i = 0; i < perClass; i++) {
      noise[i] = (float) r.nextGaussian();
    }
    float[] x = new float[rows * 2];
    int[] labels = new int[rows];
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < perClass; i++) {
        int row = c * perClass + i;
        labels[row] = c;
        x[row * 2] = c; // separates perfectly, no spread within a class
        x[row * 2 + 1] = noise[i]; // the same values in both classes: class-independent
      }
    }
    Network net = probe();
    for (int batch : new int[] {rows, 1 + r.nextInt(40)}) {
      UnitStatistics stats = UnitStatistics.gather(net, labelled(rows, 2, x, labels, 2),
          FisherCriterion.INSTANCE.requiredStatistics(StatisticsOptions.defaults().withBatchRows(batch)));
      HiddenLayer h = stats.layout().prunable().get(0);
      double[] s = FisherCriterion.INSTANCE.score(ScoringContext.of(net, stats), h);
      assertEquals(FisherCriterion.SEPARATED, s[0], "a perfectly separating unit");
      assertEquals(0.0, s[2], "a constant unit");
      if (batch >= rows) {
        // One batch: both classes' moments are reduced from the same values in the same order.
        assertEquals(0.0, s[1], "a unit whose distribution is the same in every class");
      } else {
        // Batches split the classes differently, so their means may differ by float rounding, u·R: the
        // ratio is then of order (u·R/σ)², far below 1e-10 for this N(0, 1) noise.
        assertTrue(s[1] <= 1e-10, "a class-independent unit scores " + s[1]);
      }
    }
  }

  @Property(tries = 100, seed = "67")
  void scoreIsBetweenOverWithinClassVariance(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 1, max = 30) int maxWidth, @ForAll Activation act,
      @ForAll @IntRange(min = 2, max = 300) int rows, @ForAll @IntRange(min = 2, max = 5) int classes,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    Network base = TestNetworks.random(seed, depth, maxWidth, act, false);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("c" + c);
    }
    List<Layer> layers = new ArrayList<>(base.layers());
    DenseLayer last = (DenseLayer) layers.get(layers.size() - 1);
    layers.set(layers.size() - 1, TestNetworks.dense(new Random(seed), last.inputSize(), classes,
        Activation.IDENTITY));
    Network net = new Network(base.inputSize(), layers, Task.classification(names), base.inputScaling(), null);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    Random r = new Random(seed + 2);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = r.nextInt(classes);
    }
    UnitStatistics stats = UnitStatistics.gather(net, labelled(rows, net.inputSize(), x, labels, classes),
        FisherCriterion.INSTANCE.requiredStatistics(StatisticsOptions.defaults().withBatchRows(64)
            .withThreads(threads)));
    float[][] hidden = HiddenOutputs.of(net, x, rows, 64);
    ScoringContext ctx = ScoringContext.of(net, stats);
    for (HiddenLayer h : stats.layout().prunable()) {
      double[] s = FisherCriterion.INSTANCE.score(ctx, h);
      for (int j = 0; j < h.width(); j++) {
        double[] col = HiddenOutputs.column(hidden[h.index()], rows, h.width(), j);
        double[] sum = new double[classes];
        long[] n = new long[classes];
        double total = 0;
        for (int i = 0; i < rows; i++) {
          sum[labels[i]] += col[i];
          n[labels[i]]++;
          total += col[i];
        }
        double mu = total / rows;
        double between = 0;
        double within = 0;
        double range = 0;
        for (int i = 0; i < rows; i++) {
          double d = col[i] - sum[labels[i]] / n[labels[i]];
          within += d * d / rows;
          range = Math.max(range, Math.abs(col[i] - mu));
        }
        for (int c = 0; c < classes; c++) {
          if (n[c] > 0) {
            double d = sum[c] / n[c] - mu;
            between += (double) n[c] / rows * d * d;
          }
        }
        // Moments are reduced in float chunks: variance errors up to about 3(b+2)·u·R², R the spread.
        double err = 3 * 66 * Math.ulp(1.0f) * range * range;
        if (between <= 10 * err || within <= 10 * err) {
          continue; // the ratio is not determined to float accuracy
        }
        double ratio = between / within;
        double tol = ratio * (err / between + err / within) * 2;
        assertEquals(ratio, s[j], tol, h.address() + " unit " + j + ": S_B/S_W");
      }
    }
  }

  @Test
  void unlabelledStatisticsAreRefusedByName() {
    Network net = probe();
    float[] x = TestNetworks.inputs(1, 10, 2);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, 10),
        FisherCriterion.INSTANCE.requiredStatistics(StatisticsOptions.defaults()));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> FisherCriterion.INSTANCE.score(ScoringContext.of(net, stats), stats.layout().prunable().get(0)));
    assertTrue(e.getMessage().contains("'fisher' needs per-class statistics"), e.getMessage());
  }
}
