package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch both ways, with Debian's python3-torch: MLPs written by PyTorch (plain state dicts, a residual
 * one among them, and torch.onnx.export) import and give PyTorch's probabilities; a pruned model loaded back into PyTorch by
 * python/topiary_torch.py gives what {@code topiary predict} writes. Skipped, saying why, where
 * /usr/bin/python3 has no torch.
 */
class PyTorchRoundTripTest {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPTS = Path.of("..", "python").toAbsolutePath().normalize();
  static final String NAMES = "f0,f1,f2,f3,f4,f5";

  @TempDir static Path dir;

  static String python(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
    assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  @BeforeAll
  static void fixtures() throws Exception {
    boolean torch = Files.isExecutable(PYTHON)
        && new ProcessBuilder(PYTHON.toString(), "-c", "import torch").start().waitFor() == 0;
    assumeTrue(torch, "/usr/bin/python3 has no torch (apt-get install python3-torch): PyTorch round trip skipped");
    python(SCRIPTS.resolve("torch_fixtures.py").toString(), dir.toString());
  }

  /** Largest difference between the probability columns (the last three) of two prediction files. */
  static double largestDifference(List<String> a, List<String> b) {
    List<String> ra = a.stream().filter(l -> !l.startsWith("row") && !l.isBlank()).toList();
    List<String> rb = b.stream().filter(l -> !l.startsWith("row") && !l.isBlank()).toList();
    assertEquals(ra.size(), rb.size());
    double worst = 0;
    for (int i = 0; i < ra.size(); i++) {
      String[] x = ra.get(i).split(",");
      String[] y = rb.get(i).split(",");
      assertEquals(x[0], y[0], "row numbers");
      for (int c = 1; c <= 3; c++) {
        worst = Math.max(worst, Math.abs(Double.parseDouble(x[x.length - c]) - Double.parseDouble(y[y.length - c])));
      }
    }
    return worst;
  }

  private static List<String> predict(Path model) {
    Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", dir.resolve("data.csv").toString());
    assertEquals(0, r.code(), r.err());
    return r.out().lines().toList();
  }

  @Test
  void stateDictsAndOnnxExportsImportWithPyTorchsPredictions() throws Exception {
    String[][] cases = {
      {"seq_relu.safetensors", "relu", "seq_relu"},
      {"list_gelu.safetensors", "gelu", "list_gelu"},
      {"res_sd.safetensors", "silu", "res_sd"},
      {"seq_relu.onnx", null, "seq_relu"},
      {"res_silu.onnx", null, "res_silu"},
      {"gelu_tanh.onnx", null, "gelu_tanh"},
    };
    for (String[] c : cases) {
      Path out = dir.resolve(c[0] + ".topiary.safetensors");
      List<String> args = new java.util.ArrayList<>(List.of("import", "--model", dir.resolve(c[0]).toString(),
          "--out", out.toString(), "--features", NAMES, "--quiet"));
      if (c[1] != null) {
        args.addAll(List.of("--activation", c[1]));
      }
      Cli.Result r = Cli.run(args.toArray(String[]::new));
      assertEquals(0, r.code(), c[0] + ": " + r.err());
      double d = largestDifference(predict(out), Files.readAllLines(dir.resolve(c[2] + ".probs.csv")));
      assertTrue(d <= 1e-5, c[0] + ": Topiary and PyTorch differ by " + d);
    }
  }

  @Test
  void aResidualStateDictImportsAsBlocksAndPrunesBackToPyTorch() throws Exception {
    Path imported = dir.resolve("res_sd.imported.safetensors");
    assertEquals(0, Cli.run("import", "--model", dir.resolve("res_sd.safetensors").toString(), "--activation",
        "silu", "--out", imported.toString(), "--features", NAMES, "--quiet").code());
    assertEquals("6-10-[res 10]-[res 10]-3", dev.topiary.core.io.ModelFiles.load(imported).describe());
    pruneAndCompareWithPyTorch(imported, "res_sd.pruned.safetensors", "pruned residual model");
  }

  @Test
  void exactGeluIsRefusedNamingTheNode() {
    String e = Cli.run("import", "--model", dir.resolve("gelu_exact.onnx").toString(), "--out",
        dir.resolve("never.safetensors").toString()).errorLine(2);
    assertTrue(e.contains("(Erf)"), e);
    assertTrue(!Files.exists(dir.resolve("never.safetensors")));
  }

  @Test
  void aPrunedImportGoesBackToPyTorchWithTheSamePredictions() throws Exception {
    Path imported = dir.resolve("res.safetensors");
    assertEquals(0, Cli.run("import", "--model", dir.resolve("res_silu.onnx").toString(), "--out",
        imported.toString(), "--features", NAMES, "--quiet").code());
    pruneAndCompareWithPyTorch(imported, "res.pruned.safetensors", "pruned model");
  }

  /**
   * Prunes {@code imported} by half its units with a short fine-tune, checks that parameters went, and
   * that PyTorch loading the pruned file predicts what Topiary does, within 1e-5.
   */
  private void pruneAndCompareWithPyTorch(Path imported, String prunedName, String what) throws Exception {
    Path pruned = dir.resolve(prunedName);
    Cli.Result r = Cli.run("prune", "--model", imported.toString(), "--data", dir.resolve("data.csv").toString(),
        "--out", pruned.toString(), "--ratio", "0.5", "--finetune", "0.1", "--original-epochs", "10",
        "--latency-ms", "0", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(dev.topiary.core.io.ModelFiles.load(pruned).parameterCount()
        < dev.topiary.core.io.ModelFiles.load(imported).parameterCount(), "pruning removed nothing");
    String torch = python(SCRIPTS.resolve("topiary_torch.py").toString(), "predict", pruned.toString(),
        dir.resolve("data.csv").toString());
    double d = largestDifference(predict(pruned), torch.lines().toList());
    assertTrue(d <= 1e-5, what + ": Topiary and PyTorch differ by " + d);
  }
}
