package dev.topiary.cli;

import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary train}: trains a dense network on a data set and saves it with its provenance. */
@Command(name = "train",
    header = "Train a dense network on a data set and save it.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Train a dense feed-forward network on a data set and save it as safetensors.",
      "",
      "The data is cut into training, validation and test parts from a seed (stratified by class; "
          + "an idx:DIR test part stays the test set). Training stops early when the validation loss "
          + "(or the metric --stop-on names) stops improving and keeps the best weights. The test figures are printed at the end, and "
          + "the model file records the data source and the split so that eval and prune can find the "
          + "same test rows.",
      "",
      "Without --hidden and --activation the network is chosen from the number of training rows: "
          + "2 hidden layers of 128 tanh units below 2,000 rows, 3 of 256 ReLU units from 2,000 rows "
          + "on; the batch size, epoch budget and stopping rule follow the row count as well. The model "
          + "file records what was chosen and why."
    })
final class TrainCommand extends CommandBase {

  @Mixin DataOptions input;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the model (.safetensors).")
  Path out;

  @Option(names = "--hidden", paramLabel = "W,W,...", split = ",",
      description = "Hidden layer widths (default: chosen from the training rows, see below).")
  int[] hidden;

  @Option(names = "--activation", paramLabel = "NAME",
      description = "Hidden activation: relu, leaky_relu, tanh, sigmoid, gelu, silu, identity "
          + "(default: chosen from the training rows, see below).")
  Activation activation;

  @Option(names = "--size-rule", paramLabel = "RULE",
      description = "examples: equal hidden widths sized so that the parameters are about the training "
          + "rows (ODF2NNA's rule), --depth layers; instead of --hidden.")
  NetworkChoice.SizeRule sizeRule;

  @Option(names = "--depth", paramLabel = "D",
      description = "Hidden layers for --size-rule (default: " + NetworkChoice.DEFAULT_DEPTH + ").")
  Integer depth;

  @Mixin SeedOption seedOption;

  @Option(names = "--fractions", paramLabel = "T,V,E", defaultValue = "0.7,0.15,0.15",
      description = "Training, validation and test shares of the rows (default: ${DEFAULT-VALUE}).")
  String fractions;

  @Mixin TrainingOptions training;

  @Override
  void execute() throws Exception {
    Path outPath = OutputFiles.checkFile("--out", out);
    if (hidden != null) {
      for (int w : hidden) {
        if (w < 1) {
          throw new InputException("--hidden widths must be at least 1, found " + Arrays.toString(hidden));
        }
      }
    }
    if (sizeRule != null && hidden != null) {
      throw new InputException("--size-rule chooses the hidden widths; give it or --hidden, not both");
    }
    if (depth != null && sizeRule == null) {
      throw new InputException("--depth goes with --size-rule; with --hidden, list the widths");
    }
    if (depth != null && depth < 1) {
      throw new InputException("--depth must be at least 1, found " + depth);
    }
    Split.Fractions f = Provenance.parseFractions(fractions);
    long seed = seedOption.orDefault();
    String data = input.data;
    String target = input.target();
    Progress progress = progress();
    Loaded loaded = input.load();
    Split split = DataInput.split(loaded, f, seed);
    var train = split.train();
    NetworkChoice shape = NetworkChoice.of(train.task(), train.rows(), train.features(), hidden, activation,
        sizeRule, depth);
    Network net = Scaling.fit(Network.mlp(train.features(), shape.hidden(), shape.activation(), train.task(),
        seed), train);
    TrainingConfig tc = training.build(train.task(), train.rows(), seed).withValidation(split.validation());
    progress.line(String.format(Locale.ROOT, "train      %s %s on %s: %s training rows, up to %d epochs",
        net.describe(), shape.activation().name().toLowerCase(Locale.ROOT), train.name().replace("/train", ""),
        Format.grouped(train.rows()), tc.epochs()));
    TrainingResult result = new Trainer(tc)
        .addListener(ProgressListener.epochs(progress, "train", tc.epochs()))
        .fit(net, train);
    progress.clear();

    Map<Metric, Double> validation = Scores.of(net, split.validation());
    Map<Metric, Double> test = Scores.of(net, split.test());
    String canonical = input.canonical();
    Map<String, Object> recipe = TrainingOptions.describe(tc, shape.hidden(), shape.activation());
    recipe.put("architecture_rule", shape.rule());
    ModelFiles.save(net, outPath, Provenance.ofTraining("topiary train", canonical,
        target, seed, f, result.epochsRun(), result.bestEpoch(),
        recipe));

    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "train");
      m.put("model", outPath.toString());
      m.put("data", canonical);
      m.put("task", net.task().isClassification() ? "classification" : "regression");
      m.put("topology", net.describe());
      m.put("parameters", net.parameterCount());
      m.put("flops", net.flops());
      m.put("dropped_rows", loaded.droppedRows());
      m.put("split", splitMap(split, seed, f));
      Map<String, Object> t = new LinkedHashMap<>(recipe);
      t.put("epochs_run", result.epochsRun());
      t.put("best_epoch", result.bestEpoch());
      t.put("stopped_early", result.stoppedEarly());
      t.put("seconds", result.wallTime().toNanos() / 1e9);
      m.put("training", t);
      m.put("validation", Scores.toMap(validation));
      m.put("test", Scores.toMap(test));
      printJson(m);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Trained %s (%s) on %s in %s: %s.%n", net.describe(),
        shape.activation().name().toLowerCase(Locale.ROOT), data, Format.seconds(result.wallTime()), epochsText(result, tc));
    if (loaded.droppedRows() > 0) {
      o.printf(Locale.ROOT, "%s rows with empty or non-finite cells were dropped.%n", Format.grouped(loaded.droppedRows()));
    }
    o.printf(Locale.ROOT, "Split (seed %d): %s training, %s validation, %s test rows.%n%n", seed,
        Format.grouped(split.train().rows()), Format.grouped(split.validation().rows()),
        Format.grouped(split.test().rows()));
    o.print(scoreTable(List.of("validation", "test"), List.of(validation, test)));
    o.printf(Locale.ROOT, "%nSaved %s: %s parameters, %s FLOPs per row.%n", out, Format.grouped(net.parameterCount()),
        Format.grouped(net.flops()));
    o.printf(Locale.ROOT, "Next: topiary prune --model %s --data %s --out pruned.safetensors%n", out, data);
  }

  static String epochsText(TrainingResult r, TrainingConfig tc) {
    return r.epochsRun() + " of " + tc.epochs() + " epochs"
        + (r.stoppedEarly() ? ", stopped early" : "") + ", kept the weights of epoch " + r.bestEpoch();
  }

  static Map<String, Object> splitMap(Split split, long seed, Split.Fractions f) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("seed", seed);
    s.put("fractions", List.of(f.train(), f.validation(), f.test()));
    s.put("train", split.train().rows());
    s.put("validation", split.validation().rows());
    s.put("test", split.test().rows());
    return s;
  }

  /** A table with one row per metric and one column per set of scores. */
  static String scoreTable(List<String> columns, List<Map<Metric, Double>> scores) {
    String[] head = new String[columns.size() + 1];
    head[0] = "metric";
    for (int i = 0; i < columns.size(); i++) {
      head[i + 1] = columns.get(i);
    }
    TextTable t = new TextTable(head);
    for (Metric m : scores.get(0).keySet()) {
      Object[] row = new Object[head.length];
      row[0] = Scores.label(m);
      for (int i = 0; i < scores.size(); i++) {
        row[i + 1] = Format.metric(scores.get(i).get(m));
      }
      t.row(row);
    }
    return t.render();
  }
}
