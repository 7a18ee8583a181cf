package dev.topiary.cli;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.complexity.ComplexityAwareConfig;
import dev.topiary.methods.complexity.ComplexityAwareResult;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import java.nio.file.Path;
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

  @Mixin TaskOption task;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the model (.safetensors).")
  Path out;

  @Option(names = "--hidden", paramLabel = "W,W,...", split = ",",
      description = "Hidden layer widths (default: chosen from the training rows, see below).")
  int[] hidden;

  @Option(names = "--architecture", paramLabel = "residual:B:W",
      description = "A residual MLP instead of --hidden: residual:BLOCKS:WIDTH[:LAYERS], a stem to WIDTH, "
          + "BLOCKS blocks h + f(h) of LAYERS (1 or 2, default 2) dense layers, and a head.")
  String architecture;

  @Option(names = "--activation", paramLabel = "NAME",
      description = "Hidden activation: relu, leaky_relu, tanh, sigmoid, gelu, silu, identity "
          + "(default: chosen from the training rows, see below; relu with --architecture).")
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

  @Mixin ComplexityOptions complexity;

  @Override
  void execute() throws Exception {
    Path outPath = OutputFiles.checkFile("--out", out);
    OutputFiles.refuseClashes(java.util.Collections.singletonMap("--data", input.file()),
        Map.of("--out", outPath));
    ResidualArchitecture residual = architecture == null ? null : ResidualArchitecture.parse(architecture);
    if (residual != null && spec.commandLine().getParseResult().hasMatchedOption("--hidden")) {
      throw new InputException("give either --hidden or --architecture, not both");
    }
    if (complexity.strayOptions()) {
      throw new InputException("complexity-aware options (--nu, --alpha, --beta, --theta-tol, --gates, "
          + "--block-gradient, --masks, --theta-lr, --theta-init, --warmup-epochs, --settle-epochs, "
          + "--settle-restart, --target-flops) need --complexity-aware");
    }
    if (sizeRule != null && (hidden != null || residual != null)) {
      throw new InputException("--size-rule chooses the hidden widths; give it, --hidden or --architecture, "
          + "not two of them");
    }
    if (depth != null && sizeRule == null) {
      throw new InputException("--depth goes with --size-rule; with --hidden, list the widths");
    }
    if (depth != null && depth < 1) {
      throw new InputException("--depth must be at least 1, found " + depth);
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (residual == null && hidden != null) {
      NetworkSizes.check("--hidden", widthsText(hidden), 0, hidden, 0,
          training.batch != null ? training.batch : 128, 0, heap);
    }
    Split.Fractions f = Provenance.parseFractions(fractions);
    long seed = seedOption.orDefault();
    String data = input.data;
    String target = input.target();
    Progress progress = progress();
    Loaded read = input.load(target, task.choice());
    for (String w : read.warnings()) {
      err().println("topiary: warning: " + w);
    }
    err().flush();
    DataInput.Prepared prepared = DataInput.splitAndImpute(read, f, seed);
    Loaded loaded = prepared.loaded();
    Split split = prepared.split();
    var train = split.train();
    TrainingConfig tc = training.build(train.task(), train.rows(), seed).withValidation(split.validation());
    NetworkChoice shape = residual != null
        ? new NetworkChoice(new int[0], activation != null ? activation : Activation.RELU, "--architecture")
        : NetworkChoice.of(train.task(), train.rows(), train.features(), hidden, activation, sizeRule, depth);
    Activation act = shape.activation();
    if (residual == null) {
      NetworkSizes.check("--hidden", widthsText(shape.hidden()), train.features(), shape.hidden(),
          train.task().outputs(), tc.batchSize(), 4L * loaded.train().x().length, heap);
    }
    Network net = Scaling.fit(residual != null
        ? residual.build(train.features(), act, train.task(), seed)
        : Network.mlp(train.features(), shape.hidden(), act, train.task(), seed), train);
    progress.line(String.format(Locale.ROOT, "train      %s %s on %s: %s training rows, up to %d epochs",
        net.describe(), act.name().toLowerCase(Locale.ROOT), split.source(),
        Format.grouped(train.rows()), tc.epochs()));
    ComplexityAwareConfig cac = complexity.enabled ? complexity.config(tc) : null;
    ComplexityAwareResult ca = null;
    TrainingResult result;
    if (cac != null) {
      ca = complexity.train(net, train, cac, progress);
      net = ca.network();
      result = new TrainingResult(tc.epochs(), tc.epochs(), Double.NaN, false, List.of(), ca.wallTime());
    } else {
      result = new Trainer(tc)
          .addListener(ProgressListener.epochs(progress, "train", tc.epochs()))
          .fit(net, train);
    }
    progress.clear();

    Map<Metric, Double> validation = Scores.of(net, split.validation());
    Map<Metric, Double> test = Scores.of(net, split.test());
    String canonical = input.canonical();
    Map<String, Object> recipe = TrainingOptions.describe(tc, shape.hidden(), act);
    recipe.put("architecture_rule", shape.rule());
    if (residual != null) {
      recipe.remove("hidden");
      recipe.put("architecture", residual.text());
    }
    if (ca != null) {
      recipe.put("complexity_aware", complexity.describeRun());
    }
    Map<String, String> meta = Provenance.ofTraining("topiary train", canonical, target, seed, f,
        result.epochsRun(), result.bestEpoch(), recipe, train.featureNames());
    if (prepared.imputation() != null) {
      meta.put(Imputation.METADATA_KEY, prepared.imputation().toMetadata());
    }
    ModelFiles.save(net, outPath, meta);

    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "train");
      m.put("model", outPath.toString());
      m.put("data", canonical);
      m.put("task", net.task().isClassification() ? "classification" : "regression");
      m.put("topology", net.describe());
      m.put("parameters", net.parameterCount());
      m.put("flops", net.flops());
      if (ca != null) {
        ComplexityOptions.addFigures(m, ca);
      }
      m.put("dropped_rows", loaded.droppedRows());
      m.put("imputed_cells", read.missingCells());
      if (read.targetNote() != null) {
        m.put("target", read.targetNote());
      }
      m.put("warnings", read.warnings());
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
        act.name().toLowerCase(Locale.ROOT), data, Format.seconds(result.wallTime()), epochsText(result, tc));
    if (read.targetNote() != null) {
      o.printf(Locale.ROOT, "%s%s.%n", Character.toUpperCase(read.targetNote().charAt(0)),
          read.targetNote().substring(1));
    }
    if (loaded.droppedRows() > 0) {
      o.printf(Locale.ROOT, "%s rows with missing cells were dropped (--missing drop).%n",
          Format.grouped(loaded.droppedRows()));
    }
    if (prepared.imputation() != null) {
      o.printf(Locale.ROOT, "%s missing cells were filled with their column's training mean or mode (--missing "
          + "mean); the model records the values.%n", Format.grouped(read.missingCells()));
    }
    o.printf(Locale.ROOT, "Split (seed %d): %s training, %s validation, %s test rows.%n%n", seed,
        Format.grouped(split.train().rows()), Format.grouped(split.validation().rows()),
        Format.grouped(split.test().rows()));
    o.print(scoreTable(List.of("validation", "test"), List.of(validation, test)));
    if (ca != null) {
      o.printf(Locale.ROOT, "%nComplexity-aware: %s units and %d blocks removed; %s -> %s parameters, %s -> %s FLOPs.%n",
          Format.grouped(ca.unitsRemoved()), ca.blocksRemoved(), Format.grouped(ca.initialParameters()),
          Format.grouped(net.parameterCount()), Format.grouped(ca.initialFlops()), Format.grouped(net.flops()));
    }
    o.printf(Locale.ROOT, "%nSaved %s: %s parameters, %s FLOPs per row.%n", out, Format.grouped(net.parameterCount()),
        Format.grouped(net.flops()));
    o.printf(Locale.ROOT, "Next: topiary prune --model %s --data %s --out pruned.safetensors%n", out, data);
  }

  static String widthsText(int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int w : widths) {
      b.append(b.length() == 0 ? "" : ",").append(w);
    }
    return b.toString();
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
