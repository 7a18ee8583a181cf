package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --complexity-aware}: the figures it reports, the settings it records, its errors. */
class ComplexityAwareCommandTest {

  @TempDir Path dir;

  @Test
  void reportsTheSizesAndRecordsTheSettings() throws Exception {
    Path model = dir.resolve("ca.safetensors");
    Map<String, Object> m = Cli.run("train", "--data", "builtin:digits", "--out", model.toString(),
        "--architecture", "residual:2:32", "--epochs", "6", "--complexity-aware", "--nu", "20", "--beta", "1",
        "--seed", "4", "--threads", "1", "--json", "--quiet").json();
    Network n = ModelFiles.load(model);
    assertEquals(num(m, "parameters"), (double) n.parameterCount());
    assertEquals(num(m, "flops"), (double) n.flops());
    assertTrue(num(m, "flops") < num(m, "initial_flops"), m.toString());
    assertTrue(num(m, "units_removed") + num(m, "blocks_removed") > 0, m.toString());
    assertEquals(64 * 32 + 32 + 2 * (2 * (32 * 32 + 32)) + 32 * 10 + 10, num(m, "initial_parameters"));
    assertEquals(20.0, num(m, "training", "complexity_aware", "nu"));
    assertEquals(1.0, num(m, "training", "complexity_aware", "beta"));
    String recipe = ModelFiles.read(model).metadata().get("topiary.training.recipe");
    assertTrue(recipe.contains("\"complexity_aware\"") && recipe.contains("\"nu\":20.0"), recipe);
    // The saved model is an ordinary one: eval reproduces the test figures.
    Map<String, Object> e = Cli.run("eval", "--model", model.toString(), "--data", "builtin:digits", "--json").json();
    assertEquals(num(m, "test", "accuracy"), num(e, "metrics", "accuracy"));
  }

  @Test
  void badSettingsAreOneLineErrorsAndWriteNothing() {
    Path out = dir.resolve("x.safetensors");
    String[][] cases = {{"--complexity-aware", "--nu", "-1"}, {"--complexity-aware", "--alpha", "2"},
        {"--complexity-aware", "--beta", "-0.5"}, {"--complexity-aware", "--theta-tol", "0.7"},
        {"--complexity-aware", "--gates", "some"}, {"--complexity-aware", "--block-gradient", "score"},
        {"--nu", "1"}};
    for (String[] c : cases) {
      String[] args = new String[6 + c.length];
      System.arraycopy(new String[] {"train", "--data", "builtin:iris", "--out", out.toString(), "--quiet"}, 0,
          args, 0, 6);
      System.arraycopy(c, 0, args, 6, c.length);
      String line = Cli.run(args).errorLine(2);
      assertTrue(line.contains(c[c.length - 2]) || line.contains("--complexity-aware"), line);
    }
    assertFalse(Files.exists(out));
  }
}
