package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.io.TempFiles;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is written until everything it describes exists, no output may be an input or another output,
 * and temporary files do not outlive a failure, a signal, or the next save.
 */
class FileSafetyTest {

  @TempDir static Path shared;
  static Path model;
  static Path csv;

  @TempDir Path dir;

  @BeforeAll
  static void trainModel() throws IOException {
    csv = shared.resolve("data.csv");
    StringBuilder b = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 60; i++) {
      b.append(i % 7).append(',').append((i * 13) % 11).append(',').append(i % 2 == 0 ? "p" : "q").append('\n');
    }
    Files.writeString(csv, b);
    model = shared.resolve("m.safetensors");
    Cli.Result r = Cli.run("train", "--data", csv.toString(), "--out", model.toString(), "--hidden", "4",
        "--epochs", "2", "--quiet");
    assertEquals(0, r.code(), r.err());
  }

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDirectoryGivenAsTheModelIsNamed() {
    String e = Cli.run("eval", "--model", dir.toString(), "--data", csv.toString()).errorLine(2);
    assertEquals("topiary: " + dir + ": is a directory, not a model file", e);
  }

  @Test
  void trainRefusesToWriteTheModelOverItsData() throws IOException {
    byte[] before = Files.readAllBytes(csv);
    String e = Cli.run("train", "--data", csv.toString(), "--out", csv.toString(), "--epochs", "1")
        .errorLine(2);
    assertTrue(e.contains("--out") && e.contains("--data"), e);
    assertArrayEquals(before, Files.readAllBytes(csv));
  }

  @Test
  void pruneRefusesOutputsThatClash() throws IOException {
    Path out = dir.resolve("out.safetensors");
    String same = Cli.run("prune", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString(),
        "--report", out.toString(), "--ratio", "0.5").errorLine(2);
    assertTrue(same.contains("--report") && same.contains("--out"), same);
    byte[] m = Files.readAllBytes(model);
    String over = Cli.run("prune", "--model", model.toString(), "--data", csv.toString(), "--out",
        model.toString(), "--ratio", "0.5").errorLine(2);
    assertTrue(over.contains("--model"), over);
    assertArrayEquals(m, Files.readAllBytes(model));
    String data = Cli.run("prune", "--model", model.toString(), "--data", csv.toString(), "--out", out.toString(),
        "--report", csv.toString(), "--ratio", "0.5").errorLine(2);
    assertTrue(data.contains("--data"), data);
    // A link to the data is the data.
    Path link = dir.resolve("link.csv");
    Files.createSymbolicLink(link, csv);
    String linked = Cli.run("train", "--data", link.toString(), "--out", csv.toString(), "--epochs", "1")
        .errorLine(2);
    assertTrue(linked.contains("same file"), linked);
    assertFalse(Files.exists(out));
  }

  @Test
  void sweepRefusesADataFileInsideItsOutputs() throws IOException {
    Path d = dir.resolve("sweep");
    Files.createDirectory(d);
    Path data = d.resolve("sweep.csv");
    Files.copy(csv, data);
    String e = Cli.run("sweep", "--data", data.toString(), "--out", d.toString(), "--epochs", "1").errorLine(2);
    assertTrue(e.contains("sweep.csv"), e);
    assertArrayEquals(Files.readAllBytes(csv), Files.readAllBytes(data));
  }

  @Test
  void aFailedModelSaveLeavesTheExistingReportAlone() throws IOException {
    Path report = dir.resolve("report.json");
    Files.writeString(report, "the report of the model already saved");
    Path out = dir.resolve("pruned.safetensors");
    Network bad = Network.mlp(3, new int[] {4}, Activation.RELU, Task.regression(1), 1);
    ((dev.topiary.core.model.DenseLayer) bad.layers().get(0)).weight()[0] = Float.NaN;
    assertThrows(IllegalArgumentException.class,
        () -> PruneCommand.saveModelThenReport(bad, out, Map.of(), report, "a report of an unsaved model"));
    assertEquals("the report of the model already saved", Files.readString(report));
    assertEquals(List.of("report.json"), names(dir));
  }

  @Test
  void aLaterSaveRemovesStaleTemporaryFilesOfItsOwnTargetOnly() throws IOException {
    Path target = dir.resolve("m.safetensors");
    Files.writeString(dir.resolve(".m.safetensors.3f2a9c.tmp"), "left by a killed save");
    Files.writeString(dir.resolve(".m.safetensors.1234567890.tmp"), "left by an older version");
    Files.writeString(dir.resolve(".other.safetensors.3f2a9c.tmp"), "another target's");
    Files.writeString(dir.resolve(".m.safetensors.notes.tmp"), "not a temporary name");
    ModelFiles.save(Network.mlp(3, new int[] {4}, Activation.RELU, Task.regression(1), 1), target);
    assertEquals(List.of(".m.safetensors.notes.tmp", ".other.safetensors.3f2a9c.tmp", "m.safetensors"), names(dir));
    Files.writeString(dir.resolve(".r.json.77.tmp"), "stale");
    OutputFiles.writeText(dir.resolve("r.json"), "{}");
    assertFalse(Files.exists(dir.resolve(".r.json.77.tmp")));
  }

  @Test
  void temporaryFilesOfAFailedSaveAreRemoved() throws IOException {
    Path target = dir.resolve("x");
    Path tmp = TempFiles.create(target);
    Files.writeString(tmp, "partial");
    TempFiles.release(tmp);
    assertFalse(Files.exists(tmp));
    assertTrue(TempFiles.isTempOf(tmp.getFileName().toString(), "x"));
  }

  @Test
  void sigtermAndSigintRemoveTemporaryFilesAndSayOneLine() throws Exception {
    for (String signal : List.of("TERM", "INT")) {
      Path target = dir.resolve("model-" + signal + ".safetensors");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path errFile = dir.resolve("stderr-" + signal);
      // Read after the child ends: destroy() closes the pipes this side holds.
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          SignalChild.class.getName(), target.toString()).redirectError(errFile.toFile()).start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null, () -> "no output from the child: " + read(errFile));
        Path tmp = Path.of(line);
        assertTrue(Files.exists(tmp), line);
        if (signal.equals("TERM")) {
          p.destroy();
        } else {
          assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
        String err = read(errFile).strip();
        assertFalse(Files.exists(tmp), "temporary file left after SIG" + signal);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("topiary: stopped by a signal"), err);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return e.toString();
    }
  }

}
