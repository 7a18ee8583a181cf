package dev.topiary.pruning.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.ReferenceForward;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.Covariance;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Covariances, the greedy elimination, and merges of duplicated and affinely related units. */
class RedundancyCriterionTest {

  static final RedundancyCriterion CRITERION = new RedundancyCriterion(RedundancyCriterion.Similarity.CORRELATION);

  @Property(tries = 100, seed = "81")
  void covarianceMatchesTwoPassReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 1, max = 30) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 2, max = 400) int rows, @ForAll @IntRange(min = 1, max = 150) int batch,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows),
        StatisticsOptions.defaults().withBatchRows(batch).withThreads(threads).withCovariance());
    float[][] hidden = HiddenOutputs.of(net, x, rows, 1); // one row at a time: a reference of its own
    for (HiddenLayer h : stats.layout().prunable()) {
      Covariance c = stats.layer(h.address()).orElseThrow().covariance();
      int w = h.width();
      double[][] col = new double[w][];
      double[] mean = new double[w];
      double[] range = new double[w];
      for (int j = 0; j < w; j++) {
        col[j] = HiddenOutputs.column(hidden[h.index()], rows, w, j);
        mean[j] = Arrays.stream(col[j]).sum() / rows;
        range[j] = Arrays.stream(col[j]).max().getAsDouble() - Arrays.stream(col[j]).min().getAsDouble();
      }
      int b = Math.min(batch, rows);
      for (int i = 0; i < w; i++) {
        for (int j = 0; j < w; j++) {
          double ref = 0;
          for (int k = 0; k < rows; k++) {
            ref += (col[i][k] - mean[i]) * (col[j][k] - mean[j]);
          }
          ref /= rows;
          // Products of centred float values reduced in float over b rows: ≲ 3(b+2)·u·R_i·R_j, plus the
          // reference's own outputs, which may round differently from batched ones by a few ulps.
          double magnitude = (range[i] + 1e-3 * Math.abs(mean[i])) * (range[j] + 1e-3 * Math.abs(mean[j]));
          double tol = 3 * (b + 2) * Math.ulp(1.0f) * magnitude + 1e-12 * (1 + Math.abs(mean[i] * mean[j]));
          assertEquals(ref, c.cov(i, j), tol, h.address() + " cov(" + i + ", " + j + ")");
          assertEquals(c.cov(i, j), c.cov(j, i), "symmetric");
        }
      }
    }
  }

  @Property(tries = 200, seed = "83")
  void eliminationRemovesTheMostSimilarFirstAndScoresRise(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 25) int w) {
    Random r = new Random(seed);
    double[] sim = new double[w * w];
    for (int i = 0; i < w; i++) {
      for (int j = i + 1; j < w; j++) {
        double v = r.nextInt(5) == 0 ? r.nextInt(3) / 2.0 : r.nextDouble(); // ties on purpose
        sim[i * w + j] = v;
        sim[j * w + i] = v;
      }
    }
    double[] score = RedundancyCriterion.eliminationScores(w, sim);
    Integer[] order = new Integer[w];
    for (int j = 0; j < w; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    for (int t = 1; t < w; t++) {
      assertTrue(score[order[t]] > score[order[t - 1]], "scores are distinct along the elimination");
    }
    // Replaying the order: each removed unit belongs to the most similar pair among those still in, and
    // its score is 1 − that similarity (up to the ulps that keep scores distinct).
    boolean[] gone = new boolean[w];
    for (int t = 0; t < w - 1; t++) {
      int u = order[t];
      double top = -1;
      double mine = -1;
      for (int i = 0; i < w; i++) {
        for (int j = 0; j < w; j++) {
          if (i != j && !gone[i] && !gone[j]) {
            top = Math.max(top, sim[i * w + j]);
            if (i == u) {
              mine = Math.max(mine, sim[i * w + j]);
            }
          }
        }
      }
      assertEquals(top, mine, "unit " + u + " is in the most similar remaining pair");
      assertEquals(1 - top, score[u], 1e-12);
      gone[u] = true;
    }
    assertTrue(score[order[w - 1]] >= 1.0, "the last unit standing scores at least 1");
  }

  /** A dense network of widths in [minWidth, minWidth + 8] on at least 3 inputs, activation {@code act}. */
  static Network wide(Random r, int depth, int minWidth, Activation act) {
    int inputs = 3 + r.nextInt(6);
    List<Layer> layers = new ArrayList<>();
    int width = inputs;
    for (int s = 0; s < depth; s++) {
      int out = minWidth + r.nextInt(9);
      layers.add(TestNetworks.dense(r, width, out, act));
      width = out;
    }
    layers.add(TestNetworks.dense(r, width, 2, Activation.IDENTITY));
    return new Network(inputs, layers, Task.regression(2), null, null);
  }

  /**
   * Makes unit dst of every prunable layer an affine image of unit src, h_dst = a·h_src + b: incoming
   * row and bias scaled by a, plus b on the bias (b only under the identity activation; a &gt; 0 for a
   * ReLU, which commutes with positive scaling; a = 1, b = 0 under tanh). Returns {src, dst} pairs per layer.
   */
  static List<int[][]> plantPairs(Network net, Random r, int pairs, Activation act, boolean affine,
      List<double[][]> lines) {
    List<int[][]> all = new ArrayList<>();
    for (HiddenLayer h : UnitLayout.of(net).prunable()) {
      DenseLayer d = h.address().resolve(net);
      List<Integer> idx = new ArrayList<>();
      for (int j = 0; j < h.width(); j++) {
        idx.add(j);
      }
      Collections.shuffle(idx, r);
      int[][] p = new int[pairs][];
      double[][] ab = new double[pairs][];
      for (int k = 0; k < pairs; k++) {
        int src = idx.get(2 * k);
        int dst = idx.get(2 * k + 1);
        // tanh commutes with no scaling: there the pair is an exact duplicate.
        boolean scaled = affine && act != Activation.TANH;
        double a = scaled ? (act == Activation.IDENTITY && r.nextBoolean() ? -1 : 1) * (0.5 + 1.5 * r.nextDouble())
            : 1;
        double b = affine && act == Activation.IDENTITY ? 2 * r.nextDouble() - 1 : 0;
        int in = d.inputSize();
        for (int c = 0; c < in; c++) {
          d.weight()[dst * in + c] = (float) (a * d.weight()[src * in + c]);
        }
        d.bias()[dst] = (float) (a * d.bias()[src] + b);
        p[k] = new int[] {src, dst};
        ab[k] = new double[] {a, b};
      }
      all.add(p);
      lines.add(ab);
    }
    return all;
  }

  @Property(tries = 120, seed = "89")
  void duplicatedAndAffineUnitsLoseOneOfEachPairAndTheOutputsStay(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int depth, @ForAll @IntRange(min = 1, max = 4) int pairs,
      @ForAll boolean affine, @ForAll @IntRange(min = 0, max = 2) int actChoice) {
    Activation act = new Activation[] {Activation.TANH, Activation.IDENTITY, Activation.RELU}[actChoice];
    Random r = new Random(seed);
    Network net = wide(r, depth, 2 * pairs + 1, act);
    int rows = 120;
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    StatisticsOptions options = CRITERION.requiredStatistics(StatisticsOptions.defaults().withBatchRows(50));
    List<double[][]> lines = new ArrayList<>();
    List<int[][]> planted = plantPairs(net, r, pairs, act, affine, lines);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows), options);
    // Pairs not planted must not be near-duplicates by chance (nor constant, like a dead ReLU, which is
    // an exact line of anything), else the elimination may rightly pick them first.
    List<HiddenLayer> layersToCheck = stats.layout().prunable();
    for (int l = 0; l < layersToCheck.size(); l++) {
      HiddenLayer h = layersToCheck.get(l);
      Covariance c = stats.layer(h.address()).orElseThrow().covariance();
      for (int i = 0; i < h.width(); i++) {
        for (int j = i + 1; j < h.width(); j++) {
          boolean plantedPair = false;
          for (int[] p : planted.get(l)) {
            plantedPair |= (p[0] == i && p[1] == j) || (p[0] == j && p[1] == i);
          }
          Assume.that(plantedPair || Math.abs(c.correlation(i, j)) < 0.999);
        }
      }
    }
    ScoringContext ctx = ScoringContext.of(net, stats);
    List<PruningPlan> steps = new ArrayList<>();
    List<HiddenLayer> prunable = stats.layout().prunable();
    for (HiddenLayer h : prunable) {
      ThresholdRule rule = ThresholdRule.fractionPerLayer((double) pairs / h.width());
      steps.add(UnitPruner.plan(ctx, CRITERION, rule, h));
    }
    PruningPlan plan = PruningPlan.union(steps);
    ReferenceForward merged = new ReferenceForward(net);
    for (int l = 0; l < prunable.size(); l++) {
      HiddenLayer h = prunable.get(l);
      LayerRemoval removal = plan.removal(h.address()).orElseThrow();
      assertEquals(pairs, removal.count(), h.address().toString());
      int[] units = removal.units();
      int[] partners = removal.partners();
      double[] slopes = removal.slopes();
      double[] constants = removal.means();
      for (int k = 0; k < pairs; k++) {
        int src = planted.get(l)[k][0];
        int dst = planted.get(l)[k][1];
        boolean srcGone = Arrays.binarySearch(units, src) >= 0;
        boolean dstGone = Arrays.binarySearch(units, dst) >= 0;
        assertTrue(srcGone != dstGone, h.address() + ": exactly one of units " + src + " and " + dst + " goes");
        int i = Arrays.binarySearch(units, dstGone ? dst : src);
        assertEquals(dstGone ? src : dst, partners[i], "merged into its twin");
        double a = lines.get(l)[k][0];
        double b = lines.get(l)[k][1];
        // h_dst = a·h_src + b, so h_src = h_dst/a − b/a.
        double slope = dstGone ? a : 1 / a;
        double intercept = dstGone ? b : -b / a;
        assertEquals(slope, slopes[i], 1e-4 * Math.abs(slope), "the fitted slope recovers the line");
        assertEquals(intercept, constants[i], 1e-4 * (1 + Math.abs(intercept)), "and the intercept");
        // The dense network with the removed unit replaced by the exact line computes the dense
        // network's own outputs, since the line holds on every input.
        merged.replaceUnitAffine(h.address(), units[i], partners[i], slope, intercept);
      }
    }
    Network pruned = Surgery.apply(net, plan);
    float[] fresh = TestNetworks.inputs(seed + 2, 40, net.inputSize());
    float[] dense = ForwardPass.outputs(net, fresh, 40);
    float[] after = ForwardPass.outputs(pruned, fresh, 40);
    // Outputs unchanged: the pruned network against the exact-line reference, within its float bound
    // plus what the fitted slope and intercept may differ from the exact ones (checked above to 1e-4).
    double scale = 0;
    for (float v : dense) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < 40; i++) {
      ReferenceForward.Result ref = merged.run(fresh, i);
      for (int o = 0; o < 2; o++) {
        double tol = 4 * ref.bound()[o] + 1e-3 * (1 + scale);
        assertEquals(ref.value()[o], after[i * 2 + o], tol, "row " + i + " output " + o);
        assertEquals(dense[i * 2 + o], after[i * 2 + o], 2 * tol, "row " + i + " output " + o + " unchanged");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void thePrunerGathersCovariancesAndMergesByName() {
    Random r = new Random(11);
    Network net = wide(r, 2, 6, Activation.TANH);
    List<double[][]> lines = new ArrayList<>();
    plantPairs(net, r, 3, Activation.TANH, false, lines);
    float[] x = TestNetworks.inputs(12, 80, net.inputSize());
    for (dev.topiary.pruning.pruner.Schedule schedule : dev.topiary.pruning.pruner.Schedule.values()) {
      var result = UnitPruner.prune(net, TestNetworks.data(net, x, 80), Criteria.byName("redundancy"),
          ThresholdRule.absolute(1e-6), schedule, StatisticsOptions.defaults());
      for (HiddenLayer h : UnitLayout.of(net).prunable()) {
        LayerRemoval removal = result.plan().removal(h.address()).orElseThrow();
        assertEquals(3, removal.count(), schedule + " " + h.address() + ": one unit of each planted pair");
        assertTrue(removal.merges());
      }
      float[] dense = ForwardPass.outputs(net, x, 80);
      float[] after = ForwardPass.outputs(result.network(), x, 80);
      for (int i = 0; i < dense.length; i++) {
        assertEquals(dense[i], after[i], 1e-4 * (1 + Math.abs(dense[i])), schedule + " output " + i);
      }
    }
  }
}
