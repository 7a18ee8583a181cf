package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary eval}: a model's metrics on data. */
@Command(name = "eval",
    header = "Score a model on data.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Score a model on data: accuracy, macro F1 and log-loss, or R², RMSE and MAE.",
      "",
      "By default, when the model file records a split of this same data, only its test rows are "
          + "scored (the rows the model never trained on); otherwise every row is. The output says "
          + "which."
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

  @Mixin DataOptions input;

  @Option(names = "--split", paramLabel = "PART", defaultValue = "auto",
      description = "auto (default), all, test, validation or train.")
  Rows rows;

  @Mixin SeedOption seedOption;

  @Override
  void execute() throws Exception {
    Long seed = seedOption.given();
    String data = input.data;
    ModelData md = ModelData.load(model, input, seed);
    Network net = md.network();
    String canonical = md.canonical();
    Loaded loaded = md.loaded();
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
          + (rows == Rows.AUTO ? " (the model records no split of this data)" : "");
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
