package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --architecture residual:…}: the model trains, saves, loads, evaluates and prunes. */
class ResidualArchitectureTest {

  @TempDir Path dir;

  @Test
  void aResidualModelTrainsEvaluatesAndPrunes() throws Exception {
    Path model = dir.resolve("r.safetensors");
    Map<String, Object> t = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(),
        "--architecture", "residual:2:12", "--epochs", "15", "--seed", "3", "--json", "--quiet").json();
    assertEquals("4-12-[res 12]-[res 12]-3", t.get("topology"));
    Network n = ModelFiles.load(model);
    assertEquals(4, n.layers().size());
    assertTrue(n.layers().get(1) instanceof ResidualBlock r && r.layers().size() == 2);
    assertEquals(num(t, "parameters"), (double) n.parameterCount());

    Map<String, Object> e = Cli.run("eval", "--model", model.toString(), "--data", "builtin:iris", "--json").json();
    assertEquals(num(t, "test", "accuracy"), num(e, "metrics", "accuracy"));

    Path pruned = dir.resolve("p.safetensors");
    Cli.Result p = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--out",
        pruned.toString(), "--ratio", "0.5", "--quiet");
    assertEquals(0, p.code(), p.err());
    Network q = ModelFiles.load(pruned);
    assertTrue(q.parameterCount() < n.parameterCount(), q.describe());
    Map<String, Object> pe = Cli.run("eval", "--model", pruned.toString(), "--data", "builtin:iris", "--json").json();
    assertTrue(num(pe, "metrics", "accuracy") >= 0);
  }

  @Test
  void badArchitecturesAreOneLineErrors() {
    Path out = dir.resolve("x.safetensors");
    for (String bad : new String[] {"residual:2", "dense:2:8", "residual:a:8", "residual:2:0", "residual:2:8:3"}) {
      String line = Cli.run("train", "--data", "builtin:iris", "--out", out.toString(), "--architecture", bad)
          .errorLine(2);
      assertTrue(line.contains("--architecture"), line);
    }
    String both = Cli.run("train", "--data", "builtin:iris", "--out", out.toString(), "--architecture",
        "residual:1:8", "--hidden", "8").errorLine(2);
    assertTrue(both.contains("not both"), both);
    assertTrue(!Files.exists(out));
  }
}
