package dev.topiary.cli;

import static dev.topiary.cli.Cli.get;
import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.pruning.criteria.Criteria;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune --method NAME}: every criterion of the registry, through the same recipe and report. */
class PruneMethodTest {

  @TempDir static Path dir;
  static Path model;
  static long parameters;

  @BeforeAll
  static void train() {
    model = dir.resolve("m.safetensors");
    Map<String, Object> m = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "16,12",
        "--epochs", "20", "--seed", "7", "--json", "--quiet").json();
    parameters = ((Number) m.get("parameters")).longValue();
  }

  private static Cli.Result prune(String name, String... args) {
    String[] base = {"prune", "--model", model.toString(), "--data", "builtin:iris",
        "--out", dir.resolve(name + ".safetensors").toString(), "--finetune", "0.25", "--latency-ms", "0", "--quiet"};
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return Cli.run(all);
  }

  /** Half of every hidden layer goes, whatever the criterion: 4-16-12-3 becomes 4-8-6-3. */
  private static void assertHalved(Map<String, Object> m, String method) {
    assertEquals(method, m.get("method"));
    assertEquals("ratio", m.get("epsilon_mode"));
    assertEquals(parameters, ((Number) m.get("parameters_before")).longValue());
    assertEquals("4-8-6-3", m.get("topology_after"));
    // 4·8+8 + 8·6+6 + 6·3+3
    assertEquals(40L + 54 + 21, ((Number) m.get("parameters_after")).longValue());
    for (String s : new String[] {"original", "pruned", "finetuned"}) {
      double v = num(m, "test", s);
      assertTrue(v >= 0 && v <= 1, s + " " + v);
    }
    assertTrue(num(m, "epochs", "finetune") >= 1, "fine-tuned like variance: " + m.get("epochs"));
  }

  @Test
  void aWeightNormCriterionPrunesByRatioAndReportsLikeVariance() {
    Map<String, Object> m = prune("l2-in", "--method", "l2-in", "--ratio", "0.5", "--json").json();
    assertHalved(m, "l2-in");
    // The saved model records which method pruned it.
    Map<String, Object> inspect = Cli.run("inspect", "--model", dir.resolve("l2-in.safetensors").toString(),
        "--json").json();
    assertEquals("l2-in", Cli.pruningSummary((String) get(inspect, "metadata", "topiary.pruning")).get("method"));
  }

  @Test
  void aGradientCriterionPrunesByRatio() {
    assertHalved(prune("taylor", "--method", "taylor", "--ratio", "0.5", "--json").json(), "taylor");
  }

  @Test
  void keepBoundsTheParameters() {
    Map<String, Object> m = prune("l1-out", "--method", "L1-OUT", "--keep", "0.5", "--json").json();
    assertEquals("keep", m.get("epsilon_mode"));
    long after = ((Number) m.get("parameters_after")).longValue();
    assertTrue(after <= 0.5 * parameters, after + " of " + parameters);
  }

  @Test
  void textOutputNamesTheMethod() {
    Cli.Result r = prune("apoz", "--method", "apoz", "--ratio", "0.25");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("with apoz: the lowest-scoring 25.0 % of each layer's units"), r.out());
  }

  @Test
  void anUnknownMethodListsEveryName() {
    String e = prune("x", "--method", "magic", "--ratio", "0.5").errorLine(2);
    assertTrue(e.contains("'magic'"), e);
    for (String name : Criteria.names()) {
      assertTrue(e.contains(name), name + " missing from: " + e);
    }
  }

  @Test
  void otherCriteriaNeedARatioOrAKeepFraction() {
    String e = prune("x", "--method", "taylor").errorLine(2);
    assertTrue(e.contains("--ratio") && e.contains("--keep"), e);
    String e2 = prune("x", "--method", "l1-in", "--epsilon", "0.1").errorLine(2);
    assertTrue(e2.contains("--method variance only"), e2);
    String e3 = prune("x", "--method", "l1-in", "--keep", "0").errorLine(2);
    assertTrue(e3.contains("--keep"), e3);
  }

  @Test
  void helpListsTheMethods() {
    Cli.Result r = Cli.run("prune", "--help");
    assertEquals(0, r.code());
    String flat = r.out().replaceAll("\\s+", " ");
    for (String name : Criteria.names()) {
      assertTrue(flat.contains(name), name + " missing from the help:\n" + r.out());
    }
  }
}
