package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Kernels;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code topiary predict} streams its input batch by batch and writes exactly what reading the file whole
 * wrote: checked byte for byte against a plain reimplementation of that path (whole file split into
 * cells, inference in the same batches, numbers through {@link Float#toString}), at ragged batch
 * boundaries, from a file and from standard input; a bad row far down is named and leaves no output file.
 */
class PredictStreamingTest {

  @TempDir static Path dir;
  static Path iris;
  static Path diabetes;
  static Dataset irisData;
  static Dataset diabetesData;

  @BeforeAll
  static void train() throws Exception {
    iris = dir.resolve("iris.safetensors");
    assertEquals(0, Cli.run("train", "--data", "builtin:iris", "--out", iris.toString(), "--hidden", "8",
        "--epochs", "20", "--seed", "3", "--quiet").code());
    diabetes = dir.resolve("diabetes.safetensors");
    assertEquals(0, Cli.run("train", "--data", "builtin:diabetes", "--out", diabetes.toString(), "--hidden", "6",
        "--epochs", "3", "--seed", "3", "--quiet").code());
    irisData = DataSources.load("builtin:iris").train();
    diabetesData = DataSources.load("builtin:diabetes").train();
  }

  /** The first {@code rows} rows of {@code d} (cycling), features in reverse order, then a target column. */
  private static String csv(Dataset d, int rows) {
    int f = d.features();
    StringBuilder sb = new StringBuilder();
    for (int j = f - 1; j >= 0; j--) {
      sb.append(d.featureNames().get(j)).append(',');
    }
    sb.append("target\n");
    for (int i = 0; i < rows; i++) {
      int r = i % d.rows();
      for (int j = f - 1; j >= 0; j--) {
        sb.append(d.x()[r * f + j]).append(',');
      }
      sb.append(d.task().isClassification() ? d.task().classLabels().get(d.labels()[r]) : d.targets()[r])
          .append(i % 11 == 3 ? "\r\n" : "\n");
    }
    return sb.toString();
  }

  /**
   * What predict wrote before it streamed: the whole text split into lines and cells, the model's
   * columns found by header name, inference in batches of {@code batch}, every number through
   * {@link Float#toString}.
   */
  private static String oracle(Network net, List<String> featureNames, String text, int batch,
      boolean probabilities) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    List<String> header = List.of(lines.get(0).split(","));
    int inputs = net.inputSize();
    int outputs = net.outputSize();
    int[] col = new int[inputs];
    for (int j = 0; j < inputs; j++) {
      col[j] = header.indexOf(featureNames.get(j));
    }
    Task task = net.task();
    StringBuilder out = new StringBuilder("row");
    if (task.isClassification()) {
      out.append(",class");
      if (probabilities) {
        task.classLabels().forEach(l -> out.append(",p_").append(l));
      }
    } else {
      out.append(",value");
    }
    out.append('\n');
    int rows = lines.size() - 1;
    for (int start = 0; start < rows; start += batch) {
      int n = Math.min(batch, rows - start);
      float[] x = new float[n * inputs];
      for (int i = 0; i < n; i++) {
        String[] cells = lines.get(1 + start + i).split(",");
        for (int j = 0; j < inputs; j++) {
          x[i * inputs + j] = Float.parseFloat(cells[col[j]].trim());
        }
      }
      float[] y = new float[n * outputs];
      float[] p = new float[n * outputs];
      if (task.isClassification()) {
        net.predictLogits(x, 0, n, y, 0);
        Kernels.softmaxRows(n, outputs, y, 0, p, 0);
      } else {
        net.predictValues(x, 0, n, y, 0);
      }
      for (int i = 0; i < n; i++) {
        out.append(start + i + 1);
        if (task.isClassification()) {
          int best = 0;
          for (int c = 1; c < outputs; c++) {
            if (y[i * outputs + c] > y[i * outputs + best]) {
              best = c;
            }
          }
          out.append(',').append(task.classLabels().get(best));
          for (int c = 0; probabilities && c < outputs; c++) {
            out.append(',').append(Float.toString(p[i * outputs + c]));
          }
        } else {
          out.append(',').append(Float.toString(y[i * outputs]));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void raggedBatchesWriteExactlyWhatTheWholeFilePathWrote() throws Exception {
    int batch = 8;
    for (Path model : List.of(iris, diabetes)) {
      Network net = ModelFiles.load(model);
      List<String> names = ModelFiles.read(model).provenance().featureNames();
      Dataset d = model == iris ? irisData : diabetesData;
      for (int rows : new int[] {1, batch - 1, batch, batch + 1, 2 * batch + 3, 200}) {
        String text = csv(d, rows);
        Path in = dir.resolve("rows-" + rows + ".csv");
        Files.writeString(in, text);
        for (boolean probabilities : new boolean[] {true, false}) {
          if (!probabilities && !net.task().isClassification()) {
            continue;
          }
          String expected = oracle(net, names, text, batch, probabilities);
          List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data",
              in.toString(), "--batch", Integer.toString(batch), "--quiet"));
          if (!probabilities) {
            args.add("--no-probabilities");
          }
          Cli.Result stdout = Cli.run(args.toArray(String[]::new));
          assertEquals(0, stdout.code(), stdout.err());
          assertEquals(expected, stdout.out(), model.getFileName() + ", " + rows + " rows");
          Path out = dir.resolve("preds.csv");
          args.addAll(List.of("--out", out.toString()));
          assertEquals(0, Cli.run(args.toArray(String[]::new)).code());
          assertEquals(expected, Files.readString(out), model.getFileName() + ", " + rows + " rows, --out");
        }
      }
    }
  }

  @Test
  void readsStandardInput() throws Exception {
    String text = csv(irisData, 150);
    Path in = dir.resolve("stdin.csv");
    Files.writeString(in, text);
    Cli.Result fromFile = Cli.run("predict", "--model", iris.toString(), "--data", in.toString(), "--batch", "16");
    assertEquals(0, fromFile.code(), fromFile.err());
    InputStream saved = System.in;
    Cli.Result fromStdin;
    try {
      System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      fromStdin = Cli.run("predict", "--model", iris.toString(), "--data", "-", "--batch", "16");
    } finally {
      System.setIn(saved);
    }
    assertEquals(0, fromStdin.code(), fromStdin.err());
    assertEquals(fromFile.out(), fromStdin.out());
    assertEquals(151, fromStdin.out().lines().count());

    try {
      System.setIn(new ByteArrayInputStream("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)));
      String e = Cli.run("predict", "--model", iris.toString(), "--data", "-").errorLine(2);
      assertTrue(e.contains("standard input lacks the column"), e);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void aBadRowFarDownIsNamedAndLeavesNoOutputFile() throws Exception {
    int rows = 3000;
    int bad = 2500;
    List<String> lines = new ArrayList<>(csv(irisData, rows).lines().toList());
    String[] cells = lines.get(bad).split(",");
    cells[1] = "4.x";
    lines.set(bad, String.join(",", cells));
    Path in = dir.resolve("bad.csv");
    Files.writeString(in, String.join("\n", lines) + "\n");
    String column = irisData.featureNames().get(irisData.features() - 2);

    Path out = dir.resolve("kept.csv");
    Files.writeString(out, "keep");
    String e = Cli.run("predict", "--model", iris.toString(), "--data", in.toString(), "--batch", "64", "--out",
        out.toString()).errorLine(2);
    assertTrue(e.contains("line " + (bad + 1) + ", column 2 (" + column + ")") && e.contains("'4.x'"), e);
    assertEquals("keep", Files.readString(out));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".kept.csv")).toList());
    }

    // On standard output the batches before the bad row's are written; the error follows.
    Cli.Result r = Cli.run("predict", "--model", iris.toString(), "--data", in.toString(), "--batch", "64");
    assertEquals(2, r.code());
    List<String> written = r.out().lines().toList();
    int full = (bad - 1) / 64 * 64;
    assertEquals(full + 1, written.size());
    assertTrue(written.get(full).startsWith(full + ","), written.get(full));
    assertTrue(r.err().contains("line " + (bad + 1)), r.err());
  }

  @Test
  void aHeaderAloneGivesTheHeaderAndAnEmptyFileIsRefused() throws Exception {
    Path headerOnly = dir.resolve("header.csv");
    Files.writeString(headerOnly, csv(irisData, 0));
    Cli.Result r = Cli.run("predict", "--model", iris.toString(), "--data", headerOnly.toString());
    assertEquals(0, r.code(), r.err());
    Network net = ModelFiles.load(iris);
    assertEquals(PredictCommand.header(net.task(), true), r.out());

    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "\n  \n");
    String e = Cli.run("predict", "--model", iris.toString(), "--data", empty.toString()).errorLine(2);
    assertTrue(e.contains("the file is empty"), e);
  }
}
