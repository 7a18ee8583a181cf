package dev.topiary.cli;

import dev.topiary.core.data.DataFormatException;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary eval}: a model's metrics on data. */
@Command(name = "eval",
    header = "Score a model on data.",
    mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = EvalCommand.DataOptional.class,
    description = {
      "Score a model on data: accuracy, macro F1 and log-loss, or R², RMSE and MAE.",
      "",
      "By default, when the model file records a split of this same data, only its test rows are "
          + "scored (the rows the model never trained on); otherwise every row is. The output says "
          + "which.",
      "",
      "--test-data SRC scores every row of a separate held-out source instead of a part of --data: its "
          + "columns are found by the names the model records (any order; other numeric columns are "
          + "ignored, a text column other than the target is refused), and missing cells are filled with the "
          + "values the model records."
    })
final class EvalCommand extends CommandBase {

  /** Which rows to score. */
  enum Rows {
    /** The test part when the model records a split of this data, else every row. */
    AUTO,
    /** Every row. */
    ALL,
    /** The test part. */
    TEST,
    /** The validation part. */
    VALIDATION,
    /** The training part. */
    TRAIN
  }

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .safetensors model file.")
  Path model;

  /** {@code --data} is optional here ({@link DataOptional}): {@code --test-data} replaces it. */
  @Mixin DataOptions input;

  @Option(names = "--test-data", paramLabel = "SRC",
      description = "A separate held-out source to score instead of a part of --data (the model's feature "
          + "columns, found by name); use it when the model records no split, so that no training row is "
          + "scored as a test row.")
  String testData;

  @Option(names = "--split", paramLabel = "PART", defaultValue = "auto",
      description = "auto (default), all, test, validation or train.")
  Rows rows;

  @Mixin SeedOption seedOption;

  @Override
  void execute() throws Exception {
    Long seed = seedOption.given();
    if (testData != null) {
      scoreHeldOut(seed);
      return;
    }
    if (input.data == null) {
      throw new InputException("eval needs --data SRC (a part of it is scored) or --test-data SRC (all of it is)");
    }
    String data = input.data;
    ModelData md = ModelData.load(model, input, seed);
    Network net = md.network();
    String canonical = md.canonical();
    Loaded loaded = md.loaded();
    DataInput.warnLoad(err(), data, loaded);
    Provenance.SplitPlan plan = md.plan();
    Rows chosen = rows == Rows.AUTO ? (plan.recorded() ? Rows.TEST : Rows.ALL) : rows;
    if (seed != null && chosen == Rows.ALL) {
      throw new InputException("--seed picks a split; with --split all every row is scored");
    }
    Dataset part;
    String which;
    if (chosen == Rows.ALL) {
      part = all(loaded);
      which = "all " + Format.grouped(part.rows()) + " rows"
          + (rows == Rows.AUTO ? " (the model records no split of this data; --test-data SRC names a held-out "
              + "source)" : "");
    } else {
      Split split = DataInput.split(loaded, plan.fractions(), plan.seed());
      part = chosen == Rows.TEST ? split.test() : chosen == Rows.VALIDATION ? split.validation() : split.train();
      int total = loaded.train().rows() + (loaded.hasTest() ? loaded.test().rows() : 0);
      which = "the " + chosen.name().toLowerCase(Locale.ROOT) + " split, " + Format.grouped(part.rows()) + " of "
          + Format.grouped(total) + " rows (" + plan.origin() + ")";
    }
    part = DataInput.fitTo(net, part, model.toString());
    Map<Metric, Double> scores = Scores.of(net, part);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "eval");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("data", canonical);
      m.put("split", chosen.name().toLowerCase(Locale.ROOT));
      if (chosen != Rows.ALL) {
        m.put("split_seed", plan.seed());
        m.put("split_recorded", plan.recorded());
      }
      m.put("rows", part.rows());
      m.put("dropped_rows", loaded.droppedRows());
      m.put("metrics", Scores.toMap(scores));
      printJson(m);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Model %s (%s, %s parameters) on %s.%n", model, net.describe(),
        Format.grouped(net.parameterCount()), data);
    o.printf(Locale.ROOT, "Rows: %s.%n%n", which);
    o.print(TrainCommand.scoreTable(List.of("value"), List.of(scores)));
  }

  /**
   * Makes the shared {@code --data} option of {@link DataOptions} optional for {@code eval}, which reads
   * {@code --test-data} instead when that is given (the check that one of the two is there is in
   * {@link #execute}).
   */
  static final class DataOptional implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      OptionSpec data = spec.findOption("--data");
      spec.remove(data);
      spec.addOption(data.toBuilder().required(false)
          .description("builtin:NAME, a CSV file, or idx:DIR (not with --test-data).").build());
      return spec;
    }
  }

  /** {@code eval --test-data SRC}: every row of SRC, read for the model. */
  private void scoreHeldOut(Long seed) throws java.io.IOException {
    if (input.data != null) {
      throw new InputException("--test-data names the rows to score; drop --data (or drop --test-data to score"
          + " a part of --data)");
    }
    if (rows != Rows.AUTO && rows != Rows.TEST) {
      throw new InputException("--test-data is scored whole; --split " + rows.name().toLowerCase(Locale.ROOT)
          + " picks a part of --data");
    }
    if (seed != null) {
      throw new InputException("--seed picks a split of --data; --test-data is scored whole");
    }
    ModelFile mf = ModelFiles.read(model);
    Network net = mf.network();
    DataOptions src = new DataOptions();
    src.data = testData;
    src.target = input.target;
    src.missing = input.missing;
    src.encoding = input.encoding;
    Dataset part = heldOut(model, mf, src, err());
    Map<Metric, Double> scores = Scores.of(net, part);
    String canonical = DataInput.canonical(testData);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "eval");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("test_data", canonical);
      m.put("split", "test");
      m.put("rows", part.rows());
      m.put("metrics", Scores.toMap(scores));
      printJson(m);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Model %s (%s, %s parameters) on %s.%n", model, net.describe(),
        Format.grouped(net.parameterCount()), testData);
    o.printf(Locale.ROOT, "Rows: the test rows from %s, all %s of them (--test-data).%n%n", testData,
        Format.grouped(part.rows()));
    o.print(TrainCommand.scoreTable(List.of("value"), List.of(scores)));
  }

  /**
   * Every row of a held-out source, as the model reads it: the target column is the one given, else the one
   * the model records (CSV only); the feature columns are found by the names the model records, in any
   * order, other numeric columns left out (the CSV reader refuses text in a column other than the target) (without recorded names the source must hold exactly the model's inputs);
   * missing cells are filled with the values the model records (an error when it records none, unless
   * {@code --missing drop}, which {@code err} is told of); class labels are put in the model's order.
   *
   * @throws InputException naming the source and what does not fit the model
   */
  static Dataset heldOut(Path model, ModelFile mf, DataOptions src, java.io.PrintWriter err)
      throws java.io.IOException {
    Map<String, String> md = mf.metadata();
    Network net = mf.network();
    Imputation imputation;
    try {
      imputation = Imputation.fromMetadata(md);
    } catch (IllegalArgumentException e) {
      throw new InputException(model + ": " + e.getMessage(), e);
    }
    boolean csv = DataInput.isCsv(src.data);
    String recordedTarget = Provenance.target(md);
    String col = src.target() != null ? src.target() : csv ? recordedTarget : null;
    LoadOptions.TaskChoice task = net.task().isClassification() ? LoadOptions.TaskChoice.CLASSIFICATION
        : LoadOptions.TaskChoice.REGRESSION;
    Loaded loaded;
    try {
      loaded = DataInput.loadWith(src.data, src.options(col, csv ? task : null,
          imputation != null ? LoadOptions.Missing.MEAN : LoadOptions.Missing.ERROR));
    } catch (DataFormatException e) {
      if (src.target() != null || col == null) {
        throw e;
      }
      throw new InputException(e.getMessage() + " (the model was trained with --target " + recordedTarget
          + "; pass --target COL if this file names it otherwise)", e);
    }
    DataInput.warnLoad(err, src.data, loaded);
    Dataset all = byName(all(loaded), Provenance.featureNames(md), model);
    if (Imputation.countMissing(all) > 0) {
      if (imputation == null || imputation.columns() != all.features()) {
        throw new InputException(src.data + " has " + Imputation.countMissing(all) + " missing cells, but the "
            + "model " + model + " records no values to fill them with (it was not trained with --missing "
            + "mean); pass --missing drop to leave those rows out");
      }
      all = imputation.apply(all);
    }
    return DataInput.fitTo(net, all, model.toString());
  }

  /**
   * {@code data}'s feature columns reordered to {@code names} (the model's inputs), other columns left out;
   * {@code data} itself when {@code names} is null or already its order.
   */
  static Dataset byName(Dataset data, List<String> names, Path model) {
    if (names == null || names.equals(data.featureNames())) {
      return data;
    }
    Map<String, Integer> index = new java.util.HashMap<>();
    List<String> have = data.featureNames();
    for (int j = have.size() - 1; j >= 0; j--) {
      index.put(have.get(j), j);
    }
    List<String> lacking = new java.util.ArrayList<>();
    int[] from = new int[names.size()];
    for (int j = 0; j < from.length; j++) {
      Integer k = index.get(names.get(j));
      if (k == null) {
        lacking.add(names.get(j));
      } else {
        from[j] = k;
      }
    }
    if (!lacking.isEmpty()) {
      List<String> shown = lacking.size() > 8 ? lacking.subList(0, 8) : lacking;
      throw new InputException(data.name() + " lacks the column" + (lacking.size() == 1 ? " '" : "s '")
          + String.join("', '", shown) + "'" + (lacking.size() > shown.size() ? ", ..." : "") + " the model "
          + model + " reads");
    }
    int f = data.features();
    float[] x = new float[data.rows() * from.length];
    for (int i = 0; i < data.rows(); i++) {
      for (int j = 0; j < from.length; j++) {
        x[i * from.length + j] = data.x()[i * f + from[j]];
      }
    }
    return new Dataset(data.name(), data.rows(), from.length, x, data.task(), data.labels(), data.targets(),
        names);
  }

  /** Every row of the source: its training and, when it has one, its own test part. */
  static Dataset all(Loaded loaded) {
    Dataset a = loaded.train();
    if (!loaded.hasTest()) {
      return a;
    }
    Dataset b = loaded.test();
    int n = a.rows() + b.rows();
    float[] x = new float[n * a.features()];
    System.arraycopy(a.x(), 0, x, 0, a.x().length);
    System.arraycopy(b.x(), 0, x, a.x().length, b.x().length);
    int[] labels = null;
    float[] targets = null;
    if (a.task().isClassification()) {
      labels = new int[n];
      System.arraycopy(a.labels(), 0, labels, 0, a.rows());
      System.arraycopy(b.labels(), 0, labels, a.rows(), b.rows());
    } else {
      targets = new float[a.targets().length + b.targets().length];
      System.arraycopy(a.targets(), 0, targets, 0, a.targets().length);
      System.arraycopy(b.targets(), 0, targets, a.targets().length, b.targets().length);
    }
    return new Dataset(a.name(), n, a.features(), x, a.task(), labels, targets, a.featureNames());
  }
}
