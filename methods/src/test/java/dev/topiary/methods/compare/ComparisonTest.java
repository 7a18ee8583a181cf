package dev.topiary.methods.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Split;
import dev.topiary.core.json.Json;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.criteria.Criteria;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  private static Split iris() throws Exception {
    return Split.of(DataSources.load("builtin:iris").train(), 3);
  }

  private static Budget tiny() {
    return Budget.small().withHidden(16, 12).withEpochs(12, 3).withTimingRepeats(3);
  }

  @Test
  void everyMethodRunsAtTheSameBudgetAndReportsWhatItKept() throws Exception {
    Split split = iris();
    double keep = 0.4;
    ComparisonReport r = Comparison.run(split, Methods.all(), keep, 2, tiny());
    assertEquals(2, r.dense().size());
    assertEquals(2 * Methods.all().size(), r.entries().size());
    assertEquals(1 + Methods.all().size(), r.rows().size());
    for (ComparisonReport.Entry e : r.entries()) {
      long dense = r.dense().stream().filter(d -> d.seed() == e.seed()).findFirst().orElseThrow().parameters();
      if (e.extras().containsKey("nu")) {
        // Matched to the others' FLOPs, not to the parameter budget: its search is reported.
        long denseFlops = r.dense().get(0).flops();
        assertEquals(e.flops() / (double) denseFlops, (Double) e.extras().get("flops_fraction"), 1e-12);
        assertTrue((Integer) e.extras().get("trainings") <= ComplexityAwareMethod.MAX_TRAININGS);
      } else {
        assertTrue(e.parameters() <= Math.round(keep * dense) + 1,
            e.method() + " kept " + e.parameters() + " of " + dense);
      }
      assertTrue(e.metric() >= 0 && e.metric() <= 1, e.method() + " " + e.metric());
      assertTrue(e.speedup() > 0 && Double.isFinite(e.speedup()));
      if (!e.structural()) {
        assertEquals(r.dense().get(0).flops(), e.flops(), e.method() + ": masks do not reduce dense FLOPs");
      } else {
        assertTrue(e.flops() < r.dense().get(0).flops(), e.method());
      }
    }
    Set<String> kinds = r.rows().stream().map(ComparisonReport.Row::kind).collect(Collectors.toSet());
    assertEquals(Set.of("dense", "structured", "masks"), kinds);
    String csv = r.toCsv();
    assertEquals(2 + Methods.all().size(), csv.split("\n").length);
    assertTrue(csv.startsWith("keep_target,method,kind,seeds,metric,metric_mean,metric_spread"));
    assertTrue(r.toMarkdown().contains("| 0.40 | greedy-scaled | structured |"), r.toMarkdown());
    Object json = Json.parse(Json.write(r.toMap()));
    assertTrue(json instanceof java.util.Map<?, ?> map && map.containsKey("rows"));
  }

  /**
   * Complexity-aware training is compared at the FLOPs the structured methods kept: its target is their
   * mean FLOPs fraction for that seed, its ν search lands within its tolerance, and the search is in the
   * JSON and the Markdown.
   */
  @Test
  void complexityAwareIsMatchedToTheOthersFlops() throws Exception {
    Split split = iris();
    ComplexityAwareMethod ca = new ComplexityAwareMethod(6, 0.08);
    ComparisonReport r = Comparison.run(split, List.of(ca, Methods.byName().get("variance")), List.of(0.5), 1,
        tiny(), dev.topiary.methods.RecipeListener.none());
    assertEquals("complexity-aware", r.entries().get(0).method(), "entries keep the order given");
    ComparisonReport.Entry variance = r.entries().get(1);
    ComparisonReport.Entry e = r.entries().get(0);
    double denseFlops = r.dense().get(0).flops();
    assertEquals(variance.flops() / denseFlops, (Double) e.extras().get("target_flops_fraction"), 1e-9);
    assertEquals(Boolean.TRUE, e.extras().get("hit"), e.detail());
    assertTrue(Math.abs(e.flops() / denseFlops - variance.flops() / denseFlops) <= 0.08, e.detail());
    String json = Json.write(r.toMap());
    assertTrue(json.contains("\"search\"") && json.contains("\"attempts\""), json);
    assertTrue(r.toMarkdown().contains("| 0.50 | complexity-aware | 1 |"), r.toMarkdown());
  }

  @Test
  void unitBudgetMeetsTheParameterTarget() {
    Network net = Network.mlp(10, new int[] {40, 30}, Activation.RELU, Task.regression(2), 1);
    for (double keep : new double[] {1.0, 0.8, 0.5, 0.2, 0.05}) {
      double p = UnitBudget.removalFraction(net, keep);
      long kept = UnitBudget.parameters(net, p);
      assertTrue(kept <= keep * net.parameterCount() || p == 1.0, keep + ": " + kept);
      // The smallest such fraction: removing one unit fewer anywhere would exceed the budget.
      if (p > 0) {
        assertTrue(UnitBudget.parameters(net, p - 1e-6) > keep * net.parameterCount() || p < 1e-6);
      }
    }
    assertEquals(0.0, UnitBudget.removalFraction(net, 1.0));
  }

  @Test
  void methodListsAreParsedByName() {
    assertEquals(Methods.all().size(), Methods.parse("all").size());
    assertEquals(List.of("variance", "snip"),
        Methods.parse("variance, SNIP,variance").stream().map(PruningMethod::name).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.parse("foo"));
    assertTrue(e.getMessage().contains("unknown method 'foo'") && e.getMessage().contains("greedy-mean"));
  }

  @Test
  void everyRegistryCriterionIsAMethodAndFisherNeedsClasses() throws Exception {
    java.util.Map<String, PruningMethod> byName = Methods.byName();
    for (String name : Criteria.names()) {
      assertTrue(byName.containsKey(name), name);
    }
    assertEquals(byName.size(), Methods.all().size(), "names are unique");
    Task regression = Task.regression(1);
    assertTrue(!byName.get("fisher").appliesTo(regression));
    assertTrue(byName.get("fisher").appliesTo(Task.classification(List.of("a", "b"))));
    assertTrue(byName.get("taylor").appliesTo(regression) && byName.get("l1-in").appliesTo(regression));
    Split concrete = Split.of(DataSources.load("builtin:concrete").train(), 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Comparison.run(concrete, List.of(byName.get("fisher")), 0.5, 1, tiny()));
    assertTrue(e.getMessage().contains("fisher") && e.getMessage().contains("regression"), e.getMessage());
  }
}
