package dev.topiary.pruning.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.stats.Histograms;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** APoZ, mean activation and entropy against counts and sums taken here over the same outputs. */
class ActivationCriteriaTest {

  @Property(tries = 120, seed = "51")
  void apozAndMeanActivationMatchCountsOverTheOutputs(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int depth, @ForAll @IntRange(min = 1, max = 40) int maxWidth,
      @ForAll Activation act, @ForAll boolean residual, @ForAll @IntRange(min = 2, max = 300) int rows,
      @ForAll @IntRange(min = 1, max = 200) int batch) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    StatisticsOptions options = ApozCriterion.INSTANCE.requiredStatistics(
        MeanActivationCriterion.INSTANCE.requiredStatistics(StatisticsOptions.defaults().withBatchRows(batch)));
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows), options);
    ScoringContext ctx = ScoringContext.of(net, stats);
    float[][] hidden = HiddenOutputs.of(net, x, rows, batch);
    for (HiddenLayer h : stats.layout().prunable()) {
      double[] apoz = ApozCriterion.INSTANCE.score(ctx, h);
      double[] mean = MeanActivationCriterion.INSTANCE.score(ctx, h);
      for (int j = 0; j < h.width(); j++) {
        double[] col = HiddenOutputs.column(hidden[h.index()], rows, h.width(), j);
        int zeros = 0;
        double abs = 0;
        for (double v : col) {
          zeros += v == 0 ? 1 : 0;
          abs += Math.abs(v);
        }
        assertEquals(1.0 - (double) zeros / rows, apoz[j], 1e-15, h.address() + " unit " + j + ": 1 − APoZ");
        // Summed in double over the same float outputs; only the order of additions may differ.
        assertEquals(abs / rows, mean[j], 4 * rows * Math.ulp(abs / rows) + 1e-300,
            h.address() + " unit " + j + ": mean |h|");
      }
    }
  }

  /**
   * A network on one input whose first hidden layer has unit 0 = x and unit 1 = 0.25 (zero weight),
   * identity activations, so the units' outputs are known exactly.
   */
  static Network probe() {
    DenseLayer first = new DenseLayer(1, 2, new float[] {1f, 0f}, new float[] {0f, 0.25f}, Activation.IDENTITY);
    DenseLayer out = TestNetworks.dense(new Random(3), 2, 1, Activation.IDENTITY);
    return new Network(1, List.<Layer>of(first, out), Task.regression(1), null, null);
  }

  @Property(tries = 60, seed = "53")
  void entropyOfKEquallyFilledBinsIsLogKAndOfAConstantIsZero(@ForAll @IntRange(min = 2, max = 60) int k,
      @ForAll @IntRange(min = 1, max = 5) int copies, @ForAll long shuffleSeed) {
    Network net = probe();
    int rows = k * copies;
    float[] x = new float[rows];
    for (int i = 0; i < rows; i++) {
      x[i] = i % k; // the integers 0..k−1, each `copies` times
    }
    // Shuffle the rows: the estimator must not depend on their order.
    Random r = new Random(shuffleSeed);
    for (int i = rows - 1; i > 0; i--) {
      int s = r.nextInt(i + 1);
      float t = x[i];
      x[i] = x[s];
      x[s] = t;
    }
    EntropyCriterion entropy = new EntropyCriterion(k);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows),
        entropy.requiredStatistics(StatisticsOptions.defaults()));
    HiddenLayer h = stats.layout().prunable().get(0);
    double[] s = entropy.score(ScoringContext.of(net, stats), h);
    // With k bins over [0, k−1], value i lands in bin ⌊i·k/(k−1)⌋ = i (clamped for i = k−1): one value
    // per bin, equally often.
    assertEquals(Math.log(k), s[0], 1e-12, "k equally filled bins");
    assertEquals(0.0, s[1], "a constant unit");
    Histograms hist = stats.layer(h.address()).orElseThrow().histograms();
    for (int b = 0; b < k; b++) {
      assertEquals(copies, hist.count(0, b), "bin " + b);
    }
  }

  @Property(tries = 100, seed = "57")
  void entropyIsThePlugInEstimateOfTheHistogram(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 1, max = 30) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 2, max = 250) int rows, @ForAll @IntRange(min = 2, max = 40) int bins,
      @ForAll @IntRange(min = 1, max = 100) int batch) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    EntropyCriterion entropy = new EntropyCriterion(bins);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows),
        entropy.requiredStatistics(StatisticsOptions.defaults().withBatchRows(batch)));
    float[][] hidden = HiddenOutputs.of(net, x, rows, batch);
    ScoringContext ctx = ScoringContext.of(net, stats);
    for (HiddenLayer h : stats.layout().prunable()) {
      double[] s = entropy.score(ctx, h);
      for (int j = 0; j < h.width(); j++) {
        double[] col = HiddenOutputs.column(hidden[h.index()], rows, h.width(), j);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : col) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        long[] counts = new long[bins];
        for (double v : col) {
          int b = hi > lo ? (int) Math.floor((v - lo) / (hi - lo) * bins) : 0;
          counts[Math.min(b, bins - 1)]++;
        }
        double expected = 0;
        for (long c : counts) {
          if (c > 0) {
            expected -= (double) c / rows * Math.log((double) c / rows);
          }
        }
        assertEquals(expected, s[j], 1e-12, h.address() + " unit " + j);
        assertTrue(s[j] >= 0 && s[j] <= Math.log(Math.min(bins, rows)) + 1e-12, "0 ≤ H ≤ ln min(bins, N)");
        LayerStatistics ls = stats.layer(h.address()).orElseThrow();
        assertEquals(lo, ls.histograms().min()[j]);
        assertEquals(hi, ls.histograms().max()[j]);
      }
    }
  }
}
