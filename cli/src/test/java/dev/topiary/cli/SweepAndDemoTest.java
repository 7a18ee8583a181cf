package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two commands that write a folder of results, on tiny settings. */
class SweepAndDemoTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path dir;

  @Test
  void sweepWritesTableDataAndPlot() throws Exception {
    Path out = dir.resolve("sweep");
    Map<String, Object> m = Cli.run("sweep", "--data", "builtin:iris", "--out", out.toString(), "--points", "4",
        "--depth", "1", "--width", "12", "--epochs", "15", "--json", "--quiet").json();
    for (String f : List.of("sweep.csv", "sweep.json", "sweep.svg", "sweep.png", "original.safetensors")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertArrayEquals(PNG, Arrays.copyOf(Files.readAllBytes(out.resolve("sweep.png")), 4));
    assertTrue(Files.readString(out.resolve("sweep.svg")).contains("<svg"));
    @SuppressWarnings("unchecked")
    List<Object> points = (List<Object>) m.get("points");
    List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
    assertTrue(csv.get(0).startsWith("epsilon,"), csv.get(0));
    assertEquals(points.size(), csv.size() - 1);
    assertTrue(points.size() >= 2 && points.size() <= 4, "points " + points.size());
    // The first point removes nothing; parameters kept never grow along the grid.
    double previous = 1.0;
    for (Object o : points) {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) o;
      double kept = num(p, "parameters_kept");
      assertTrue(kept <= previous + 1e-12 && kept > 0, "kept " + kept);
      previous = kept;
      double acc = num(p, "test", "finetuned");
      assertTrue(acc >= 0 && acc <= 1);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) points.get(0);
    assertEquals(1.0, num(first, "parameters_kept"));
    assertEquals(m, Json.parse(Files.readString(out.resolve("sweep.json"))));
  }

  @Test
  void demoWritesModelsReportAndPlot() throws Exception {
    Path out = dir.resolve("demo");
    Map<String, Object> m = Cli.run("demo", "--dataset", "iris", "--out", out.toString(), "--width", "16",
        "--depth", "2", "--epochs", "20", "--latency-ms", "40", "--json", "--quiet").json();
    for (String f : List.of("original.safetensors", "pruned.safetensors", "report.json", "search.svg", "search.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertTrue(num(m, "parameters_after") <= num(m, "parameters_before"));
    double orig = num(m, "test", "original");
    assertTrue(orig >= 0 && orig <= 1);
    if (num(m, "parameters_after") < num(m, "parameters_before")) {
      assertTrue(num(m, "test", "scratch") >= 0, "the demo trains the control");
    } else {
      @SuppressWarnings("unchecked")
      Map<String, Object> test = (Map<String, Object>) m.get("test");
      assertNull(test.get("scratch"), "nothing removed: no control to train");
    }
    @SuppressWarnings("unchecked")
    List<Object> latency = (List<Object>) m.get("latency");
    assertEquals(2, latency.size());
    Map<String, Object> pruned = Cli.run("inspect", "--model", out.resolve("pruned.safetensors").toString(), "--json")
        .json();
    assertEquals(num(m, "parameters_after"), num(pruned, "parameters"));

    Cli.Result text = Cli.run("demo", "--dataset", "iris", "--out", out.toString(), "--width", "16", "--depth", "2",
        "--epochs", "20", "--latency-ms", "40", "--quiet");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("fewer parameters") && text.out().contains("latency, batch 256"), text.out());
  }
}
