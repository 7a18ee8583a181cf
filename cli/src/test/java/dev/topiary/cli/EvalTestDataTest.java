package dev.topiary.cli;

import static dev.topiary.cli.Cli.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Imputation;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.io.Provenance;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --test-data SRC}: every row of a held-out source is scored, its columns found by the names the
 * model records, its missing cells filled as the model fills them.
 */
class EvalTestDataTest {

  @TempDir Path dir;

  static final List<String> IRIS = List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm",
      "petal_width_cm");

  /** A classifier of iris that records its feature names and no split. */
  private Path bareModel(Network net) throws Exception {
    Path m = dir.resolve("bare.safetensors");
    ModelFiles.save(net, m, Provenance.NONE.withFeatureNames(IRIS), Map.of());
    return m;
  }

  private static int correct(int[] predicted, int[] labels) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += predicted[i] == labels[i] ? 1 : 0;
    }
    return right;
  }

  @Test
  void aHeldOutFileIsScoredWholeWithItsColumnsFoundByName() throws Exception {
    Dataset iris = DataSources.load("builtin:iris").train();
    Network net = Network.mlp(4, new int[] {7}, Activation.TANH, iris.task(), 5);
    Path m = bareModel(net);
    // Columns in another order, an extra column, the target first: found by name.
    StringBuilder sb = new StringBuilder("species,petal_width_cm,id,sepal_length_cm,petal_length_cm,sepal_width_cm\n");
    int[] order = {3, 0, 2, 1};
    for (int i = 0; i < iris.rows(); i++) {
      sb.append(iris.task().classLabels().get(iris.labels()[i])).append(',').append(iris.x()[i * 4 + 3])
          .append(',').append(1000 + i);
      for (int k = 1; k < order.length; k++) {
        sb.append(',').append(iris.x()[i * 4 + (k == 1 ? 0 : k == 2 ? 2 : 1)]);
      }
      sb.append('\n');
    }
    Path held = dir.resolve("held.csv");
    Files.writeString(held, sb);

    Map<String, Object> j = Cli.run("eval", "--model", m.toString(), "--test-data", held.toString(), "--target",
        "species", "--json").json();
    assertEquals(held.toAbsolutePath().normalize().toString(), j.get("test_data"));
    assertEquals("test", j.get("split"));
    assertEquals(150, ((Number) j.get("rows")).intValue());
    double expected = correct(net.predictClasses(iris.x(), iris.rows()), iris.labels()) / 150.0;
    assertEquals(expected, num(j, "metrics", "accuracy"), 1e-12, j.toString());

    Cli.Result text = Cli.run("eval", "--model", m.toString(), "--test-data", held.toString(), "--target",
        "species");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("Rows: the test rows from " + held + ", all 150 of them (--test-data)."),
        text.out());
  }

  @Test
  void withoutARecordedSplitEvalSaysTestDataNamesAHeldOutFile() throws Exception {
    Dataset iris = DataSources.load("builtin:iris").train();
    Path m = bareModel(Network.mlp(4, new int[] {3}, Activation.RELU, iris.task(), 2));
    Cli.Result r = Cli.run("eval", "--model", m.toString(), "--data", "builtin:iris");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("the model records no split of this data; --test-data SRC names a held-out"),
        r.out());
  }

  /** A model trained with --missing mean, a held-out CSV in another column order with missing cells, and the
   * expected accuracy on it with the model's fill values. */
  private record Filled(Path train, Path held, Path model, double accuracy) {}

  private Filled filled() throws Exception {
    // Training data with a few '?' cells, so that train --missing mean records fill values.
    Random r = new Random(4);
    StringBuilder train = new StringBuilder("a,b,c,y\n");
    StringBuilder held = new StringBuilder("c,y,a,b\n");
    float[][] rows = new float[40][3];
    int[] ys = new int[40];
    for (int i = 0; i < 120; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      int c = r.nextInt(3);
      int y = a + 0.5 * b + 0.3 * c > 0.2 ? 1 : 0;
      train.append(i % 13 == 0 ? "?" : a).append(',').append(b).append(',').append(i % 17 == 0 ? "?" : c)
          .append(',').append(y).append('\n');
      if (i < 40) {
        rows[i] = new float[] {(float) (r.nextGaussian()), (float) r.nextGaussian(), r.nextInt(3)};
        ys[i] = rows[i][0] + 0.5 * rows[i][1] > 0.2 ? 1 : 0;
        held.append(i % 5 == 0 ? "" : rows[i][2]).append(',').append(ys[i]).append(',')
            .append(i % 7 == 0 ? "NA" : rows[i][0]).append(',').append(rows[i][1]).append('\n');
      }
    }
    Path trainCsv = dir.resolve("train.csv");
    Files.writeString(trainCsv, train);
    Path heldCsv = dir.resolve("held.csv");
    Files.writeString(heldCsv, held);
    Path m = dir.resolve("m.safetensors");
    Cli.Result t = Cli.run("train", "--data", trainCsv.toString(), "--out", m.toString(), "--hidden", "5",
        "--epochs", "5", "--missing", "mean", "--quiet");
    assertEquals(0, t.code(), t.err());
    Imputation imp = Imputation.fromMetadata(ModelFiles.read(m).metadata());
    assertNotNull(imp);
    float[] fill = imp.fill();
    float[] x = new float[40 * 3];
    for (int i = 0; i < 40; i++) {
      x[i * 3] = i % 7 == 0 ? fill[0] : rows[i][0];
      x[i * 3 + 1] = rows[i][1];
      x[i * 3 + 2] = i % 5 == 0 ? fill[2] : rows[i][2];
    }
    Network net = ModelFiles.load(m);
    // The model's class labels are "0" and "1"; labels[i] is the index of ys[i]'s label.
    int[] labels = new int[40];
    for (int i = 0; i < 40; i++) {
      labels[i] = net.task().classLabels().indexOf(Integer.toString(ys[i]));
    }
    return new Filled(trainCsv, heldCsv, m, correct(net.predictClasses(x, 40), labels) / 40.0);
  }

  @Test
  void missingCellsAreFilledWithTheModelsValues() throws Exception {
    Filled f = filled();
    // The model records no target column (the last was the default): --target names it in this file.
    Map<String, Object> j = Cli.run("eval", "--model", f.model().toString(), "--test-data", f.held().toString(),
        "--target", "y", "--json").json();
    assertEquals(40, ((Number) j.get("rows")).intValue());
    assertEquals(f.accuracy(), num(j, "metrics", "accuracy"), 1e-12, j.toString());
  }

  @Test
  void pruneReadsTestDataAsEvalDoes() throws Exception {
    // Columns in another order, the target in the middle, missing cells: prune --test-data matches the
    // columns by name and fills the cells with the model's values, so the original model's test figure is
    // eval's on the same file.
    Filled f = filled();
    Path out = dir.resolve("pruned.safetensors");
    Cli.Result r = Cli.run("prune", "--model", f.model().toString(), "--data", f.train().toString(), "--target",
        "y", "--out", out.toString(), "--ratio", "0.5", "--finetune", "0", "--original-epochs", "1",
        "--latency-ms", "0", "--test-data", f.held().toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    Map<String, Object> summary =
        Cli.pruningSummary(ModelFiles.read(out).metadata().get(dev.topiary.cli.Provenance.PRUNING));
    assertEquals("accuracy", summary.get("metric"));
    assertEquals(f.accuracy(), num(summary, "test_before"), 1e-9, summary.toString());
  }

  @Test
  void whatDoesNotFitIsRefusedInOneLine() throws Exception {
    Dataset iris = DataSources.load("builtin:iris").train();
    Path m = bareModel(Network.mlp(4, new int[] {3}, Activation.RELU, iris.task(), 2));
    Path lacking = dir.resolve("lacking.csv");
    Files.writeString(lacking, "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_w,species\n"
        + "5.1,3.5,1.4,0.2,setosa\n6.2,2.9,4.3,1.3,versicolor\n");
    String e = Cli.run("eval", "--model", m.toString(), "--test-data", lacking.toString()).errorLine(2);
    assertTrue(e.contains("lacks the column 'petal_width_cm'"), e);
    e = Cli.run("eval", "--model", m.toString(), "--test-data", lacking.toString(), "--data", "builtin:iris")
        .errorLine(2);
    assertTrue(e.contains("drop --data"), e);
    e = Cli.run("eval", "--model", m.toString(), "--test-data", lacking.toString(), "--split", "train")
        .errorLine(2);
    assertTrue(e.contains("--split train"), e);
    e = Cli.run("eval", "--model", m.toString()).errorLine(2);
    assertTrue(e.contains("--data SRC") && e.contains("--test-data SRC"), e);
  }
}
