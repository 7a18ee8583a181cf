package dev.topiary.pruning.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Unit statistics against a two-pass double-precision reference over the same hidden outputs. */
class UnitStatisticsTest {

  private static final double U = Math.ulp(1.0f) / 2;

  /** Every hidden layer's float outputs for all rows, [layer][row·width + unit], as the forward pass sees them. */
  static float[][] hiddenOutputs(Network net, float[] x, int rows) {
    List<HiddenLayer> hidden = new ForwardPass(net, 1).layout().hidden();
    float[][] all = new float[hidden.size()][];
    for (HiddenLayer h : hidden) {
      all[h.index()] = new float[rows * h.width()];
    }
    ForwardPass pass = new ForwardPass(net, 1);
    for (int i = 0; i < rows; i++) {
      int row = i;
      pass.run(x, i * net.inputSize(), 1, (layer, h, n) ->
          System.arraycopy(h, 0, all[layer.index()], row * layer.width(), layer.width()));
    }
    return all;
  }

  /**
   * Asserts that {@code s} matches a two-pass double mean and population σ of column j of {@code h}, within
   * bounds derived from float reduction in chunks of b ≤ 256 rows around a shift: mean error ≤ 2(b+1)·u·R
   * and variance error Δ ≤ 3(b+2)·u·R², R the column's range, so |σ − σ_ref| ≤ min(√Δ, Δ/σ_ref).
   */
  static void assertMatchesTwoPass(LayerStatistics s, float[] h, int rows) {
    int w = s.width();
    assertEquals(rows, s.count());
    for (int j = 0; j < w; j++) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < rows; i++) {
        double v = h[i * w + j];
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double mean = sum / rows;
      double ss = 0;
      for (int i = 0; i < rows; i++) {
        double d = h[i * w + j] - mean;
        ss += d * d;
      }
      double sd = Math.sqrt(ss / rows);
      double range = max - min;
      int b = Math.min(rows, 256);
      double tolMean = 2 * (b + 1) * U * range + 1e-15 * Math.abs(mean);
      double delta = 3 * (b + 2) * U * range * range;
      double tolSd = Math.min(Math.sqrt(delta), sd > 0 ? delta / sd : Double.POSITIVE_INFINITY) + 1e-300;
      assertTrue(Math.abs(s.mean(j) - mean) <= tolMean, s.layer().address() + " unit " + j + ": mean "
          + s.mean(j) + " vs " + mean + " (tolerance " + tolMean + ")");
      assertTrue(Math.abs(s.std(j) - sd) <= tolSd, s.layer().address() + " unit " + j + ": σ " + s.std(j)
          + " vs " + sd + " (tolerance " + tolSd + ")");
    }
  }

  @Property(tries = 150, seed = "3")
  void statisticsMatchTwoPassReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 2, max = 600) int rows, @ForAll @IntRange(min = 1, max = 300) int batch,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows),
        new StatisticsOptions(batch, threads, true));
    float[][] hidden = hiddenOutputs(net, x, rows);
    assertEquals(hidden.length, stats.layers().size());
    for (LayerStatistics s : stats.layers()) {
      float[] h = hidden[s.layer().index()];
      assertMatchesTwoPass(s, h, rows);
      double[] zf = s.zeroFraction();
      double[] ma = s.meanAbsolute();
      for (int j = 0; j < s.width(); j++) {
        int zeros = 0;
        double abs = 0;
        for (int i = 0; i < rows; i++) {
          float v = h[i * s.width() + j];
          zeros += v == 0f ? 1 : 0;
          abs += Math.abs(v);
        }
        assertEquals((double) zeros / rows, zf[j], 1e-15);
        // The reference runs one row at a time and the statistics whole batches, whose GEMM may round
        // each output differently by a few float ulps (u = 6e-8), so the two means of |h| agree to a few u.
        assertEquals(abs / rows, ma[j], 1e-6 * (1 + abs / rows));
      }
    }
  }

  /** A network whose first hidden layer copies its input exactly (identity weights, zero bias). */
  static Network copyingNetwork(int d) {
    float[] eye = new float[d * d];
    for (int j = 0; j < d; j++) {
      eye[j * d + j] = 1f;
    }
    List<Layer> layers = new ArrayList<>();
    layers.add(new DenseLayer(d, d, eye, new float[d], Activation.IDENTITY));
    layers.add(TestNetworks.dense(new Random(1), d, 5, Activation.TANH));
    layers.add(TestNetworks.dense(new Random(2), 5, 1, Activation.IDENTITY));
    return new Network(d, layers, Task.regression(1), null, null);
  }

  @Test
  void largeMeanAndTinySpreadKeepTheirStandardDeviation() {
    // Columns around 1e4, 1e6 and -3e5 with spreads of 1e-2, 1 and 1e-1: a one-pass E[x²] − E[x]² in
    // float or even double loses every digit here; shifted sums do not.
    int rows = 1000;
    double[] centre = {1e4, 1e6, -3e5, 7};
    double[] spread = {1e-2, 1, 1e-1, 1e-3};
    int d = centre.length;
    Random r = new Random(5);
    float[] x = new float[rows * d];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (centre[j] + spread[j] * r.nextGaussian());
      }
    }
    Network net = copyingNetwork(d);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows),
        StatisticsOptions.defaults().withBatchRows(97));
    LayerStatistics first = stats.layers().get(0);
    assertMatchesTwoPass(first, x, rows);
    for (int j = 0; j < d; j++) {
      // The float data itself is quantised; the measured σ is the data's, within 1 % of the drawn spread.
      assertEquals(spread[j], first.std(j), 0.1 * spread[j] + Math.ulp((float) centre[j]), "column " + j);
    }
  }

  @Test
  void populationStandardDeviationOfAFewRows() {
    // Rows 1, 2, 3, 4 through an identity layer: mean 2.5, population σ = √1.25 (the sample σ would be √(5/3)).
    Network net = copyingNetwork(1);
    float[] x = {1, 2, 3, 4};
    LayerStatistics s = UnitStatistics.gather(net, TestNetworks.data(net, x, 4)).layers().get(0);
    assertEquals(2.5, s.mean(0), 1e-12);
    assertEquals(Math.sqrt(1.25), s.std(0), 1e-12);
    assertNull(s.zeroFraction());
  }

  @Property(tries = 50, seed = "17")
  void rawInputsGoThroughTheInputScaling(@ForAll long seed, @ForAll Activation act,
      @ForAll @IntRange(min = 2, max = 80) int rows) {
    Network scaled = TestNetworks.random(seed, 3, 20, act, false);
    Random r = new Random(seed);
    int in = scaled.inputSize();
    float[] mean = new float[in];
    float[] scale = new float[in];
    for (int j = 0; j < in; j++) {
      mean[j] = (float) (3 * r.nextGaussian());
      scale[j] = (float) (0.2 + r.nextDouble());
    }
    scaled = scaled.withScaling(new dev.topiary.core.model.Standardization(mean, scale), null);
    Network plain = scaled.withScaling(null, null);
    float[] x = TestNetworks.inputs(seed + 1, rows, in);
    float[] pre = new float[x.length];
    scaled.inputScaling().apply(x, 0, pre, 0, rows);
    UnitStatistics a = UnitStatistics.gather(scaled, TestNetworks.data(scaled, x, rows));
    UnitStatistics b = UnitStatistics.gather(plain, TestNetworks.data(plain, pre, rows));
    for (int i = 0; i < a.layers().size(); i++) {
      assertArrayEquals(b.layers().get(i).mean(), a.layers().get(i).mean());
      assertArrayEquals(b.layers().get(i).std(), a.layers().get(i).std());
    }
  }

  @Test
  void layoutMarksWhichLayersArePrunable() {
    Network net = TestNetworks.random(42, 4, 10, Activation.RELU, true);
    UnitStatistics stats = UnitStatistics.gather(net,
        TestNetworks.data(net, TestNetworks.inputs(1, 5, net.inputSize()), 5));
    int dense = net.denseLayers().size();
    assertEquals(dense - 1, stats.layers().size(), "every dense layer but the output layer is hidden");
    for (LayerStatistics s : stats.layers()) {
      HiddenLayer h = s.layer();
      Layer top = net.layers().get(h.address().layer());
      if (h.address().isInBlock()) {
        int last = ((dev.topiary.core.model.ResidualBlock) top).layers().size() - 1;
        assertEquals(h.address().inner() < last, h.prunable(), h.address().toString());
      } else {
        assertEquals(net.layers().get(h.address().layer() + 1) instanceof DenseLayer, h.prunable());
      }
    }
  }
}
