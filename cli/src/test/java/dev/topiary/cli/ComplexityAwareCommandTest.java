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
        "--masks", "per-example", "--settle-restart", "true", "--seed", "4", "--threads", "1", "--json", "--quiet").json();
    Network n = ModelFiles.load(model);
    assertEquals(num(m, "parameters"), (double) n.parameterCount());
    assertEquals(num(m, "flops"), (double) n.flops());
    assertTrue(num(m, "flops") < num(m, "initial_flops"), m.toString());
    assertTrue(num(m, "units_removed") + num(m, "blocks_removed") > 0, m.toString());
    assertEquals(64 * 32 + 32 + 2 * (2 * (32 * 32 + 32)) + 32 * 10 + 10, num(m, "initial_parameters"));
    assertEquals(20.0, num(m, "training", "complexity_aware", "nu"));
    assertEquals(1.0, num(m, "training", "complexity_aware", "beta"));
    Map<?, ?> settings = (Map<?, ?>) ((Map<?, ?>) m.get("training")).get("complexity_aware");
    assertEquals("per-example", settings.get("masks"));
    assertEquals(Boolean.TRUE, settings.get("settle_restart"));
    String recipe = ModelFiles.read(model).metadata().get("topiary.training.recipe");
    assertTrue(recipe.contains("\"complexity_aware\"") && recipe.contains("\"nu\":20.0"), recipe);
    // The saved model is an ordinary one: eval reproduces the test figures.
    Map<String, Object> e = Cli.run("eval", "--model", model.toString(), "--data", "builtin:digits", "--json").json();
    assertEquals(num(m, "test", "accuracy"), num(e, "metrics", "accuracy"));
  }

  /** --target-flops searches ν: the saved network keeps the target fraction of FLOPs within the tolerance. */
  @Test
  void targetFlopsSearchesNu() throws Exception {
    Path model = dir.resolve("target.safetensors");
    Map<String, Object> m = Cli.run("train", "--data", "builtin:digits", "--out", model.toString(),
        "--architecture", "residual:3:32", "--epochs", "6", "--complexity-aware", "--target-flops", "0.6",
        "--flops-tolerance", "0.1", "--nu-trainings", "6", "--seed", "4", "--threads", "1", "--json", "--quiet")
        .json();
    double kept = num(m, "flops") / num(m, "initial_flops");
    assertTrue(Math.abs(kept - 0.6) <= 0.1, m.toString());
    Map<?, ?> settings = (Map<?, ?>) ((Map<?, ?>) m.get("training")).get("complexity_aware");
    Map<?, ?> search = (Map<?, ?>) settings.get("nu_search");
    assertEquals(Boolean.TRUE, search.get("hit"), search.toString());
    java.util.List<?> attempts = (java.util.List<?>) search.get("attempts");
    Map<?, ?> last = (Map<?, ?>) attempts.get(attempts.size() - 1);
    assertEquals(kept, ((Number) last.get("flops_fraction")).doubleValue(), 1e-12, "it stops at the first hit");
    assertEquals(((Number) last.get("nu")).doubleValue(), num(m, "training", "complexity_aware", "nu"));
    assertEquals(ModelFiles.load(model).flops(), (long) num(m, "flops"));
  }

  @Test
  void badSettingsAreOneLineErrorsAndWriteNothing() {
    Path out = dir.resolve("x.safetensors");
    String[][] cases = {{"--complexity-aware", "--nu", "-1"}, {"--complexity-aware", "--alpha", "2"},
        {"--complexity-aware", "--beta", "-0.5"}, {"--complexity-aware", "--theta-tol", "0.7"},
        {"--complexity-aware", "--gates", "some"}, {"--complexity-aware", "--block-gradient", "score"},
        {"--nu", "1"}, {"--complexity-aware", "--masks", "per-row"}, {"--complexity-aware", "--theta-lr", "0"},
        {"--complexity-aware", "--theta-init", "0.001"}, {"--complexity-aware", "--settle-epochs", "-1"},
        {"--complexity-aware", "--warmup-epochs", "400"}, {"--masks", "per-example"},
        {"--complexity-aware", "--target-flops", "1.5"}, {"--complexity-aware", "--flops-tolerance", "0.1"},
        {"--complexity-aware", "--target-flops", "0.5", "--nu-trainings", "0"}};
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
