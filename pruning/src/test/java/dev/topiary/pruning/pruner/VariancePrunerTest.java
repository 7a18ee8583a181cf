package dev.topiary.pruning.pruner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.ReferenceForward;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.BlockRemoval;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.LayerSelection;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** ODF2NNA's pruning step end to end, in both schedules. */
class VariancePrunerTest {

  static ThresholdRule rule(int mode, Random r, boolean perLayerOnly) {
    int minUnits = 1 + r.nextInt(3);
    switch (perLayerOnly ? mode % 3 : mode % 4) {
      case 0: return new ThresholdRule.Absolute(r.nextDouble() * 0.5, minUnits);
      case 1: return new ThresholdRule.RelativeToMax(r.nextDouble(), minUnits);
      case 2: return new ThresholdRule.LayerFraction(r.nextDouble(), minUnits);
      default: return new ThresholdRule.GlobalFraction(r.nextDouble(), minUnits);
    }
  }

  @Property(tries = 150, seed = "41")
  void oneShotRemovesWhatTheRuleSelects(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 0, max = 3) int mode, @ForAll @IntRange(min = 2, max = 60) int rows) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    Dataset data = TestNetworks.data(net, x, rows);
    ThresholdRule rule = rule(mode, new Random(seed), false);

    PruningResult result = VariancePruner.prune(net, data, rule, Schedule.ONE_SHOT);

    UnitStatistics stats = UnitStatistics.gather(net, data);
    List<LayerSelection> expected = rule.select(VarianceCriterion.INSTANCE.scoreAll(stats));
    UnitLayout layout = UnitLayout.of(net);
    List<HiddenLayer> prunable = layout.prunable();
    assertEquals(prunable.size(), result.plan().layers().size(), "one entry per prunable layer");
    for (int i = 0; i < prunable.size(); i++) {
      LayerRemoval got = result.plan().layers().get(i);
      assertEquals(prunable.get(i).address(), got.layer());
      assertArrayEquals(expected.get(i).removed(), got.units());
      LayerStatistics s = stats.layer(got.layer()).orElseThrow();
      int[] u = got.units();
      for (int k = 0; k < u.length; k++) {
        assertEquals(s.mean(u[k]), got.means()[k], "the folded value is μ");
        assertEquals(s.std(u[k]), got.scores()[k], "the score is σ");
      }
      assertTrue(got.kept() >= Math.min(rule.minUnits(), got.width()), "never below the minimum");
      assertEquals(got.kept(), got.layer().resolve(result.network()).outputSize());
    }
    DenseLayer outBefore = (DenseLayer) net.layers().get(net.layers().size() - 1);
    DenseLayer outAfter = (DenseLayer) result.network().layers().get(net.layers().size() - 1);
    assertEquals(outBefore.outputSize(), outAfter.outputSize(), "the output layer keeps its units");
    assertEquals(result.network().parameterCount(), result.sizes().parametersAfter());
    assertEquals(net.flops(), result.sizes().flopsBefore());
    new MeanReplacement(net, result.plan()).check(x, rows, result.network());
  }

  /** The double reference of a plan, checked against a pruned network. */
  record MeanReplacement(Network net, PruningPlan plan) {
    void check(float[] x, int rows, Network pruned) {
      ReferenceForward ref = new ReferenceForward(net);
      for (LayerRemoval l : plan.layers()) {
        for (int k = 0; k < l.count(); k++) {
          ref.replaceUnit(l.layer(), l.units()[k], l.means()[k]);
        }
      }
      ref.assertMatches(x, rows, ForwardPass.outputs(pruned, x, rows), 4, "pruned network");
    }
  }

  @Property(tries = 100, seed = "43")
  void layerByLayerMeasuresThePrunedNetwork(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 0, max = 2) int mode, @ForAll @IntRange(min = 2, max = 60) int rows) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    Dataset data = TestNetworks.data(net, x, rows);
    ThresholdRule rule = rule(mode, new Random(seed), true);

    PruningResult result = VariancePruner.prune(net, data, rule, Schedule.LAYER_BY_LAYER);

    List<HiddenLayer> prunable = UnitLayout.of(net).prunable();
    assertEquals(prunable.size(), result.steps().size(), "one step per prunable layer");
    for (int k = 0; k < prunable.size(); k++) {
      PruningPlan step = result.steps().get(k);
      assertEquals(1, step.layers().size());
      LayerRemoval r = step.layers().get(0);
      assertEquals(prunable.get(k).address(), r.layer());
      // Step k is decided on the statistics of the network the earlier steps made.
      Network soFar = Surgery.apply(net, PruningPlan.union(result.steps().subList(0, k)));
      LayerStatistics s = UnitStatistics.gather(soFar, data).layer(r.layer()).orElseThrow();
      LayerSelection expected = rule.select(List.of(
          new dev.topiary.pruning.criteria.LayerScores(s.layer(), "variance", s.std()))).get(0);
      assertArrayEquals(expected.removed(), r.units());
      for (int i = 0; i < r.count(); i++) {
        assertEquals(s.mean(r.units()[i]), r.means()[i]);
      }
    }
    // The union of the steps, applied at once to the input network, is the same network.
    Network once = Surgery.apply(net, result.plan());
    List<DenseLayer> a = once.denseLayers();
    List<DenseLayer> b = result.network().denseLayers();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).weight(), b.get(i).weight());
      assertArrayEquals(a.get(i).bias(), b.get(i).bias());
    }
    assertNotSame(net, result.network());
  }

  @Test
  void withIdentityActivationsTheSchedulesFoldTheSameMeans() {
    // Mean replacement keeps E[z] of every later pre-activation; with identity activations that is E[h],
    // so both schedules fold the same means (up to rounding) while later σ differ.
    Network net = TestNetworks.random(99, 4, 30, Activation.IDENTITY, false);
    float[] x = TestNetworks.inputs(3, 200, net.inputSize());
    Dataset data = TestNetworks.data(net, x, 200);
    ThresholdRule rule = ThresholdRule.fractionPerLayer(0.5);
    PruningResult one = VariancePruner.prune(net, data, rule, Schedule.ONE_SHOT);
    PruningResult seq = VariancePruner.prune(net, data, rule, Schedule.LAYER_BY_LAYER);
    UnitStatistics dense = one.statistics();
    for (PruningPlan step : seq.steps()) {
      LayerRemoval r = step.layers().get(0);
      LayerStatistics s = dense.layer(r.layer()).orElseThrow();
      double scale = 1 + java.util.Arrays.stream(s.std()).max().orElse(0) + java.util.Arrays.stream(s.mean())
          .map(Math::abs).max().orElse(0);
      for (int i = 0; i < r.count(); i++) {
        assertEquals(s.mean(r.units()[i]), r.means()[i], 1e-4 * scale);
      }
    }
  }

  @Property(tries = 60, seed = "47")
  void candidateThresholdsAreTheDistinctSigmasAndPruningIsMonotone(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int depth, @ForAll @IntRange(min = 1, max = 40) int maxWidth,
      @ForAll Activation act, @ForAll boolean residual) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, 40, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, 40));
    double[] c = VariancePruner.candidateThresholds(stats);
    List<Double> sigmas = new ArrayList<>();
    stats.prunableLayers().forEach(l -> java.util.Arrays.stream(l.std()).forEach(sigmas::add));
    assertArrayEquals(sigmas.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray(), c);
    ScoringContext ctx = ScoringContext.of(net, stats);
    int previous = 0;
    PruningPlan prevPlan = null;
    for (int i = -1; i < c.length; i++) {
      double eps = i < 0 ? (c.length == 0 ? 0 : c[0]) - 1 : c[i];
      PruningPlan p = UnitPruner.plan(ctx, VarianceCriterion.INSTANCE, ThresholdRule.absolute(eps), null);
      if (i < 0) {
        assertEquals(0, p.removedUnits(), "an ε below every σ removes nothing");
      }
      assertTrue(p.removedUnits() >= previous, "monotone in ε");
      if (prevPlan != null) {
        for (LayerRemoval r : prevPlan.layers()) {
          List<Integer> now = java.util.Arrays.stream(p.removal(r.layer()).orElseThrow().units()).boxed().toList();
          for (int u : r.units()) {
            assertTrue(now.contains(u), "a larger ε removes a superset");
          }
        }
      }
      previous = p.removedUnits();
      prevPlan = p;
    }
  }

  /** Dense(3→4 tanh) → block [Dense(4→6 relu), Dense(6→4, identity)] → Dense(4→2). */
  static Network withBlock(float lastWeightScale, float lastBias) {
    Random r = new Random(8);
    DenseLayer inner = TestNetworks.dense(r, 4, 6, Activation.RELU);
    DenseLayer last = TestNetworks.dense(r, 6, 4, Activation.IDENTITY);
    for (int i = 0; i < last.weight().length; i++) {
      last.weight()[i] *= lastWeightScale;
    }
    java.util.Arrays.fill(last.bias(), lastBias);
    List<Layer> layers = List.of(TestNetworks.dense(r, 3, 4, Activation.TANH),
        new ResidualBlock(List.of(inner, last)), TestNetworks.dense(r, 4, 2, Activation.IDENTITY));
    return new Network(3, layers, Task.regression(2), null, null);
  }

  @Test
  void droppingABlockWhoseOutputIsZeroChangesNothing() {
    Network net = withBlock(0f, 0f);
    float[] x = TestNetworks.inputs(4, 30, 3);
    Network pruned = Surgery.apply(net, new PruningPlan(List.of(), List.of(BlockRemoval.drop(1))));
    assertEquals(2, pruned.layers().size());
    assertArrayEquals(ForwardPass.outputs(net, x, 30), ForwardPass.outputs(pruned, x, 30),
        "h + 0 = h exactly, so the outputs are bit-identical");
  }

  @Test
  void foldingAConstantBlockChangesNothing() {
    Network net = withBlock(0f, 0.75f);
    float[] x = TestNetworks.inputs(4, 30, 3);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, 30));
    BlockRemoval fold = BlockRemoval.foldMeasured(1, stats);
    assertArrayEquals(new double[] {0.75, 0.75, 0.75, 0.75}, fold.mean(), 1e-7);
    Network pruned = Surgery.apply(net, new PruningPlan(List.of(), List.of(fold)));
    new ReferenceForward(net).assertMatches(x, 30, ForwardPass.outputs(pruned, x, 30), 4, "folded block");
    // Dropping it without the fold loses the constant.
    Network dropped = Surgery.apply(net, new PruningPlan(List.of(), List.of(BlockRemoval.drop(1))));
    float[] a = ForwardPass.outputs(net, x, 30);
    float[] b = ForwardPass.outputs(dropped, x, 30);
    assertTrue(Math.abs(a[0] - b[0]) > 1e-3, "without the fold the outputs move");
  }
}
