package dev.topiary.cli;

import static dev.topiary.cli.Cli.get;
import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → inspect → eval → prune → eval on iris with a small network, every figure read back as JSON. */
class RoundTripTest {

  @TempDir static Path dir;
  static Path model;
  static Map<String, Object> trained;

  @BeforeAll
  static void train() {
    model = dir.resolve("m.safetensors");
    trained = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "16,12",
        "--epochs", "40", "--seed", "7", "--json", "--quiet").json();
  }

  @Test
  void trainReportsConsistentFigures() {
    assertEquals("train", trained.get("command"));
    assertEquals("builtin:iris", trained.get("data"));
    assertEquals("4-16-12-3", trained.get("topology"));
    // 4·16+16 + 16·12+12 + 12·3+3
    assertEquals(80L + 204 + 39, ((Number) trained.get("parameters")).longValue());
    assertEquals(150.0, num(trained, "split", "train") + num(trained, "split", "validation")
        + num(trained, "split", "test"));
    assertEquals(7.0, num(trained, "split", "seed"));
    double epochs = num(trained, "training", "epochs_run");
    assertTrue(epochs >= 1 && epochs <= 40, "epochs " + epochs);
    for (String part : List.of("validation", "test")) {
      double acc = num(trained, part, "accuracy");
      assertTrue(acc >= 0 && acc <= 1, part + " accuracy " + acc);
      assertTrue(num(trained, part, "log_loss") >= 0);
    }
    assertTrue(Files.isRegularFile(model));
  }

  @Test
  void inspectShowsTheLayersAndTheProvenance() {
    Map<String, Object> m = Cli.run("inspect", "--model", model.toString(), "--json").json();
    assertEquals(trained.get("parameters"), m.get("parameters"));
    assertEquals(4L, m.get("input_size"));
    assertEquals("builtin:iris", get(m, "metadata", "topiary.data"));
    assertEquals("7", get(m, "metadata", "topiary.split.seed"));
    assertEquals(String.valueOf(((Number) get(trained, "training", "epochs_run")).longValue()),
        get(m, "metadata", "topiary.training.epochs"));
    Cli.Result text = Cli.run("inspect", "--model", model.toString());
    assertEquals(0, text.code());
    assertTrue(text.out().contains("layers.0") && text.out().contains("topiary.split.seed"), text.out());
  }

  @Test
  void evalFindsTheSameTestRowsAsTraining() {
    Map<String, Object> m = Cli.run("eval", "--model", model.toString(), "--data", "builtin:iris", "--json").json();
    assertEquals("test", m.get("split"));
    assertEquals(true, m.get("split_recorded"));
    assertEquals(num(trained, "split", "test"), num(m, "rows"));
    // The same model on the same rows: the same figures, exactly.
    assertEquals(num(trained, "test", "accuracy"), num(m, "metrics", "accuracy"));
    assertEquals(num(trained, "test", "log_loss"), num(m, "metrics", "log_loss"));

    Map<String, Object> all = Cli.run("eval", "--model", model.toString(), "--data", "builtin:iris",
        "--split", "all", "--json").json();
    assertEquals(150.0, num(all, "rows"));
    Cli.Result text = Cli.run("eval", "--model", model.toString(), "--data", "builtin:iris");
    assertTrue(text.out().contains("the test split") && text.out().contains("as recorded in the model"), text.out());
  }

  @Test
  void pruneByRatioHalvesEveryLayerAndRecordsIt() throws Exception {
    Path out = dir.resolve("p.safetensors");
    Path report = dir.resolve("p.json");
    Map<String, Object> m = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris",
        "--out", out.toString(), "--ratio", "0.5", "--finetune", "0.25", "--latency-ms", "30",
        "--report", report.toString(), "--json", "--quiet").json();
    long before = ((Number) m.get("parameters_before")).longValue();
    long after = ((Number) m.get("parameters_after")).longValue();
    assertEquals(((Number) trained.get("parameters")).longValue(), before);
    // 4-8-6-3: 4·8+8 + 8·6+6 + 6·3+3
    assertEquals(40L + 54 + 21, after);
    assertEquals("4-8-6-3", m.get("topology_after"));
    for (String s : List.of("original", "pruned", "finetuned")) {
      double v = num(m, "test", s);
      assertTrue(v >= 0 && v <= 1, s + " " + v);
    }
    assertEquals(num(trained, "test", "accuracy"), num(m, "test", "original"));
    @SuppressWarnings("unchecked")
    List<Object> latency = (List<Object>) m.get("latency");
    assertEquals(2, latency.size());
    for (Object o : latency) {
      @SuppressWarnings("unchecked")
      Map<String, Object> l = (Map<String, Object>) o;
      assertTrue(num(l, "speedup") > 0);
      assertEquals(num(l, "batch"), num(l, "before", "batch"));
    }
    // The report file holds the same figures as standard output.
    @SuppressWarnings("unchecked")
    Map<String, Object> file = (Map<String, Object>) Json.parse(Files.readString(report));
    assertEquals(m.get("parameters_after"), file.get("parameters_after"));
    assertEquals(get(m, "test", "finetuned"), get(file, "test", "finetuned"));

    // The pruned model remembers its data, split and pruning, so eval scores the same test rows.
    Map<String, Object> inspect = Cli.run("inspect", "--model", out.toString(), "--json").json();
    assertEquals(after, ((Number) inspect.get("parameters")).longValue());
    String pruning = (String) get(inspect, "metadata", "topiary.pruning");
    assertNotNull(pruning);
    assertEquals(after, ((Number) get(Cli.pruningSummary(pruning), "parameters_after")).longValue());
    Map<String, Object> eval = Cli.run("eval", "--model", out.toString(), "--data", "builtin:iris", "--json").json();
    assertEquals("test", eval.get("split"));
    assertEquals(num(m, "test", "finetuned"), num(eval, "metrics", "accuracy"));
  }

  @Test
  void pruneAutomaticallyReportsItsSearch() {
    Path out = dir.resolve("auto.safetensors");
    Cli.Result r = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", out.toString(),
        "--tolerance", "0.05", "--before-finetune", "--latency-ms", "0", "--compare-scratch");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("fewer parameters"), r.out());
    assertTrue(r.out().contains("trained from scratch"), r.out());
    assertTrue(r.out().contains("judged before fine-tuning"), r.out());
    assertFalse(r.out().contains("latency, batch"), "latency was skipped: " + r.out());
    assertTrue(Files.isRegularFile(out));
  }
}
