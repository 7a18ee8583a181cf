package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topiary predict}: what it writes matches the library's predictions row for row. */
class PredictCommandTest {

  @TempDir static Path dir;
  static Path model;
  static Network net;
  static Dataset iris;

  @BeforeAll
  static void train() throws Exception {
    model = dir.resolve("iris.safetensors");
    Cli.Result r = Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "8",
        "--epochs", "20", "--seed", "3", "--quiet");
    assertEquals(0, r.code(), r.err());
    net = ModelFiles.load(model);
    iris = DataSources.load("builtin:iris").train();
  }

  /** Iris as CSV with its columns in another order, the target first and an extra column. */
  private static Path shuffledCsv(String name, int rows, boolean blankSecond) throws Exception {
    List<String> f = iris.featureNames();
    StringBuilder sb = new StringBuilder("species,extra,").append(f.get(3)).append(',').append(f.get(1))
        .append(',').append(f.get(0)).append(',').append(f.get(2)).append('\n');
    for (int i = 0; i < rows; i++) {
      float[] x = iris.x();
      int o = i * 4;
      sb.append(iris.task().classLabels().get(iris.labels()[i])).append(",zz,").append(x[o + 3]).append(',')
          .append(blankSecond && i == 1 ? "" : Float.toString(x[o + 1])).append(',').append(x[o]).append(',')
          .append(x[o + 2]).append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb);
    return p;
  }

  @Test
  void writesClassesAndProbabilitiesMatchingTheLibraryWithColumnsMatchedByName() throws Exception {
    int rows = 37; // not a multiple of the batch below
    Path csv = shuffledCsv("shuffled.csv", rows, false);
    Path out = dir.resolve("preds.csv");
    Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--out",
        out.toString(), "--batch", "16", "--quiet");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals("row,class," + String.join(",", net.task().classLabels().stream().map(l -> "p_" + l).toList()),
        lines.get(0));
    assertEquals(rows + 1, lines.size());
    float[] x = java.util.Arrays.copyOf(iris.x(), rows * 4);
    float[] p = new float[rows * 3];
    net.predictProbabilities(x, 0, rows, p, 0);
    int[] classes = net.predictClasses(x, rows);
    for (int i = 0; i < rows; i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertEquals(Integer.toString(i + 1), cells[0]);
      assertEquals(net.task().classLabels().get(classes[i]), cells[1], "row " + (i + 1));
      for (int c = 0; c < 3; c++) {
        // Written with Float.toString, which round-trips: the same float the library computes.
        assertEquals(p[i * 3 + c], Float.parseFloat(cells[2 + c]), "row " + (i + 1) + " class " + c);
      }
    }
  }

  @Test
  void writesToStandardOutputAndReadsEmbeddedSets() {
    Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", "builtin:iris", "--no-probabilities");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("row,class", lines.get(0));
    assertEquals(151, lines.size());
    int[] classes = net.predictClasses(iris.x(), iris.rows());
    for (int i = 0; i < iris.rows(); i++) {
      assertEquals((i + 1) + "," + net.task().classLabels().get(classes[i]), lines.get(i + 1));
    }
  }

  @Test
  void missingCellsFailDropOrTakeTheValuesTheModelRecords() throws Exception {
    Path csv = shuffledCsv("blank.csv", 5, true);
    String e = Cli.run("predict", "--model", model.toString(), "--data", csv.toString()).errorLine(2);
    assertTrue(e.contains("line 3") && e.contains(iris.featureNames().get(1)), e);
    e = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--missing", "mean").errorLine(2);
    assertTrue(e.contains("records none"), e);

    List<String> dropped = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(),
        "--missing", "drop").out().lines().toList();
    assertEquals(5, dropped.size());
    assertFalse(dropped.stream().anyMatch(l -> l.startsWith("2,")), dropped.toString());

    // A model trained with --missing mean records its fill values; predict uses them by default.
    StringBuilder train = new StringBuilder(String.join(",", iris.featureNames())).append(",species\n");
    for (int i = 0; i < iris.rows(); i++) {
      for (int j = 0; j < 4; j++) {
        train.append(i == 7 && j == 1 ? "NA" : Float.toString(iris.x()[i * 4 + j])).append(',');
      }
      train.append(iris.labels()[i]).append('\n');
    }
    Path trainCsv = dir.resolve("train-with-gap.csv");
    Files.writeString(trainCsv, train);
    Path imputed = dir.resolve("imputed.safetensors");
    Cli.Result t = Cli.run("train", "--data", trainCsv.toString(), "--out", imputed.toString(), "--hidden", "6",
        "--epochs", "5", "--missing", "mean", "--quiet");
    assertEquals(0, t.code(), t.err());
    dev.topiary.core.io.ModelFile mf = ModelFiles.read(imputed);
    float fill = dev.topiary.core.data.Imputation.fromMetadata(mf.metadata()).fill()[1];
    List<String> filled = Cli.run("predict", "--model", imputed.toString(), "--data", csv.toString(),
        "--no-probabilities").out().lines().toList();
    assertEquals(6, filled.size());
    float[] row = {iris.x()[4], fill, iris.x()[6], iris.x()[7]};
    assertEquals("2," + mf.network().task().classLabels().get(mf.network().predictClasses(row, 1)[0]),
        filled.get(2));
  }

  @Test
  void aMissingColumnIsNamedAndNothingIsWritten() throws Exception {
    Path csv = dir.resolve("nopetal.csv");
    Files.writeString(csv, "sepal_length,sepal_width,petal_length,other\n1,2,3,4\n");
    Path out = dir.resolve("untouched.csv");
    Files.writeString(out, "keep");
    String e = Cli.run("predict", "--model", model.toString(), "--data", csv.toString(), "--out",
        out.toString()).errorLine(2);
    assertTrue(e.contains("lacks the column") && e.contains(iris.featureNames().get(3)), e);
    assertEquals("keep", Files.readString(out));
  }

  @Test
  void aRegressionModelWritesValuesInTargetUnits() throws Exception {
    Path m = dir.resolve("diabetes.safetensors");
    assertEquals(0, Cli.run("train", "--data", "builtin:diabetes", "--out", m.toString(), "--hidden", "4",
        "--epochs", "3", "--quiet").code());
    Network reg = ModelFiles.load(m);
    Dataset d = DataSources.load("builtin:diabetes").train();
    List<String> lines = Cli.run("predict", "--model", m.toString(), "--data", "builtin:diabetes").out()
        .lines().toList();
    assertEquals("row,value", lines.get(0));
    float[] y = new float[d.rows()];
    reg.predictValues(d.x(), 0, d.rows(), y, 0);
    float[] read = new float[d.rows()];
    for (int i = 0; i < d.rows(); i++) {
      read[i] = Float.parseFloat(lines.get(i + 1).split(",")[1]);
    }
    assertArrayEquals(y, read);
  }
}
