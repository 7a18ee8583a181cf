package dev.topiary.methods.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.criteria.Criteria;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.GradientStatistics;
import dev.topiary.pruning.stats.LayerGradients;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Gradient statistics, and the Taylor and OBD scores made of them, against a double-precision
 * back-propagation written here, per example, through small dense networks.
 */
class GradientStatisticsCollectorTest {

  /** A dense network of random widths in [1, maxWidth], random task, sometimes with scalings. */
  static Network network(Random r, int depth, int maxWidth, Activation act, boolean classification) {
    int inputs = 1 + r.nextInt(7);
    List<Layer> layers = new ArrayList<>();
    int width = inputs;
    for (int s = 0; s < depth; s++) {
      int out = 1 + r.nextInt(maxWidth);
      layers.add(dense(r, width, out, act));
      width = out;
    }
    Task task = classification ? Task.classification(List.of("a", "b", "c").subList(0, 2 + r.nextInt(2)))
        : Task.regression(1 + r.nextInt(2));
    layers.add(dense(r, width, task.outputs(), Activation.IDENTITY));
    Standardization in = r.nextBoolean() ? scaling(r, inputs) : null;
    Standardization out = !classification && r.nextBoolean() ? scaling(r, task.outputs()) : null;
    return new Network(inputs, layers, task, in, out);
  }

  static Standardization scaling(Random r, int n) {
    float[] m = new float[n];
    float[] s = new float[n];
    for (int j = 0; j < n; j++) {
      m[j] = (float) r.nextGaussian();
      s[j] = (float) (0.5 + r.nextDouble());
    }
    return new Standardization(m, s);
  }

  static DenseLayer dense(Random r, int in, int out, Activation a) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() / Math.sqrt(in));
    }
    for (int i = 0; i < out; i++) {
      b[i] = (float) (0.3 * r.nextGaussian());
    }
    return new DenseLayer(in, out, w, b, a);
  }

  static Dataset data(Network net, Random r, int rows) {
    int f = net.inputSize();
    float[] x = new float[rows * f];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (4 * r.nextDouble() - 2);
    }
    List<String> names = new ArrayList<>(Collections.nCopies(f, "x"));
    Task task = net.task();
    if (task.isClassification()) {
      int[] labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = r.nextInt(task.classes());
      }
      return new Dataset("grad", rows, f, x, task, labels, null, names);
    }
    float[] t = new float[rows * task.outputs()];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) r.nextGaussian();
    }
    return new Dataset("grad", rows, f, x, task, null, t, names);
  }

  /**
   * Per hidden layer, per unit: {Σ h·g, Σ |h·g|, Σ (h·g)², Σ g²}/N with g = ∂ℓ_i/∂h of example i's loss
   * (softmax cross-entropy, or the mean over outputs of squared errors on standardised targets).
   */
  static double[][][] reference(Network net, Dataset data) {
    List<DenseLayer> dense = net.denseLayers();
    int hidden = dense.size() - 1;
    double[][][] out = new double[hidden][4][];
    for (int l = 0; l < hidden; l++) {
      for (int k = 0; k < 4; k++) {
        out[l][k] = new double[dense.get(l).outputSize()];
      }
    }
    int f = net.inputSize();
    for (int i = 0; i < data.rows(); i++) {
      double[][] h = new double[dense.size() + 1][];
      double[][] z = new double[dense.size()][];
      h[0] = new double[f];
      for (int j = 0; j < f; j++) {
        double v = data.x()[i * f + j];
        Standardization s = net.inputScaling();
        h[0][j] = s == null ? v : (v - s.mean()[j]) / s.scale()[j];
      }
      for (int l = 0; l < dense.size(); l++) {
        DenseLayer d = dense.get(l);
        z[l] = new double[d.outputSize()];
        h[l + 1] = new double[d.outputSize()];
        for (int o = 0; o < d.outputSize(); o++) {
          double v = d.bias()[o];
          for (int k = 0; k < d.inputSize(); k++) {
            v += (double) d.weight()[o * d.inputSize() + k] * h[l][k];
          }
          z[l][o] = v;
          h[l + 1][o] = d.activation().apply(v);
        }
      }
      double[] y = h[dense.size()];
      double[] g = new double[y.length];
      if (net.task().isClassification()) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : y) {
          sum += Math.exp(v - max);
        }
        for (int o = 0; o < y.length; o++) {
          g[o] = Math.exp(y[o] - max) / sum - (o == data.labels()[i] ? 1 : 0);
        }
      } else {
        Standardization s = net.outputScaling();
        for (int o = 0; o < y.length; o++) {
          double t = data.targets()[i * y.length + o];
          if (s != null) {
            t = (t - s.mean()[o]) / s.scale()[o];
          }
          g[o] = 2 * (y[o] - t) / y.length;
        }
      }
      // g holds ∂ℓ/∂h of layer l+1's output; step back through each layer.
      for (int l = dense.size() - 1; l >= 1; l--) {
        DenseLayer d = dense.get(l);
        double[] gz = new double[d.outputSize()];
        for (int o = 0; o < gz.length; o++) {
          gz[o] = g[o] * d.activation().derivative(z[l][o]);
        }
        double[] gh = new double[d.inputSize()];
        for (int k = 0; k < gh.length; k++) {
          for (int o = 0; o < gz.length; o++) {
            gh[k] += gz[o] * d.weight()[o * d.inputSize() + k];
          }
        }
        int layer = l - 1;
        double[] hv = h[l];
        for (int j = 0; j < gh.length; j++) {
          double p = hv[j] * gh[j];
          out[layer][0][j] += p / data.rows();
          out[layer][1][j] += Math.abs(p) / data.rows();
          out[layer][2][j] += p * p / data.rows();
          out[layer][3][j] += gh[j] * gh[j] / data.rows();
        }
        g = gh;
      }
    }
    return out;
  }

  @Property(tries = 80, seed = "101")
  void statisticsMatchDoubleBackPropagation(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 1, max = 20) int maxWidth, @ForAll Activation act, @ForAll boolean classification,
      @ForAll @IntRange(min = 1, max = 90) int rows, @ForAll @IntRange(min = 1, max = 40) int batch) {
    Random r = new Random(seed);
    Network net = network(r, depth, maxWidth, act, classification);
    Dataset data = data(net, r, rows);
    GradientStatistics stats = new GradientStatisticsCollector(null, batch).gather(net, data);
    double[][][] ref = reference(net, data);
    for (HiddenLayer h : stats.layout().hidden()) {
      LayerGradients g = stats.layer(h.address()).orElseThrow();
      assertEquals(rows, g.count());
      double[][] got = {g.meanProduct(), g.meanAbsProduct(), g.meanSquaredProduct(), g.meanSquaredGradient()};
      String[] what = {"mean h·g", "mean |h·g|", "mean (h·g)²", "mean g²"};
      for (int k = 0; k < 4; k++) {
        for (int j = 0; j < h.width(); j++) {
          // Float forward and backward passes: a relative error of order (depth·width)·u on each term;
          // against the magnitude of the terms (mean |h·g|, or its square), not their possibly
          // cancelling sum.
          double magnitude = k < 2 ? ref[h.index()][1][j] : k == 2 ? ref[h.index()][2][j] : ref[h.index()][3][j];
          double tol = 2e-4 * magnitude + 1e-9;
          assertEquals(ref[h.index()][k][j], got[k][j], tol, h.address() + " unit " + j + ": " + what[k]);
        }
      }
      // The criteria read these sums as documented.
      ScoringContext ctx = ScoringContext.of(net, null, stats);
      double[] taylor = Criteria.byName("taylor").score(ctx, h);
      double[] taylorAbs = Criteria.byName("taylor-abs").score(ctx, h);
      double[] obd = Criteria.byName("obd").score(ctx, h);
      for (int j = 0; j < h.width(); j++) {
        assertEquals(Math.abs(ref[h.index()][0][j]), taylor[j], 2e-4 * ref[h.index()][1][j] + 1e-9, "taylor");
        assertEquals(ref[h.index()][1][j], taylorAbs[j], 2e-4 * ref[h.index()][1][j] + 1e-9, "taylor-abs");
        assertEquals(0.5 * ref[h.index()][2][j], obd[j], 2e-4 * ref[h.index()][2][j] + 1e-9, "obd");
      }
    }
  }

  @Property(tries = 30, seed = "103")
  void taylorPruningRemovesTheLowestScoredUnits(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100) int percent,
      @ForAll boolean layerByLayer) {
    Random r = new Random(seed);
    Network net = network(r, 2, 15, Activation.TANH, true);
    Dataset data = data(net, r, 40);
    GradientStatisticsCollector source = GradientStatisticsCollector.defaults();
    UnitCriterion taylor = Criteria.byName("taylor");
    ThresholdRule rule = ThresholdRule.fractionPerLayer(percent / 100.0);
    PruningResult result = UnitPruner.prune(net, data, taylor, rule,
        layerByLayer ? Schedule.LAYER_BY_LAYER : Schedule.ONE_SHOT, StatisticsOptions.defaults(), source);
    // The first layer is decided on the dense network under both schedules.
    HiddenLayer first = result.statistics().layout().prunable().get(0);
    double[] scores = taylor.score(ScoringContext.of(net, null, source.gather(net, data)), first);
    LayerRemoval removal = result.plan().removal(first.address()).orElseThrow();
    int k = Math.min((int) Math.floor(percent / 100.0 * first.width() + 1e-9), first.width() - 1);
    assertEquals(k, removal.count());
    double maxRemoved = Double.NEGATIVE_INFINITY;
    for (int u : removal.units()) {
      maxRemoved = Math.max(maxRemoved, scores[u]);
    }
    for (int u : removal.keptUnits()) {
      assertTrue(scores[u] >= maxRemoved, "a kept unit scores at least every removed one");
    }
    assertEquals(net.denseLayers().get(0).outputSize() - k, result.network().denseLayers().get(0).outputSize());
  }

  @Test
  void dataThatDoesNotFitIsRefusedByName() {
    Random r = new Random(7);
    Network net = network(r, 1, 5, Activation.RELU, true);
    Network other = network(new Random(8), 1, 5, Activation.RELU, false);
    Dataset wrongTask = data(other, r, 10);
    EvaluationDataException e = assertThrows(EvaluationDataException.class,
        () -> GradientStatisticsCollector.defaults().gather(net, wrongTask));
    assertTrue(e.getMessage().startsWith("data 'grad' "), e.getMessage());
  }
}
