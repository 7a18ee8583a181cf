package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature names are checked; a model without a recorded split says what its test figures mean. */
class ProvenanceCommandsTest {

  @TempDir Path dir;

  /** Iris as CSV, with the given header for the four features. */
  private Path irisCsv(String name, String header) throws Exception {
    Dataset iris = DataSources.load("builtin:iris").train();
    StringBuilder sb = new StringBuilder(header).append(",species\n");
    for (int i = 0; i < iris.rows(); i++) {
      for (int j = 0; j < 4; j++) {
        sb.append(iris.x()[i * 4 + j]).append(',');
      }
      sb.append(iris.labels()[i]).append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  @Test
  void evalRefusesACsvWhoseColumnsAreNotTheModels() throws Exception {
    Path m = dir.resolve("m.safetensors");
    Path train = irisCsv("a.csv", "sl,sw,pl,pw");
    assertEquals(0, Cli.run("train", "--data", train.toString(), "--out", m.toString(), "--hidden", "4",
        "--epochs", "2", "--quiet").code());
    assertEquals(java.util.List.of("sl", "sw", "pl", "pw"),
        ModelFiles.read(m).provenance().featureNames());
    Path other = irisCsv("b.csv", "sl,sw,pw,pl");
    String e = Cli.run("eval", "--model", m.toString(), "--data", other.toString()).errorLine(2);
    assertTrue(e.contains("column 3 is 'pw'") && e.contains("'pl'"), e);
  }

  @Test
  void pruneWithoutARecordedSplitWarnsAndTakesAHeldOutFile() throws Exception {
    Dataset iris = DataSources.load("builtin:iris").train();
    Network bare = Network.mlp(4, new int[] {8}, dev.topiary.kernels.Activation.RELU, iris.task(), 5);
    Path m = dir.resolve("bare.safetensors");
    ModelFiles.save(bare, m);
    Path out = dir.resolve("pruned.safetensors");
    Cli.Result r = Cli.run("prune", "--model", m.toString(), "--data", "builtin:iris", "--out", out.toString(),
        "--ratio", "0.5", "--finetune", "0", "--original-epochs", "1", "--latency-ms", "0", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("test figures may include rows it was trained on"), r.out());

    Path held = irisCsv("held.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm");
    Map<String, Object> j = Cli.run("prune", "--model", m.toString(), "--data", "builtin:iris", "--out",
        out.toString(), "--ratio", "0.5", "--finetune", "0", "--original-epochs", "1", "--latency-ms", "0",
        "--test-data", held.toString(), "--json", "--quiet").json();
    assertEquals(false, j.get("split_recorded"));
    assertEquals(held.toAbsolutePath().normalize().toString(), j.get("test_data"));
    // The original model's test accuracy is now over all 150 rows of the held-out file.
    int[] classes = bare.predictClasses(iris.x(), iris.rows());
    int right = 0;
    for (int i = 0; i < iris.rows(); i++) {
      right += classes[i] == iris.labels()[i] ? 1 : 0;
    }
    Map<String, Object> summary = Cli.pruningSummary(ModelFiles.read(out).metadata().get(Provenance.PRUNING));
    assertEquals("accuracy", summary.get("metric"));
    assertEquals(right / 150.0, num(summary, "test_before"), 1e-9, summary.toString());
  }
}
