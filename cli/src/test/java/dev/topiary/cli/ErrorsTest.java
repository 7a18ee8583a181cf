package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends with exit status 2, one line on stderr that names the cause, and the
 * output file that was already there left byte for byte as it was.
 */
class ErrorsTest {

  @TempDir static Path shared;
  static Path model;

  @TempDir Path dir;
  Path existing;
  byte[] existingBytes;

  @BeforeAll
  static void trainModel() {
    model = shared.resolve("iris.safetensors");
    Cli.Result r = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "8",
        "--epochs", "5", "--quiet");
    assertEquals(0, r.code(), r.err());
  }

  @BeforeEach
  void existingOutput() throws IOException {
    existing = dir.resolve("existing.safetensors");
    existingBytes = "a file that must survive".getBytes();
    Files.write(existing, existingBytes);
  }

  private void assertUntouched() throws IOException {
    assertArrayEquals(existingBytes, Files.readAllBytes(existing), "the existing output file changed");
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
    }
  }

  @Test
  void corruptModel() throws IOException {
    Path bad = dir.resolve("corrupt.safetensors");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    String e = Cli.run("prune", "--model", bad.toString(), "--data", "builtin:iris", "--out", existing.toString(),
        "--ratio", "0.5").errorLine(2);
    assertTrue(e.contains("corrupt.safetensors") && e.contains("header length"), e);
    assertUntouched();
    String e2 = Cli.run("eval", "--model", bad.toString(), "--data", "builtin:iris").errorLine(2);
    assertTrue(e2.contains("corrupt.safetensors"), e2);
  }

  @Test
  void truncatedModel() throws IOException {
    Path cut = dir.resolve("cut.safetensors");
    byte[] all = Files.readAllBytes(model);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
    String e = Cli.run("inspect", "--model", cut.toString()).errorLine(2);
    assertTrue(e.contains("cut.safetensors"), e);
  }

  @Test
  void missingModel() throws IOException {
    String e = Cli.run("prune", "--model", dir.resolve("nope.safetensors").toString(), "--data", "builtin:iris",
        "--out", existing.toString()).errorLine(2);
    assertTrue(e.contains("nope.safetensors"), e);
    assertUntouched();
  }

  @Test
  void missingDataFile() throws IOException {
    String e = Cli.run("train", "--data", dir.resolve("absent.csv").toString(), "--out", existing.toString())
        .errorLine(2);
    assertTrue(e.contains("absent.csv"), e);
    assertUntouched();
  }

  @Test
  void unknownBuiltinListsTheNames() throws IOException {
    String e = Cli.run("train", "--data", "builtin:nosuch", "--out", existing.toString()).errorLine(2);
    assertTrue(e.contains("builtin:nosuch") && e.contains("digits"), e);
    assertUntouched();
  }

  @Test
  void csvWithABadCellNamesLineAndColumn() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b,label\n1,2,x\n3,abc,y\n5,6,x\n7,8,y\n");
    String e = Cli.run("train", "--data", csv.toString(), "--out", existing.toString(), "--epochs", "1")
        .errorLine(2);
    assertTrue(e.contains("bad.csv") && e.contains("line 3") && e.contains("column 2") && e.contains("abc"), e);
    assertUntouched();
  }

  @Test
  void singleClassTarget() throws IOException {
    Path csv = dir.resolve("one.csv");
    Files.writeString(csv, "a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n");
    String e = Cli.run("train", "--data", csv.toString(), "--out", existing.toString(), "--target", "label")
        .errorLine(2);
    assertTrue(e.contains("one class"), e);
    assertUntouched();
  }

  @Test
  void dataOfTheWrongWidthForTheModel() throws IOException {
    String e = Cli.run("eval", "--model", model.toString(), "--data", "builtin:wine").errorLine(2);
    assertTrue(e.contains("builtin:wine") && e.contains("13") && e.contains("reads 4"), e);
    String e2 = Cli.run("prune", "--model", model.toString(), "--data", "builtin:wine", "--out", existing.toString())
        .errorLine(2);
    assertTrue(e2.contains("reads 4"), e2);
    assertUntouched();
  }

  @Test
  void badEpsilonValues() throws IOException {
    for (String[] bad : new String[][] {{"--epsilon", "-1"}, {"--epsilon", "abc"}, {"--ratio", "1.5"},
        {"--relative", "NaN"}}) {
      String e = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", existing.toString(),
          bad[0], bad[1]).errorLine(2);
      assertTrue(e.contains(bad[0]), e);
    }
    assertUntouched();
  }

  @Test
  void epsilonThatWouldEmptyALayerIsExplained() throws IOException {
    String e = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", existing.toString(),
        "--epsilon", "1e9").errorLine(2);
    assertTrue(e.contains("every unit") && e.contains("never emptied"), e);
    assertUntouched();
  }

  @Test
  void twoWaysOfChoosingEpsilonAreRefused() throws IOException {
    String e = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", existing.toString(),
        "--epsilon", "0.1", "--ratio", "0.2").errorLine(2);
    assertTrue(e.contains("mutually exclusive"), e);
    String e2 = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", existing.toString(),
        "--epsilon", "0.1", "--tolerance", "0.01").errorLine(2);
    assertTrue(e2.contains("--tolerance"), e2);
    assertUntouched();
  }

  @Test
  void unknownMethodListsTheAvailableOnes() throws IOException {
    String e = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out", existing.toString(),
        "--method", "magic").errorLine(2);
    assertTrue(e.contains("magic") && e.contains("variance"), e);
    assertUntouched();
  }

  @Test
  void divergenceIsReported() throws IOException {
    // ReLU, not the small-data default tanh: a bounded activation keeps the logits finite at any rate.
    String e = Cli.run("train", "--data", "builtin:iris", "--out", existing.toString(), "--hidden", "8",
        "--activation", "relu", "--optimizer", "sgd", "--lr", "1e30", "--epochs", "5", "--quiet").errorLine(2);
    assertTrue(e.contains("diverged"), e);
    assertUntouched();
  }

  @Test
  void missingOutputDirectoryFailsBeforeAnyWork() {
    String e = Cli.run("train", "--data", "builtin:iris", "--out", dir.resolve("no/such/dir/m.safetensors").toString())
        .errorLine(2);
    assertTrue(e.contains("does not exist"), e);
  }

  @Test
  void usageErrors() {
    String e = Cli.run("train", "--data", "builtin:iris").errorLine(2);
    assertTrue(e.contains("--out") && e.contains("topiary train --help"), e);
    String e2 = Cli.run("eval", "--model", model.toString(), "--data", "builtin:iris", "--bogus").errorLine(2);
    assertTrue(e2.contains("--bogus"), e2);
    String e3 = Cli.run("train", "--data", "builtin:iris", "--out", "x", "--epochs", "0").errorLine(2);
    assertTrue(e3.contains("--epochs"), e3);
  }
}
