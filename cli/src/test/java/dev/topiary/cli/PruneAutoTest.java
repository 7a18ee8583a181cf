package dev.topiary.cli;

import static dev.topiary.cli.Cli.get;
import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune} with no ε option: the tested search, its report, and its options' errors. */
class PruneAutoTest {

  @TempDir static Path dir;
  static Path model;
  static int heldOut;

  @BeforeAll
  static void train() {
    model = dir.resolve("m.safetensors");
    Map<String, Object> m = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden",
        "16,12", "--epochs", "80", "--seed", "7", "--json", "--quiet").json();
    heldOut = (int) (num(m, "split", "train") + num(m, "split", "validation"));
  }

  private static String[] prune(String name, String... args) {
    String[] base = {"prune", "--model", model.toString(), "--data", "builtin:iris",
        "--out", dir.resolve(name + ".safetensors").toString(), "--latency-ms", "0", "--quiet"};
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    return all;
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDefaultIsTheTestedIterativeSearchAndItsReportSaysHowItJudged() {
    Map<String, Object> m = Cli.run(prune("auto", "--folds", "2", "--json")).json();
    assertEquals("auto", m.get("epsilon_mode"));
    assertEquals("iterative", m.get("schedule"));
    Map<String, Object> s = (Map<String, Object>) get(m, "selection");
    assertEquals(2, ((Number) s.get("folds")).intValue());
    assertEquals(0.95, ((Number) s.get("confidence")).doubleValue());
    // The validation rows plus every training row once, through the folds.
    assertEquals(heldOut, ((Number) s.get("held_out_rows")).intValue());
    List<Object> levels = (List<Object>) s.get("levels");
    assertTrue(!levels.isEmpty());
    int chosen = ((Number) s.get("chosen")).intValue();
    if (chosen >= 0) {
      Map<String, Object> level = (Map<String, Object>) levels.get(chosen);
      assertEquals(true, level.get("accepted"));
      assertEquals(((Number) level.get("parameters_kept")).longValue(), ((Number) m.get("parameters_after")).longValue());
    }
    assertTrue(num(m, "test", "finetuned") >= 0);
  }

  @Test
  void optionsOfTheSearchAreRefusedWithAGivenEpsilon() {
    String e = Cli.run(prune("x", "--epsilon", "0.1", "--confidence", "0.9")).errorLine(2);
    assertTrue(e.contains("--confidence") && e.contains("--auto"), e);
    String e2 = Cli.run(prune("x", "--ratio", "0.5", "--schedule", "iterative")).errorLine(2);
    assertTrue(e2.contains("--schedule iterative"), e2);
    String e3 = Cli.run(prune("x", "--confidence", "1.5")).errorLine(2);
    assertTrue(e3.contains("--confidence must be in (0, 1)"), e3);
    String e4 = Cli.run(prune("x", "--folds", "1")).errorLine(2);
    assertTrue(e4.contains("--folds"), e4);
    String e5 = Cli.run(prune("x", "--schedule", "sideways")).errorLine(2);
    assertTrue(e5.contains("one-shot, iterative or layer-by-layer"), e5);
  }
}
