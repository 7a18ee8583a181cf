package dev.topiary.cli;

import static dev.topiary.cli.Cli.get;
import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} with no network options, and with ODF2NNA's sizing rule: what is chosen and recorded. */
class TrainDefaultsTest {

  @TempDir Path dir;

  /** Two Gaussian classes in three features, {@code rows} rows. */
  private static String twoClasses(int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("a,b,c,label\n");
    for (int i = 0; i < rows; i++) {
      int c = i % 2;
      sb.append(2 * c + r.nextGaussian()).append(',').append(-c + r.nextGaussian()).append(',')
          .append(r.nextGaussian()).append(',').append(c == 0 ? "no" : "yes").append('\n');
    }
    return sb.toString();
  }

  private static Map<?, ?> recordedRecipe(Path model) {
    Map<String, Object> inspected = Cli.run("inspect", "--model", model.toString(), "--json").json();
    Object text = get(inspected, "metadata", "topiary.training.recipe");
    assertInstanceOf(String.class, text, () -> "recipe metadata in " + inspected);
    Object recipe = Json.parse((String) text);
    assertInstanceOf(Map.class, recipe);
    return (Map<?, ?>) recipe;
  }

  @Test
  void withNoOptionsTheRuleChoosesAndTheModelFileRecordsIt() throws Exception {
    Path csv = dir.resolve("small.csv");
    Files.writeString(csv, twoClasses(60, 3));
    Path model = dir.resolve("m.safetensors");
    Map<String, Object> t = Cli.run("train", "--data", csv.toString(), "--out", model.toString(), "--json",
        "--quiet").json();
    // 60 rows, 70 % of them for training: far below 2,000, so 2 x 128 tanh.
    assertEquals("3-128-128-2", t.get("topology"));
    assertEquals("tanh", get(t, "training", "activation"));
    assertEquals(42.0, num(t, "split", "train"));

    Map<?, ?> recipe = recordedRecipe(model);
    assertEquals("tanh", recipe.get("activation"));
    assertEquals(List.of(128L, 128L), recipe.get("hidden"));
    assertEquals(32L, recipe.get("batch"));
    String rule = (String) recipe.get("architecture_rule");
    assertTrue(rule.startsWith("default: 42 training rows < 2,000: 2 x 128 tanh"), rule);
  }

  @Test
  void explicitOptionsWinAndAreNamedInTheRecord() throws Exception {
    Path csv = dir.resolve("small.csv");
    Files.writeString(csv, twoClasses(60, 4));
    Path model = dir.resolve("m.safetensors");
    Map<String, Object> t = Cli.run("train", "--data", csv.toString(), "--out", model.toString(),
        "--hidden", "9,5", "--epochs", "3", "--json", "--quiet").json();
    assertEquals("3-9-5-2", t.get("topology"));
    Map<?, ?> recipe = recordedRecipe(model);
    assertEquals("tanh", recipe.get("activation"), "the activation still follows the rule");
    assertEquals("--hidden, default activation", recipe.get("architecture_rule"));
  }

  @Test
  void theSizeRuleMakesParametersAboutTheTrainingRows() throws Exception {
    Path csv = dir.resolve("mid.csv");
    Files.writeString(csv, twoClasses(400, 5));
    Path model = dir.resolve("m.safetensors");
    Map<String, Object> t = Cli.run("train", "--data", csv.toString(), "--out", model.toString(),
        "--size-rule", "examples", "--epochs", "2", "--json", "--quiet").json();
    long rows = (long) num(t, "split", "train");
    assertEquals(280, rows);
    // Three equal layers of width w on 3 inputs and 2 outputs: 3w + w + 2(w² + w) + 2w + 2 parameters.
    // The largest w with at most 280 of them is 9 (236); w = 10 would need 282.
    assertEquals("3-9-9-9-2", t.get("topology"));
    assertEquals(236.0, num(t, "parameters"));
    Map<?, ?> recipe = recordedRecipe(model);
    assertTrue(((String) recipe.get("architecture_rule")).startsWith("size rule examples: 3 x 9"),
        recipe.toString());

    Map<String, Object> two = Cli.run("train", "--data", csv.toString(), "--out", model.toString(),
        "--size-rule", "examples", "--depth", "1", "--activation", "relu", "--epochs", "2", "--json",
        "--quiet").json();
    // One layer: 3w + w + 2w + 2 = 6w + 2 <= 280, so w = 46.
    assertEquals("3-46-2", two.get("topology"));
    assertEquals("relu", get(two, "training", "activation"));
  }

  @Test
  void theSizeRuleAndExplicitWidthsConflict() throws Exception {
    Path csv = dir.resolve("small.csv");
    Files.writeString(csv, twoClasses(60, 6));
    Path model = dir.resolve("m.safetensors");
    String both = Cli.run("train", "--data", csv.toString(), "--out", model.toString(), "--size-rule",
        "examples", "--hidden", "8").errorLine(2);
    assertTrue(both.contains("--size-rule") && both.contains("--hidden"), both);
    String depth = Cli.run("train", "--data", csv.toString(), "--out", model.toString(), "--depth", "2")
        .errorLine(2);
    assertTrue(depth.contains("--depth"), depth);
    assertFalse(Files.exists(model), "nothing written on bad input");
  }
}
