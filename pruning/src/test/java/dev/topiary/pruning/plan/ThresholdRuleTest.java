package dev.topiary.pruning.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.kernels.Activation;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Each rule against its definition, stated without its implementation: which units are below the
 * threshold, how many go, and that whatever stays is at least as important as whatever goes (importance:
 * higher score, then lower index).
 */
class ThresholdRuleTest {

  /** Random layers; with {@code ties} the scores come from a five-value set, so ties are common. */
  static List<LayerScores> randomScores(Random r, int layers, int maxWidth, boolean ties) {
    List<LayerScores> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int n = 1 + r.nextInt(maxWidth);
      double[] s = new double[n];
      for (int j = 0; j < n; j++) {
        s[j] = ties ? 0.25 * r.nextInt(5) : r.nextDouble() * (l + 1);
      }
      HiddenLayer h = new HiddenLayer(l, LayerAddress.top(l), n, Activation.RELU, HiddenLayer.Role.PRUNABLE,
          LayerAddress.top(l + 1));
      out.add(new LayerScores(h, "test", s));
    }
    return out;
  }

  /** True when unit a of s is less worth keeping than unit b. */
  static boolean less(LayerScores s, int a, int b) {
    return s.score(a) < s.score(b) || (s.score(a) == s.score(b) && a > b);
  }

  static boolean[] mask(int n, int[] idx) {
    boolean[] m = new boolean[n];
    for (int j : idx) {
      m[j] = true;
    }
    return m;
  }

  static void assertKeptOutrankRemoved(LayerScores s, boolean[] removed, boolean[] candidates) {
    for (int u = 0; u < removed.length; u++) {
      for (int v = 0; v < removed.length; v++) {
        if (removed[u] && !removed[v] && candidates[v]) {
          assertTrue(less(s, u, v), "unit " + u + " (" + s.score(u) + ") went but " + v + " ("
              + s.score(v) + ") stayed");
        }
      }
    }
  }

  static void assertThresholdDefinition(LayerSelection sel, double eps, int minUnits) {
    LayerScores s = sel.scores();
    int n = s.width();
    int keep = Math.min(minUnits, n);
    boolean[] below = new boolean[n];
    int nBelow = 0;
    for (int j = 0; j < n; j++) {
      below[j] = s.score(j) <= eps;
      nBelow += below[j] ? 1 : 0;
    }
    boolean[] removed = mask(n, sel.removed());
    for (int j = 0; j < n; j++) {
      assertTrue(!removed[j] || below[j], "unit " + j + " above ε was removed");
    }
    assertEquals(Math.min(nBelow, n - keep), sel.removed().length);
    assertKeptOutrankRemoved(s, removed, below);
    assertEquals(nBelow > n - keep, sel.keptForMinimum());
    assertTrue(sel.kept() >= 1, "a layer is never emptied");
  }

  @Property(tries = 300, seed = "23")
  void absoluteRemovesExactlyWhatIsAtOrBelowEpsilon(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int layers,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll boolean ties,
      @ForAll @IntRange(min = 1, max = 6) int minUnits) {
    Random r = new Random(seed);
    List<LayerScores> scores = randomScores(r, layers, maxWidth, ties);
    double eps = ties ? 0.25 * r.nextInt(5) : r.nextDouble() * 2;
    List<LayerSelection> sel = new ThresholdRule.Absolute(eps, minUnits).select(scores);
    assertEquals(scores.size(), sel.size());
    for (LayerSelection s : sel) {
      assertEquals(eps, s.threshold());
      assertThresholdDefinition(s, eps, minUnits);
    }
  }

  @Property(tries = 300, seed = "29")
  void relativeUsesEachLayersMaximum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int layers,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll boolean ties,
      @ForAll @IntRange(min = 0, max = 120) int percent, @ForAll @IntRange(min = 1, max = 6) int minUnits) {
    List<LayerScores> scores = randomScores(new Random(seed), layers, maxWidth, ties);
    double ratio = percent / 100.0;
    List<LayerSelection> sel = new ThresholdRule.RelativeToMax(ratio, minUnits).select(scores);
    for (LayerSelection s : sel) {
      double max = Arrays.stream(s.scores().scores()).max().orElseThrow();
      assertThresholdDefinition(s, ratio * max, minUnits);
    }
  }

  @Property(tries = 300, seed = "31")
  void fractionPerLayerRemovesTheLowestFloorPN(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int layers,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll boolean ties,
      @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll @IntRange(min = 1, max = 6) int minUnits) {
    List<LayerScores> scores = randomScores(new Random(seed), layers, maxWidth, ties);
    List<LayerSelection> sel = new ThresholdRule.LayerFraction(percent / 100.0, minUnits).select(scores);
    for (LayerSelection s : sel) {
      int n = s.scores().width();
      int wanted = percent * n / 100; // ⌊p·n⌋ in exact integers
      assertEquals(Math.min(wanted, n - Math.min(minUnits, n)), s.removed().length);
      boolean[] all = new boolean[n];
      Arrays.fill(all, true);
      assertKeptOutrankRemoved(s.scores(), mask(n, s.removed()), all);
      assertTrue(s.kept() >= 1);
    }
  }

  @Property(tries = 300, seed = "37")
  void fractionOverallRemovesTheGloballyLowest(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int layers,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll boolean ties,
      @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll @IntRange(min = 1, max = 6) int minUnits) {
    List<LayerScores> scores = randomScores(new Random(seed), layers, maxWidth, ties);
    List<LayerSelection> sel = new ThresholdRule.GlobalFraction(percent / 100.0, minUnits).select(scores);
    int total = scores.stream().mapToInt(LayerScores::width).sum();
    int room = scores.stream().mapToInt(s -> s.width() - Math.min(minUnits, s.width())).sum();
    int removedTotal = sel.stream().mapToInt(s -> s.removed().length).sum();
    assertEquals(Math.min(percent * total / 100, room), removedTotal);
    for (int l = 0; l < sel.size(); l++) {
      assertTrue(sel.get(l).kept() >= Math.min(minUnits, scores.get(l).width()));
    }
    // A removed unit ranks below every kept unit of a layer that could still have given one up; across
    // layers ties go to the later layer first.
    for (int a = 0; a < sel.size(); a++) {
      boolean[] ra = mask(scores.get(a).width(), sel.get(a).removed());
      for (int b = 0; b < sel.size(); b++) {
        if (sel.get(b).kept() <= Math.min(minUnits, scores.get(b).width())) {
          continue;
        }
        boolean[] rb = mask(scores.get(b).width(), sel.get(b).removed());
        for (int u = 0; u < ra.length; u++) {
          for (int v = 0; v < rb.length; v++) {
            if (ra[u] && !rb[v]) {
              double su = scores.get(a).score(u);
              double sv = scores.get(b).score(v);
              boolean lower = su < sv || (su == sv && (a > b || (a == b && u > v)));
              assertTrue(lower, "layer " + a + " unit " + u + " went before layer " + b + " unit " + v);
            }
          }
        }
      }
    }
  }

  @Test
  void everyUnitBelowKeepsTheHighestScored() {
    HiddenLayer h = new HiddenLayer(0, LayerAddress.top(0), 5, Activation.TANH, HiddenLayer.Role.PRUNABLE,
        LayerAddress.top(1));
    LayerScores s = new LayerScores(h, "variance", new double[] {0.01, 0.03, 0.02, 0.03, 0.0});
    LayerSelection one = ThresholdRule.absolute(1.0).select(List.of(s)).get(0);
    assertEquals(List.of(0, 2, 3, 4), Arrays.stream(one.removed()).boxed().toList(), "unit 1 wins the tie");
    assertTrue(one.keptForMinimum());
    LayerSelection two = ThresholdRule.absolute(1.0).withMinUnits(2).select(List.of(s)).get(0);
    assertEquals(List.of(0, 2, 4), Arrays.stream(two.removed()).boxed().toList());
    LayerSelection rel = ThresholdRule.relativeToMax(0.5).select(List.of(s)).get(0);
    assertEquals(List.of(0, 4), Arrays.stream(rel.removed()).boxed().toList(), "0.5 × 0.03 = 0.015");
    LayerSelection frac = ThresholdRule.fractionPerLayer(0.5).select(List.of(s)).get(0);
    assertEquals(List.of(0, 4), Arrays.stream(frac.removed()).boxed().toList(), "⌊0.5 × 5⌋ = 2 lowest");
    assertEquals(0.01, frac.threshold());
  }

  @Test
  void rulesRejectMeaninglessParameters() {
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.absolute(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.relativeToMax(-0.1));
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.fractionPerLayer(1.5));
    assertThrows(IllegalArgumentException.class, () -> ThresholdRule.fractionOverall(-0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ThresholdRule.absolute(0.1).withMinUnits(0));
    assertTrue(e.getMessage().contains("minUnits must be >= 1"), e.getMessage());
  }
}
