package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Task;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV sources with a named target, class order between files, bench infer, and the training defaults. */
class CsvAndBenchTest {

  @TempDir Path dir;

  private static final List<String> ALL = List.of("ant", "bee", "cat", "dog");

  /**
   * A well-separated blob per class in 3 features, placed by the class name (so the same class lies in the
   * same place in every file); the target column "kind" is in the middle.
   */
  private static String blobs(int rows, List<String> classes, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("x,kind,y,z\n");
    for (int i = 0; i < rows; i++) {
      String name = classes.get(i % classes.size());
      int c = ALL.indexOf(name);
      sb.append(c * 4 + r.nextGaussian()).append(',').append(name).append(',')
          .append(-c * 3 + r.nextGaussian()).append(',').append(r.nextGaussian()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void csvWithANamedTargetTrainsAndScoresAFileWithFewerClasses() throws Exception {
    Path train = dir.resolve("train.csv");
    Files.writeString(train, blobs(120, List.of("ant", "bee", "cat"), 1));
    Path model = dir.resolve("m.safetensors");
    Map<String, Object> t = Cli.run("train", "--data", train.toString(), "--target", "kind", "--out", model.toString(),
        "--hidden", "8", "--epochs", "60", "--lr", "0.02", "--json", "-q").json();
    assertTrue(num(t, "test", "accuracy") >= 0.9, "separable blobs: " + t.get("test"));

    // Same file: the recorded target column is used without --target, and the test split is found again.
    Map<String, Object> same = Cli.run("eval", "--model", model.toString(), "--data", train.toString(), "--json").json();
    assertEquals("test", same.get("split"));
    assertEquals(num(t, "test", "accuracy"), num(same, "metrics", "accuracy"));

    // Another file holding only two of the classes, listed in another order: labels follow the model's.
    Path other = dir.resolve("other.csv");
    Files.writeString(other, blobs(40, List.of("cat", "ant"), 2));
    Map<String, Object> e = Cli.run("eval", "--model", model.toString(), "--data", other.toString(), "--target", "kind",
        "--json").json();
    assertEquals("all", e.get("split"));
    assertEquals(40.0, num(e, "rows"));
    assertTrue(num(e, "metrics", "accuracy") >= 0.9, "the same blobs: " + e.get("metrics"));

    Path unknown = dir.resolve("unknown.csv");
    Files.writeString(unknown, blobs(20, List.of("ant", "dog"), 3));
    String err = Cli.run("eval", "--model", model.toString(), "--data", unknown.toString(), "--target", "kind")
        .errorLine(2);
    assertTrue(err.contains("'dog'") && err.contains("does not know"), err);
  }

  @Test
  void benchInferReportsEachBatch() {
    Path model = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "8",
        "--epochs", "2", "-q").code());
    Map<String, Object> m = Cli.run("bench", "infer", "--model", model.toString(), "--batch", "1,7", "--millis", "20",
        "--json").json();
    assertEquals("4-8-3", m.get("topology"));
    @SuppressWarnings("unchecked")
    List<Object> results = (List<Object>) m.get("results");
    assertEquals(2, results.size());
    int i = 0;
    for (int batch : new int[] {1, 7}) {
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) results.get(i++);
      assertEquals(batch, num(r, "batch"));
      assertEquals(batch * 1e6 / num(r, "median_us"), num(r, "rows_per_second"), 1e-6 * num(r, "rows_per_second"));
    }
    Cli.Result data = Cli.run("bench", "infer", "--model", model.toString(), "--batch", "2", "--millis", "20",
        "--data", "builtin:wine");
    assertTrue(data.errorLine(2).contains("reads 4"), data.err());
  }

  @Test
  void trainingOptionsLeftOutAreTheLibraryDefaults() {
    Task task = Task.classification(List.of("a", "b"));
    for (int rows : new int[] {50, 1_500, 5_000, 40_000}) {
      TrainingConfig d = TrainingConfig.defaults(task, rows);
      TrainingConfig c = TrainingOptions.configure(task, rows, 42, null, null, null, null, null, null, null);
      assertEquals(d.epochs(), c.epochs());
      assertEquals(d.batchSize(), c.batchSize());
      assertEquals(d.optimizer(), c.optimizer());
      assertEquals(d.earlyStopping(), c.earlyStopping());
      assertEquals(d.seed(), c.seed());
      // What describe() records rebuilds the same recipe.
      TrainingConfig again = TrainingOptions.fromDescription(
          (Map<?, ?>) dev.topiary.core.json.Json.parse(dev.topiary.core.json.Json.write(TrainingOptions.describe(c))),
          task, rows, 42);
      assertEquals(c.epochs(), again.epochs());
      assertEquals(c.batchSize(), again.batchSize());
      assertEquals(c.optimizer(), again.optimizer());
      assertEquals(c.earlyStopping(), again.earlyStopping());
    }
  }

  @Test
  void stopOnPicksTheWatchedMetricAndTheRecipeRemembersIt() {
    Task task = Task.classification(List.of("a", "b"));
    TrainingConfig c = TrainingOptions.configure(task, 500, 42, null, null, null, null, 7, "macro-f1", null);
    assertEquals(EarlyStopping.on(Metric.MACRO_F1, 7), c.earlyStopping());
    TrainingConfig again = TrainingOptions.fromDescription(
        (Map<?, ?>) dev.topiary.core.json.Json.parse(dev.topiary.core.json.Json.write(TrainingOptions.describe(c))),
        task, 500, 42);
    assertEquals(c.earlyStopping(), again.earlyStopping());
    assertEquals(EarlyStopping.onLoss(7),
        TrainingOptions.configure(task, 500, 42, null, null, null, null, 7, "loss", null).earlyStopping());
    InputException e = assertThrows(InputException.class,
        () -> TrainingOptions.configure(task, 500, 42, null, null, null, null, null, "mae", null));
    assertEquals("--stop-on mae does not apply to classification; use one of accuracy, macro-f1, log-loss or loss",
        e.getMessage());
  }
}
