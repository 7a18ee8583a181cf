package dev.topiary.pruning.criteria;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The registry of criteria, and the random control. */
class RegistryAndRandomTest {

  @Test
  void everyNameGivesTheCriterionOfThatName() {
    List<String> names = Criteria.names();
    assertEquals(List.of("variance", "l1-in", "l1-out", "l1-both", "l2-in", "l2-out", "l2-both", "apoz",
        "mean-activation", "entropy", "fisher", "redundancy", "redundancy-cosine", "taylor", "taylor-abs", "obd",
        "random"), names);
    for (String n : names) {
      assertEquals(n, Criteria.byName(n).name());
      assertEquals(n, Criteria.byName(" " + n.toUpperCase() + " ").name(), "case and spaces are ignored");
    }
    assertEquals(new RandomCriterion(7), Criteria.byName("random:7"));
    assertEquals(new EntropyCriterion(8), Criteria.byName("entropy:8"));
    assertTrue(Criteria.byName("taylor").needsGradients() && Criteria.byName("obd").needsGradients());
    assertTrue(Criteria.byName("redundancy").mergesRemovedUnits());
    assertFalse(Criteria.byName("l2-in").needsStatistics());
  }

  @Test
  void badNamesAreRefusedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("l3-in"));
    assertTrue(e.getMessage().contains("unknown pruning criterion 'l3-in'; known: variance, l1-in"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("l2-in:3"));
    assertTrue(e.getMessage().contains("'l2-in' takes no parameter"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("random:seven"));
    assertTrue(e.getMessage().contains("parameter 'seven' is not an integer"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("entropy:1"));
    assertTrue(e.getMessage().contains("bins must be >= 2"), e.getMessage());
  }

  @Test
  void aGradientCriterionWithoutASourceIsRefused() {
    Network net = TestNetworks.random(3, 2, 10, Activation.RELU, false);
    float[] x = TestNetworks.inputs(4, 12, net.inputSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> UnitPruner.prune(net, TestNetworks.data(net, x, 12), Criteria.byName("taylor"),
            ThresholdRule.fractionPerLayer(0.5), Schedule.ONE_SHOT, StatisticsOptions.defaults()));
    assertTrue(e.getMessage().contains("criterion 'taylor' needs gradient statistics"), e.getMessage());
  }

  @Property(tries = 100, seed = "71")
  void randomScoresDependOnlyOnTheSeedAndTheLayer(@ForAll long seed, @ForAll long other,
      @ForAll @IntRange(min = 1, max = 4) int depth, @ForAll @IntRange(min = 2, max = 40) int maxWidth,
      @ForAll boolean residual) {
    Network net = TestNetworks.random(seed, depth, maxWidth, Activation.TANH, residual);
    ScoringContext ctx = ScoringContext.of(net, null);
    RandomCriterion a = new RandomCriterion(seed);
    List<LayerScores> all = a.scoreAll(ctx);
    List<HiddenLayer> prunable = UnitLayout.of(net).prunable();
    for (int i = prunable.size() - 1; i >= 0; i--) { // in reverse: the order of scoring does not matter
      double[] s = new RandomCriterion(seed).score(ScoringContext.of(net.copy(), null), prunable.get(i));
      assertArrayEquals(all.get(i).scores(), s, "same seed, same scores");
      for (double v : s) {
        assertTrue(v >= 0 && v < 1);
      }
      if (other != seed && s.length >= 4) {
        double[] t = new RandomCriterion(other).score(ctx, prunable.get(i));
        assertFalse(java.util.Arrays.equals(s, t), "another seed, other scores");
      }
    }
  }

  @Property(tries = 30, seed = "73")
  void randomPruningIsReproducible(@ForAll long seed, @ForAll @IntRange(min = 0, max = 100) int percent) {
    Network net = TestNetworks.random(seed, 3, 25, Activation.RELU, false);
    float[] x = TestNetworks.inputs(seed + 1, 30, net.inputSize());
    PruningResult one = UnitPruner.prune(net, TestNetworks.data(net, x, 30), Criteria.byName("random:" + seed),
        ThresholdRule.fractionPerLayer(percent / 100.0), Schedule.ONE_SHOT, StatisticsOptions.defaults());
    PruningResult two = UnitPruner.prune(net, TestNetworks.data(net, x, 30), Criteria.byName("random:" + seed),
        ThresholdRule.fractionPerLayer(percent / 100.0), Schedule.ONE_SHOT, StatisticsOptions.defaults());
    assertEquals(one.plan(), two.plan());
    HashSet<Integer> sizes = new HashSet<>();
    one.network().denseLayers().forEach(d -> sizes.add(d.outputSize()));
    assertEquals(one.sizes(), two.sizes());
    assertFalse(sizes.isEmpty());
  }
}
