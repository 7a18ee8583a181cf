package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.json.Json;
import dev.topiary.core.model.Network;
import dev.topiary.methods.compare.UnitBudget;
import dev.topiary.methods.odf2nna.EpsilonChoice;
import dev.topiary.methods.odf2nna.Odf2nna;
import dev.topiary.methods.odf2nna.Odf2nnaConfig;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.training.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary prune}: removes the units of a trained model that carry no information, then fine-tunes. */
@Command(name = "prune",
    header = "Remove the units of a trained model that carry no information.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Prune a trained model: measure the standard deviation σ of every hidden unit's output on "
          + "the training rows, remove the units with σ ≤ ε for real (smaller matrices) with their "
          + "means folded into the next layer's bias, fine-tune briefly, and save the smaller model.",
      "",
      "The split is recreated from what the model file records (or from --seed), so the test "
          + "figures are on rows the model never trained on. ε is chosen by exactly one of --epsilon, "
          + "--relative, --ratio, --keep and --auto (the default: the largest ε that keeps the "
          + "validation metric within --tolerance).",
      "",
      "--method picks another criterion to score the units by (magnitudes of weights, activation "
          + "statistics, gradients, redundancy, random); it removes the lowest-scored units by --ratio "
          + "or --keep and then folds, fine-tunes and reports exactly as variance does.",
      "",
      "--statistics FILE takes the unit statistics from a file (written by SparkUnitStatistics on a cluster, "
          + "or by any other UnitStatisticsJson writer) instead of measuring them on --data, with a given "
          + "rule (--epsilon, --relative, --ratio or --keep). --data is then needed only to fine-tune and "
          + "report test figures; without it the model is pruned, its means folded, and saved as it is."
    },
    modelTransformer = PruneCommand.DataOptional.class)
final class PruneCommand extends CommandBase {

  /** Makes --data optional in this command's model: --statistics prunes without it. */
  static final class DataOptional implements picocli.CommandLine.IModelTransformer {
    @Override
    public picocli.CommandLine.Model.CommandSpec transform(picocli.CommandLine.Model.CommandSpec spec) {
      picocli.CommandLine.Model.OptionSpec data = spec.findOption("--data");
      if (data != null && data.required()) {
        spec.remove(data);
        spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(data).required(false)
            .description("builtin:NAME, a CSV file, or idx:DIR (required, except with --statistics).").build());
      }
      return spec;
    }
  }

  @Option(names = "--statistics", paramLabel = "FILE",
      description = "Unit statistics gathered elsewhere (a unit-statistics JSON file, e.g. from "
          + "SparkUnitStatistics): prune from them with a given rule instead of measuring them on --data.")
  Path statistics;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The trained model (.safetensors).")
  Path model;

  @Mixin DataOptions dataOptions;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the pruned model.")
  Path out;

  @Option(names = "--method", paramLabel = "NAME", defaultValue = "variance",
      completionCandidates = PruningMethods.Names.class,
      description = "What scores the units: ${COMPLETION-CANDIDATES} (default: variance, ODF2NNA's σ; "
          + "random:SEED and entropy:BINS take a parameter).")
  String method;

  /** Exactly one way of choosing ε. */
  static final class Epsilon {
    @Option(names = "--epsilon", paramLabel = "E", required = true,
        description = "Remove units with σ ≤ E (the same absolute ε in every layer).")
    Double absolute;

    @Option(names = "--relative", paramLabel = "R", required = true,
        description = "Remove units with σ ≤ R × the largest σ of their layer, 0 ≤ R < 1.")
    Double relative;

    @Option(names = "--ratio", paramLabel = "R", required = true,
        description = "Remove the fraction R of each hidden layer's units, lowest scores (σ) first, 0 ≤ R < 1.")
    Double ratio;

    @Option(names = "--keep", paramLabel = "F", required = true,
        description = "Keep at most the fraction F of the parameters: remove the smallest equal share of "
            + "every hidden layer's units that gets there, 0 < F ≤ 1.")
    Double keep;

    @Option(names = "--auto", required = true,
        description = "Search for the largest ε that keeps the validation metric within --tolerance (default).")
    boolean auto;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Epsilon epsilon;

  @Option(names = "--tolerance", paramLabel = "T",
      description = "With --auto: the largest estimated loss of the metric accepted (e.g. 0.01 = one point of "
          + "accuracy; default 0.005, and 0.01 when the metric is R²).")
  Double tolerance;

  @Option(names = "--confidence", paramLabel = "C",
      description = "With --auto: a candidate significantly worse than the original at this confidence level "
          + "is rejected (default 0.95).")
  Double confidence;

  @Option(names = "--folds", paramLabel = "K",
      description = "With --auto: when the validation split has fewer than 2,000 rows, also judge on the "
          + "training rows by K-fold cross-validation (default 3; 0 judges on the validation rows alone).")
  Integer folds;

  @Option(names = "--before-finetune",
      description = "With --auto: the earlier search instead: bisect ε on the validation split, judging each "
          + "candidate right after surgery (fast; removes less; no confidence interval).")
  boolean beforeFinetune;

  @Option(names = "--schedule", paramLabel = "S",
      description = "iterative (the default with --auto: remove 25 %% of the units, fine-tune, measure σ again, "
          + "repeat), one-shot (one statistics pass), or layer-by-layer (re-measure after each layer; "
          + "a given ε only).")
  String scheduleName;

  @Option(names = "--finetune", paramLabel = "FRACTION", defaultValue = "0.15",
      description = "Fine-tune for this fraction of the original training epochs (default: ${DEFAULT-VALUE}; 0 skips).")
  double finetune;

  @Option(names = "--compare-scratch",
      description = "Also train the pruned architecture from a fresh initialisation (the control).")
  boolean compareScratch;

  @Option(names = "--report", paramLabel = "FILE.json", description = "Write the full report as JSON.")
  Path report;

  @Mixin SeedOption seedOption;

  @Option(names = "--test-data", paramLabel = "SRC",
      description = "A separate held-out source to report the test figures on, read as eval --test-data reads it "
          + "(columns by the model's feature names, missing cells filled as the model records); "
          + "use it when the model records no split, so that no training row is scored as a test row.")
  String testData;

  @Option(names = "--original-epochs", paramLabel = "N",
      description = "Epochs the model was trained for, when its file does not record them (sets the "
          + "fine-tuning length).")
  Integer originalEpochs;

  @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "600",
      description = "Time spent measuring inference latency before and after (default: ${DEFAULT-VALUE}; 0 skips).")
  long latencyMillis;

  /** The schedule option's value: one-shot, iterative or layer-by-layer, or null when not given. */
  String scheduleValue() {
    if (scheduleName == null) {
      return null;
    }
    String v = scheduleName.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (v) {
      case "one-shot", "oneshot" -> "one-shot";
      case "layer-by-layer", "layerwise" -> "layer-by-layer";
      case "iterative" -> "iterative";
      default -> throw new InputException("--schedule: expected one-shot, iterative or layer-by-layer, found '"
          + scheduleName + "'");
    };
  }

  /** The pruner's statistics schedule for a given ε or the bisection search. */
  private Schedule schedule() {
    return "layer-by-layer".equals(scheduleValue()) ? Schedule.LAYER_BY_LAYER : Schedule.ONE_SHOT;
  }

  @Override
  void execute() throws Exception {
    if (statistics != null && dataOptions.data == null) {
      PruneFromStatistics.withoutData(this);
      return;
    }
    if (dataOptions.data == null) {
      throw new InputException("Missing required option: '--data=SRC' (prune measures the units on it; "
          + "--statistics FILE takes measured statistics instead)");
    }
    Path outPath = OutputFiles.checkFile("--out", out);
    Path reportPath = report == null ? null : OutputFiles.checkFile("--report", report);
    Map<String, Path> inputs = new LinkedHashMap<>();
    inputs.put("--model", model);
    inputs.put("--data", dataOptions.file());
    inputs.put("--statistics", statistics);
    Map<String, Path> outputs = new LinkedHashMap<>();
    outputs.put("--out", outPath);
    outputs.put("--report", reportPath);
    OutputFiles.refuseClashes(inputs, outputs);
    UnitCriterion criterion = PruningMethods.criterion(method);
    String m = method.trim().toLowerCase(Locale.ROOT);
    EpsilonChoice choice = epsilonChoice(criterion);
    if (statistics != null) {
      PruneFromStatistics.checkOptions(this, criterion);
      if (compareScratch) {
        throw new InputException("--compare-scratch is not offered with --statistics");
      }
    }
    if (!(finetune >= 0 && finetune <= 1)) {
      throw new InputException("--finetune must be a fraction in [0, 1], found " + finetune);
    }
    if (originalEpochs != null && originalEpochs < 1) {
      throw new InputException("--original-epochs must be at least 1, found " + originalEpochs);
    }
    if (latencyMillis < 0) {
      throw new InputException("--latency-ms must be >= 0, found " + latencyMillis);
    }

    String data = dataOptions.data;
    ModelData input = ModelData.load(model, dataOptions, seedOption.given());
    DataInput.warnLoad(err(), data, input.loaded());
    Network trained = input.network();
    Map<String, String> md = input.metadata();
    String canonical = input.canonical();
    UnitStatistics given = statistics == null ? null
        : PruneFromStatistics.read(statistics, trained, criterion, method);
    Provenance.SplitPlan plan = input.plan();
    Split split = fitted(DataInput.split(input.loaded(), plan.fractions(), plan.seed()), trained);
    if (testData != null) {
      split = new Split(split.train(), split.validation(), heldOut(testData, input, model, dataOptions, err()));
      plan = plan.withTestFrom(testData);
    }
    if (choice == null) {
      choice = keepChoice(trained, epsilon.keep);
    }

    Integer recorded = Provenance.epochs(md);
    TrainingConfig tc = TrainingOptions.fromDescription(Provenance.recipe(md), trained.task(), split.train().rows(),
        plan.seed());
    int epochs = originalEpochs != null ? originalEpochs : recorded != null ? recorded : tc.epochs();
    String epochsOrigin = originalEpochs != null ? "--original-epochs"
        : recorded != null ? "recorded in the model" : "the default recipe's maximum; pass --original-epochs";
    if (choice instanceof EpsilonChoice.Fixed f) {
      if (given != null) {
        refuseEmptying(f.rule(), given);
      } else {
        refuseEmptying(f.rule(), trained, split.train());
      }
    }

    Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withTraining(tc).withCriterion(criterion).withEpsilon(choice)
        .withSchedule(schedule())
        .withFinetuneFraction(finetune).withCompareScratch(compareScratch).withSeed(plan.seed());
    Odf2nna recipe = new Odf2nna(cfg);
    int ftEpochs = finetune == 0 ? 0 : Math.max(1, (int) Math.round(finetune * epochs));
    Progress progress = progress();
    progress.line(String.format(Locale.ROOT, "prune      %s (%s parameters) on %s, split %s", trained.describe(),
        Format.grouped(trained.parameterCount()), data, plan.origin()));
    int maxEpochs = recipe.trainingConfig(split).epochs();
    long started = System.nanoTime();
    Odf2nnaReport r = given != null
        ? PruneFromStatistics.pruneAndFinetune(trained, given, criterion, ((EpsilonChoice.Fixed) choice).rule(),
            epochs, finetune, tc, split, statistics, progress)
        : recipe.listener(new ProgressListener(progress,
            stage -> stage.equals("finetune") ? ftEpochs : maxEpochs)).prune(trained, epochs, split);
    double recipeSeconds = (System.nanoTime() - started) / 1e9;
    List<LatencyPair> latency = LatencyPair.measure(r.original(), r.finetuned(), split.test(), latencyMillis, progress);

    Map<String, Object> summary = pruningSummary(m, r, model);
    Map<String, String> meta = new LinkedHashMap<>(Provenance.carried(md));
    meta.put(Provenance.TOOL, "topiary prune");
    meta.put(Provenance.DATA, canonical);
    if (input.target() != null) {
      meta.put(Provenance.TARGET, input.target());
    } else {
      meta.remove(Provenance.TARGET);
    }
    meta.put(Provenance.SPLIT_SEED, Long.toString(plan.seed()));
    meta.put(Provenance.SPLIT_FRACTIONS, Provenance.fractionsText(plan.fractions()));
    meta.put(Provenance.EPOCHS, Integer.toString(epochs));
    meta.put(Provenance.PRUNING, Json.write(summary));
    Map<String, Object> full = fullReport(r, latency);
    full.put("command", "prune");
    full.put("model_in", model.toAbsolutePath().normalize().toString());
    full.put("model_out", outPath.toString());
    full.put("split_seed", plan.seed());
    full.put("split_recorded", plan.recorded());
    if (testData != null) {
      full.put("test_data", DataInput.canonical(testData));
    }
    if (statistics != null) {
      full.put("statistics", statistics.toAbsolutePath().normalize().toString());
      full.put("statistics_rows", given.rows());
    }
    full.put("original_epochs", epochs);
    full.put("epsilon_mode", epsilon != null && epsilon.keep != null ? "keep" : mode(choice));
    full.put("schedule", r.selection() != null ? r.selection().schedule()
        : schedule() == Schedule.ONE_SHOT ? "one-shot" : "layer-by-layer");
    full.put("seconds_recipe", recipeSeconds);
    saveModelThenReport(r.finetuned(), outPath, meta, reportPath, Json.writePretty(full) + "\n");

    if (json()) {
      printJson(full);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Pruned %s with %s: %s%s.%n", model, m, PruneSummary.epsilon(choice, r),
        epsilon != null && epsilon.keep != null ? ", to keep at most " + Format.percent(epsilon.keep)
            + " of the parameters" : "");
    if (given != null) {
      o.printf(Locale.ROOT, "Unit statistics: from the statistics of %s rows in %s, not measured on %s.%n",
          Format.grouped(given.rows()), statistics.getFileName(), data);
    }
    o.printf(Locale.ROOT, "Split: %s. Original epochs: %d (%s); fine-tuned %s.%n%n", plan.origin(), epochs,
        epochsOrigin, r.finetuneTraining() == null ? "not at all" : r.finetuneTraining().epochsRun() + " epochs");
    o.print(PruneSummary.sizes(r, latency));
    o.println();
    o.print(PruneSummary.units(r));
    o.println();
    o.print(PruneSummary.scores(r));
    o.println();
    o.println(PruneSummary.headline(r, latency));
    o.print(PruneSummary.speedNotes(latency));
    o.printf(Locale.ROOT, "Saved %s%s.%n", out, reportPath == null ? "" : " and " + report);
  }

  /**
   * Saves the model, then the report that describes it: a save that fails leaves an existing report as it
   * was instead of describing a model that was never written.
   */
  static void saveModelThenReport(Network model, Path out, Map<String, String> meta, Path reportPath,
      String reportText) throws java.io.IOException {
    ModelFiles.save(model, out, meta);
    if (reportPath != null) {
      OutputFiles.writeText(reportPath, reportText);
    }
  }

  /**
   * The rule the options give, or null for --keep, which needs the model to become a rule (see
   * {@link #keepChoice}). Every criterion but σ takes --ratio or --keep only.
   */
  EpsilonChoice epsilonChoice(UnitCriterion criterion) {
    Epsilon e = epsilon;
    boolean auto = e == null || e.auto;
    if (!PruningMethods.isVariance(criterion) && (e == null || (e.ratio == null && e.keep == null))) {
      throw new InputException("--method " + method.trim() + " removes a share of the units: give --ratio R "
          + "or --keep F (--epsilon, --relative and --auto choose a σ threshold, for --method variance only)");
    }
    String sched = scheduleValue();
    if (!auto && (tolerance != null || beforeFinetune || confidence != null || folds != null)) {
      throw new InputException((tolerance != null ? "--tolerance" : beforeFinetune ? "--before-finetune"
          : confidence != null ? "--confidence" : "--folds") + " applies to --auto only, not to a given ε");
    }
    if (!auto && "iterative".equals(sched)) {
      throw new InputException("--schedule iterative chooses its own ε step by step: use it with --auto");
    }
    if (auto) {
      EpsilonChoice.Tested d = EpsilonChoice.Tested.defaults();
      double t = tolerance == null ? d.tolerance() : tolerance;
      if (tolerance != null && (!(t >= 0) || Double.isInfinite(t))) {
        throw new InputException("--tolerance must be a finite number >= 0, found " + tolerance);
      }
      if (beforeFinetune || "layer-by-layer".equals(sched)) {
        if (confidence != null || folds != null || "iterative".equals(sched)) {
          throw new InputException("--before-finetune and --schedule layer-by-layer use the earlier bisection "
              + "search, which takes neither --confidence, --folds nor --schedule iterative");
        }
        return new EpsilonChoice.Auto(tolerance == null ? 0.0 : t, false, !beforeFinetune);
      }
      double c = confidence == null ? d.confidence() : confidence;
      if (!(c > 0 && c < 1)) {
        throw new InputException("--confidence must be in (0, 1), found " + confidence);
      }
      int k = folds == null ? d.folds() : folds;
      if (k < 0 || k == 1 || k > 20) {
        throw new InputException("--folds must be 0 or between 2 and 20, found " + folds);
      }
      return new EpsilonChoice.Tested(t, c, k, sched == null ? d.iterative() : "iterative".equals(sched),
          d.stepShare());
    }
    if (e.absolute != null) {
      if (!(e.absolute >= 0) || Double.isInfinite(e.absolute)) {
        throw new InputException("--epsilon must be a finite number >= 0 (a standard deviation), found " + e.absolute);
      }
      return new EpsilonChoice.Fixed(ThresholdRule.absolute(e.absolute));
    }
    if (e.relative != null) {
      if (!(e.relative >= 0 && e.relative < 1)) {
        throw new InputException("--relative must be in [0, 1) (a share of each layer's largest σ), found "
            + e.relative);
      }
      return new EpsilonChoice.Fixed(ThresholdRule.relativeToMax(e.relative));
    }
    if (e.keep != null) {
      if (!(e.keep > 0 && e.keep <= 1)) {
        throw new InputException("--keep must be a fraction of the parameters in (0, 1], found " + e.keep);
      }
      return null;
    }
    if (!(e.ratio >= 0 && e.ratio < 1)) {
      throw new InputException("--ratio must be in [0, 1) (the share of each layer's units to remove), found "
          + e.ratio);
    }
    return new EpsilonChoice.Fixed(ThresholdRule.fractionPerLayer(e.ratio));
  }

  /** --keep F as a rule: the smallest fraction of every layer's units whose removal keeps at most F. */
  static EpsilonChoice keepChoice(Network network, double keep) {
    try {
      return new EpsilonChoice.Fixed(ThresholdRule.fractionPerLayer(UnitBudget.removalFraction(network, keep)));
    } catch (IllegalArgumentException e) {
      throw new InputException("--keep " + keep + ": " + e.getMessage() + "; use --ratio", e);
    }
  }

  /** The ε mode as the options name it: auto, epsilon, relative or ratio. */
  static String mode(EpsilonChoice choice) {
    if (choice instanceof EpsilonChoice.Fixed f) {
      return f.rule() instanceof ThresholdRule.Absolute ? "epsilon"
          : f.rule() instanceof ThresholdRule.RelativeToMax ? "relative" : "ratio";
    }
    return "auto";
  }

  /**
   * Refuses a given ε under which some layer would lose every unit: the pruning rules never empty a layer
   * (they keep its highest-σ unit instead), so such an ε does not mean what it says.
   */
  static void refuseEmptying(ThresholdRule rule, Network network, Dataset train) {
    if (!(rule instanceof ThresholdRule.Absolute || rule instanceof ThresholdRule.RelativeToMax)) {
      return;
    }
    refuseEmptying(rule, UnitStatistics.gather(network, train));
  }

  /** {@link #refuseEmptying(ThresholdRule, Network, Dataset)} with the statistics given. */
  static void refuseEmptying(ThresholdRule rule, UnitStatistics stats) {
    if (!(rule instanceof ThresholdRule.Absolute || rule instanceof ThresholdRule.RelativeToMax)) {
      return;
    }
    List<String> emptied = new ArrayList<>();
    double smallestMax = Double.POSITIVE_INFINITY;
    for (LayerScores s : VarianceCriterion.INSTANCE.scoreAll(stats)) {
      double threshold = rule instanceof ThresholdRule.Absolute a ? a.epsilon()
          : ((ThresholdRule.RelativeToMax) rule).ratio() * s.max();
      if (s.max() <= threshold) {
        emptied.add(PruneSummary.name(s.layer().address()) + String.format(Locale.ROOT, " (largest σ %.4g)", s.max()));
        smallestMax = Math.min(smallestMax, s.max());
      }
    }
    if (!emptied.isEmpty()) {
      String what = rule instanceof ThresholdRule.Absolute a ? "--epsilon " + a.epsilon()
          : "--relative " + ((ThresholdRule.RelativeToMax) rule).ratio();
      throw new InputException(what + " would remove every unit of " + String.join(", ", emptied)
          + "; a layer is never emptied (only its highest-σ unit would stay), so choose a smaller ε"
          + (rule instanceof ThresholdRule.Absolute ? String.format(Locale.ROOT, " (below %.4g)", smallestMax) : "")
          + ", or use --auto or --ratio");
    }
  }

  /**
   * {@code --test-data SRC} read as {@code eval --test-data} reads it ({@link EvalCommand#heldOut}): columns
   * found by the model's feature names, other columns ignored, missing cells filled with the values the
   * model records.
   */
  static Dataset heldOut(String src, ModelData input, Path model, DataOptions dataOptions,
      java.io.PrintWriter err) throws java.io.IOException {
    DataOptions options = new DataOptions();
    options.data = src;
    options.target = dataOptions.target;
    options.missing = dataOptions.missing;
    options.encoding = dataOptions.encoding;
    return EvalCommand.heldOut(model, input.file(), options, err);
  }

  static Split fitted(Split s, Network net) {
    String n = "the data";
    return new Split(DataInput.fitTo(net, s.train(), n), DataInput.fitTo(net, s.validation(), n),
        DataInput.fitTo(net, s.test(), n));
  }

  /** What the pruned model file records about its pruning. */
  static Map<String, Object> pruningSummary(String method, Odf2nnaReport r, Path from) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("method", method);
    s.put("epsilon", r.epsilon());
    s.put("epsilon_value", Format.finite(r.epsilonValue()));
    if (from != null) {
      s.put("source_model", from.getFileName().toString());
    }
    s.put("topology_before", r.original().describe());
    s.put("parameters_before", r.sizes().parametersBefore());
    s.put("parameters_after", r.sizes().parametersAfter());
    s.put("metric", r.metric().id());
    s.put("test_before", Format.finite(r.test().original()));
    s.put("test_after", Format.finite(r.test().finetuned()));
    return s;
  }

  /** The recipe's report with the measured latency. */
  static Map<String, Object> fullReport(Odf2nnaReport r, List<LatencyPair> latency) {
    Map<String, Object> m = new LinkedHashMap<>(r.toMap());
    if (!latency.isEmpty()) {
      m.put("latency", LatencyPair.toList(latency));
    }
    return m;
  }
}
