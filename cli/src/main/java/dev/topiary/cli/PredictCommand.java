package dev.topiary.cli;

import dev.topiary.core.data.CsvFeatureReader;
import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.io.Provenance;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Kernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code topiary predict}: one CSV row of predictions per input row, written as the rows are read, in
 * batches through the model's batched (SIMD) inference.
 */
@Command(name = "predict",
    header = "Write a model's predictions for new rows as CSV.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Reads rows from SRC and writes one CSV line per row: 'row' (the 1-based data row of SRC), then for "
          + "a classifier the predicted class and one probability column per class (p_LABEL), for a "
          + "regression model the predicted value(s) in the target's units.",
      "",
      "SRC may be '-' to read CSV from standard input. Rows are read, predicted and written one batch at a "
          + "time, so memory stays bounded by the batch whatever the input's length; with --out, the file "
          + "appears only when every row has been written.",
      "",
      "When the model records its feature names (models trained by Topiary do), the CSV's columns are found "
          + "by header name, in any order, and other columns (such as the target) are ignored. Otherwise the "
          + "CSV must hold exactly the model's inputs, or those and one target column (--target, or the last)"
          + " which is skipped."
    })
final class PredictCommand extends CommandBase {

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .safetensors model file.")
  Path model;

  /** The rows to predict: a CSV file, builtin:NAME or idx:DIR (every row of it). */
  @Mixin DataOptions input;

  @Option(names = "--out", paramLabel = "FILE.csv",
      description = "Where to write the predictions (default: standard output).")
  Path out;

  @Option(names = "--no-probabilities", description = "For a classifier, write only the class column.")
  boolean noProbabilities;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1024",
      description = "Rows per inference batch (default: ${DEFAULT-VALUE}).")
  int batch;

  /** {@code --data} value that reads CSV from standard input. */
  static final String STDIN = "-";

  /** A source of input rows, batch by batch. */
  private interface Rows extends java.io.Closeable {
    /** Fills up to {@code max} rows of {@code x} and their row numbers; returns how many, 0 at the end. */
    int next(float[] x, int[] rowNumbers, int max) throws IOException;

    @Override
    default void close() throws IOException {}
  }

  @Override
  void execute() throws Exception {
    if (batch < 1 || batch > 1 << 16) {
      throw new InputException("--batch must be between 1 and 65536, found " + batch);
    }
    Path outPath = out == null ? null : OutputFiles.checkFile("--out", out);
    ModelFile mf = ModelFiles.read(model);
    Network net = mf.network();
    List<String> names = mf.provenance().featureNames();
    long[] written = new long[1];
    try (Rows rows = open(net, names, mf.metadata())) {
      if (outPath == null) {
        PrintWriter o = out();
        write(net, rows, o, written);
        o.flush();
      } else {
        OutputFiles.stream(outPath, w -> write(net, rows, w, written));
        if (!progressSilenced()) {
          err().printf(Locale.ROOT, "predict    %s rows of %s -> %s%n", Format.grouped(written[0]),
              STDIN.equals(input.data) ? "standard input" : input.data, outPath);
          err().flush();
        }
      }
    }
  }

  private Rows open(Network net, List<String> names, java.util.Map<String, String> metadata) throws IOException {
    int inputs = net.inputSize();
    String data = input.data;
    String target = input.target();
    if (DataInput.isCsv(data)) {
      // Missing cells: as eval and prune read them (see ModelData): filled with the values the model
      // records when it was trained with --missing mean, else an error unless --missing says otherwise.
      Imputation imputation;
      try {
        imputation = Imputation.fromMetadata(metadata);
      } catch (IllegalArgumentException e) {
        throw new InputException(model + ": " + e.getMessage(), e);
      }
      LoadOptions options = input.options(null, null,
          imputation != null ? LoadOptions.Missing.MEAN : LoadOptions.Missing.ERROR);
      if (options.missing() == LoadOptions.Missing.MEAN && (imputation == null || imputation.columns() != inputs)) {
        throw new InputException("--missing mean fills cells with the values the model records, but " + model
            + " records none (it was not trained with --missing mean); pass --missing drop to leave those"
            + " rows out");
      }
      float[] fill = imputation == null ? null : imputation.fill();
      CsvFeatureReader reader;
      if (STDIN.equals(data)) {
        reader = CsvFeatureReader.open(System.in, "standard input", names, inputs, target, options, fill);
      } else {
        String path = data.startsWith(DataSources.CSV) ? data.substring(DataSources.CSV.length()) : data;
        reader = CsvFeatureReader.open(Path.of(path), names, inputs, target, options, fill);
      }
      return new Rows() {
        @Override
        public int next(float[] x, int[] rowNumbers, int max) throws IOException {
          return reader.read(x, rowNumbers, max);
        }

        @Override
        public void close() throws IOException {
          reader.close();
        }
      };
    }
    if (target != null) {
      throw new InputException("--target applies to CSV files only; " + data + " knows its own target");
    }
    Dataset all = EvalCommand.all(input.load(null, null));
    Provenance.checkFeatures(names, all.featureNames(), all.name());
    if (all.features() != inputs) {
      throw new InputException(all.name() + " has " + all.features() + " feature columns, but the model "
          + model + " reads " + inputs);
    }
    int[] position = {0};
    return (x, rowNumbers, max) -> {
      int n = Math.min(max, all.rows() - position[0]);
      System.arraycopy(all.x(), position[0] * inputs, x, 0, n * inputs);
      for (int i = 0; i < n; i++) {
        rowNumbers[i] = position[0] + i + 1;
      }
      position[0] += n;
      return n;
    };
  }

  private void write(Network net, Rows rows, Writer w, long[] written) throws IOException {
    Task task = net.task();
    int inputs = net.inputSize();
    int outputs = net.outputSize();
    boolean classify = task.isClassification();
    boolean probabilities = classify && !noProbabilities;
    float[] x = new float[batch * inputs];
    int[] rowNumbers = new int[batch];
    float[] y = new float[batch * outputs];
    float[] p = probabilities ? new float[batch * outputs] : null;
    String[] label = new String[classify ? outputs : 0];
    for (int c = 0; c < label.length; c++) {
      label[c] = csv(task.classLabels().get(c));
    }
    w.write(header(task, probabilities));
    // One batch's lines are built in one builder (numbers as Float.toString writes them, appended without
    // an intermediate string) and handed to the writer as one block of characters.
    StringBuilder text = new StringBuilder((int) Math.min(1 << 20, batch * (16 + 16L * outputs)));
    char[] block = new char[0];
    int n;
    while ((n = rows.next(x, rowNumbers, batch)) > 0) {
      if (classify) {
        net.predictLogits(x, 0, n, y, 0);
        if (probabilities) {
          Kernels.softmaxRows(n, outputs, y, 0, p, 0);
        }
      } else {
        net.predictValues(x, 0, n, y, 0);
      }
      text.setLength(0);
      for (int i = 0; i < n; i++) {
        text.append(rowNumbers[i]);
        if (classify) {
          text.append(',').append(label[argmax(y, i * outputs, outputs)]);
          if (probabilities) {
            for (int c = 0; c < outputs; c++) {
              text.append(',').append(p[i * outputs + c]);
            }
          }
        } else {
          for (int c = 0; c < outputs; c++) {
            text.append(',').append(y[i * outputs + c]);
          }
        }
        text.append('\n');
      }
      if (block.length < text.length()) {
        block = new char[text.capacity()];
      }
      text.getChars(0, text.length(), block, 0);
      w.write(block, 0, text.length());
      written[0] += n;
    }
  }

  /** The first index of the largest value, as {@link Network#predictClasses} picks. */
  private static int argmax(float[] v, int off, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (v[off + c] > v[off + best]) {
        best = c;
      }
    }
    return best;
  }

  static String header(Task task, boolean probabilities) {
    StringBuilder h = new StringBuilder("row");
    if (task.isClassification()) {
      h.append(",class");
      if (probabilities) {
        for (String label : task.classLabels()) {
          h.append(',').append(csv("p_" + label));
        }
      }
    } else if (task.outputs() == 1) {
      h.append(",value");
    } else {
      for (int c = 1; c <= task.outputs(); c++) {
        h.append(",value_").append(c);
      }
    }
    return h.append('\n').toString();
  }

  /** A CSV field: quoted when it holds a comma, a quote or a line break. */
  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
