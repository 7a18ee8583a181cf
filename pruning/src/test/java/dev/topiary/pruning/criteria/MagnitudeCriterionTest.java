package dev.topiary.pruning.criteria;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Magnitude criteria against norms computed here in double. */
class MagnitudeCriterionTest {

  /** ‖row j of W_l‖_p, ‖column j of W_{l+1}‖_p in double. */
  static double[][] norms(Network net, HiddenLayer h, int p) {
    DenseLayer d = h.address().resolve(net);
    DenseLayer c = h.consumer().resolve(net);
    double[] in = new double[h.width()];
    double[] out = new double[h.width()];
    for (int j = 0; j < h.width(); j++) {
      for (int k = 0; k < d.inputSize(); k++) {
        double w = d.weight()[j * d.inputSize() + k];
        in[j] += p == 1 ? Math.abs(w) : w * w;
      }
      for (int o = 0; o < c.outputSize(); o++) {
        double w = c.weight()[o * h.width() + j];
        out[j] += p == 1 ? Math.abs(w) : w * w;
      }
      if (p == 2) {
        in[j] = Math.sqrt(in[j]);
        out[j] = Math.sqrt(out[j]);
      }
    }
    return new double[][] {in, out};
  }

  @Property(tries = 150, seed = "41")
  void scoresAreTheNorms(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 1, max = 2) int p) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    ScoringContext ctx = ScoringContext.of(net, null);
    for (HiddenLayer h : UnitLayout.of(net).prunable()) {
      double[][] n = norms(net, h, p);
      double[] in = new MagnitudeCriterion(p, MagnitudeCriterion.Direction.IN).score(ctx, h);
      double[] out = new MagnitudeCriterion(p, MagnitudeCriterion.Direction.OUT).score(ctx, h);
      double[] both = new MagnitudeCriterion(p, MagnitudeCriterion.Direction.BOTH).score(ctx, h);
      int len = Math.max(h.address().resolve(net).inputSize(), h.consumer().resolve(net).outputSize());
      double tol = 4 * (len + 2) * Math.ulp(1.0f); // float accumulation of at most len terms
      for (int j = 0; j < h.width(); j++) {
        assertEquals(n[0][j], in[j], tol * n[0][j] + 1e-30, "incoming norm of unit " + j);
        assertEquals(n[1][j], out[j], tol * n[1][j] + 1e-30, "outgoing norm of unit " + j);
        assertEquals(n[0][j] * n[1][j], both[j], 3 * tol * n[0][j] * n[1][j] + 1e-30, "product of unit " + j);
      }
    }
  }

  @Property(tries = 100, seed = "43")
  void l2RemovesExactlyTheSmallestNorms(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
      @ForAll @IntRange(min = 3, max = 37) int maxWidth, @ForAll Activation act,
      @ForAll @IntRange(min = 0, max = 100) int percent) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, false);
    float[] x = TestNetworks.inputs(seed + 1, 20, net.inputSize());
    double fraction = percent / 100.0;
    PruningResult result = UnitPruner.prune(net, TestNetworks.data(net, x, 20), Criteria.byName("l2-in"),
        ThresholdRule.fractionPerLayer(fraction), Schedule.ONE_SHOT, StatisticsOptions.defaults());
    for (HiddenLayer h : UnitLayout.of(net).prunable()) {
      double[] in = norms(net, h, 2)[0];
      int k = Math.min((int) Math.floor(fraction * h.width() + 1e-9), h.width() - 1);
      int[] expected = IntStream.range(0, h.width()).boxed()
          .sorted(Comparator.<Integer>comparingDouble(j -> in[j]).thenComparing(j -> -j))
          .limit(k).mapToInt(Integer::intValue).sorted().toArray();
      LayerRemoval removal = result.plan().removal(h.address()).orElseThrow();
      double[] sorted = in.clone();
      Arrays.sort(sorted);
      // Units whose double norms are within float rounding of the cut may legitimately swap.
      boolean nearTie = k > 0 && k < h.width()
          && sorted[k] - sorted[k - 1] <= 1e-5 * sorted[k];
      if (!nearTie) {
        assertArrayEquals(expected, removal.units(), h.address() + ": the " + k + " smallest norms go");
      }
      assertEquals(h.width() - k, result.network().denseLayers().get(h.index()).outputSize());
      assertTrue(!removal.merges());
    }
  }
}
