package dev.topiary.cli;

import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.json.Json;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.methods.Evaluate;
import dev.topiary.methods.odf2nna.EpsilonChoice;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.stats.UnitStatisticsJson;
import dev.topiary.pruning.surgery.LayerSize;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import dev.topiary.training.schedule.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code topiary prune --statistics FILE}: pruning from unit statistics gathered elsewhere (on a cluster,
 * by {@code SparkUnitStatistics}) instead of on {@code --data}. The units are scored, selected by the given
 * rule, cut and their means folded exactly as {@code UnitPruner.plan} and {@link Surgery} do in process;
 * with {@code --data}, the pruned model is then fine-tuned and reported as by plain {@code prune}, without
 * it the pruned model is saved as it is.
 */
final class PruneFromStatistics {

  private PruneFromStatistics() {}

  /**
   * Refuses what needs statistics of each step or of the gradients, which a file does not hold: the ε
   * searches, schedules other than one-shot, gradient criteria, and the from-scratch control without data.
   */
  static void checkOptions(PruneCommand c, UnitCriterion criterion) {
    if (c.epsilon == null || c.epsilon.auto) {
      throw new InputException("--statistics prunes by a given rule: give --epsilon, --relative, --ratio or "
          + "--keep (--auto searches ε by pruning and fine-tuning on the data step by step)");
    }
    String sched = c.scheduleValue();
    if (sched != null && !sched.equals("one-shot")) {
      throw new InputException("--statistics prunes in one shot from the statistics it is given; --schedule "
          + sched + " measures the units again after each step");
    }
    if (criterion.needsGradients()) {
      throw new InputException("--method " + c.method.trim() + " scores units by gradients, which a "
          + "statistics file does not hold; use a criterion of the forward statistics, or drop --statistics");
    }
  }

  /**
   * Reads the statistics file and checks it against {@code network} and what {@code criterion} needs.
   *
   * @throws dev.topiary.pruning.stats.StatisticsFileException if the file is not valid statistics of this
   *     network (exit status 2)
   */
  static UnitStatistics read(Path file, Network network, UnitCriterion criterion, String method)
      throws IOException {
    if (!Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such statistics file");
    }
    UnitStatistics stats = UnitStatisticsJson.read(Files.readString(file), file.toString(), network);
    StatisticsOptions need = criterion.requiredStatistics(StatisticsOptions.defaults());
    for (LayerStatistics l : stats.layers()) {
      String missing = need.activationSummaries() && !l.hasActivationSummaries() ? "activation summaries"
          : need.histogramBins() > 0 && l.histograms() == null ? "histograms"
          : need.classMoments() && l.classMoments() == null ? "per-class moments"
          : need.covariance() && l.layer().prunable() && l.covariance() == null ? "covariances" : null;
      if (missing != null) {
        throw new InputException(file + " holds no " + missing + " for " + PruneSummary.name(l.layer().address())
            + ", which --method " + method.trim() + " needs; gather them with the StatisticsOptions of "
            + "that criterion (UnitCriterion.requiredStatistics)");
      }
    }
    return stats;
  }

  /** The pruned network: scored, selected, cut and folded from {@code stats}, as in process. */
  static PruningPlan plan(Network network, UnitStatistics stats, UnitCriterion criterion, ThresholdRule rule) {
    return UnitPruner.plan(ScoringContext.of(network, stats), criterion, rule, null);
  }

  /**
   * Prunes from {@code stats}, then fine-tunes on the split's training rows as {@code Odf2nna} does (a
   * plain cosine decay from the recipe's optimiser, kept only when it does not worsen the validation
   * metric), and measures the three networks.
   */
  static Odf2nnaReport pruneAndFinetune(Network original, UnitStatistics stats, UnitCriterion criterion,
      ThresholdRule rule, int originalEpochs, double finetuneFraction, TrainingConfig recipe, Split split,
      Path file, Progress progress) {
    Metric metric = Metric.defaultFor(original.task());
    TrainingConfig tc = recipe.withValidation(split.validation());
    Map<String, Duration> times = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    PruningPlan plan = plan(original, stats, criterion, rule);
    Network pruned = Surgery.apply(original, plan);
    times.put("prune", Duration.ofNanos(System.nanoTime() - t0));
    double before = Evaluate.metric(pruned, split.validation(), metric);
    int epochs = finetuneFraction == 0 ? 0 : Math.max(1, (int) Math.round(finetuneFraction * originalEpochs));
    Network finetuned = pruned;
    TrainingResult training = null;
    boolean kept = false;
    double after = before;
    if (epochs > 0) {
      progress.line(String.format(Locale.ROOT, "finetune   %d epochs on %s training rows", epochs,
          Format.grouped(split.train().rows())));
      t0 = System.nanoTime();
      TrainingConfig ft = tc.withEpochs(epochs).withSchedule(Schedule.cosine(0.01)).withSeed(tc.seed() + 1);
      Network tuned = pruned.copy();
      training = new Trainer(ft).fit(tuned, split.train());
      double v = Evaluate.metric(tuned, split.validation(), metric);
      if (!metric.isBetter(before, v)) {
        finetuned = tuned;
        kept = true;
        after = v;
      }
      times.put("finetune", Duration.ofNanos(System.nanoTime() - t0));
    }
    Odf2nnaReport.Scores test = new Odf2nnaReport.Scores(Evaluate.metric(original, split.test(), metric),
        Evaluate.metric(pruned, split.test(), metric), Evaluate.metric(finetuned, split.test(), metric), Double.NaN);
    Odf2nnaReport.Scores val = new Odf2nnaReport.Scores(Evaluate.metric(original, split.validation(), metric),
        before, after, Double.NaN);
    return new Odf2nnaReport(split.source(), metric, original, pruned, finetuned, null,
        SizeReport.compare(original, pruned, List.of()), plan, criterion.name(),
        rule.describe() + ", from the statistics of " + stats.rows() + " rows in " + file.getFileName(),
        epsilonOf(rule), List.of(), test, val, null, training, kept, null, times, null);
  }

  /** {@code prune --statistics FILE} without {@code --data}: prune, fold, save; no fine-tuning, no scores. */
  static void withoutData(PruneCommand c) throws Exception {
    Path outPath = OutputFiles.checkFile("--out", c.out);
    Path reportPath = c.report == null ? null : OutputFiles.checkFile("--report", c.report);
    Map<String, Path> inputs = new LinkedHashMap<>();
    inputs.put("--model", c.model);
    inputs.put("--statistics", c.statistics);
    Map<String, Path> outputs = new LinkedHashMap<>();
    outputs.put("--out", outPath);
    outputs.put("--report", reportPath);
    OutputFiles.refuseClashes(inputs, outputs);
    if (c.testData != null || c.compareScratch) {
      throw new InputException((c.testData != null ? "--test-data" : "--compare-scratch")
          + " needs --data: without it the model is pruned from the statistics and saved, not trained or scored");
    }
    UnitCriterion criterion = PruningMethods.criterion(c.method);
    String m = c.method.trim().toLowerCase(Locale.ROOT);
    checkOptions(c, criterion);
    EpsilonChoice choice = c.epsilonChoice(criterion);
    ModelFile mf = ModelFiles.read(c.model);
    Network network = mf.network();
    UnitStatistics stats = read(c.statistics, network, criterion, c.method);
    if (choice == null) {
      choice = PruneCommand.keepChoice(network, c.epsilon.keep);
    }
    ThresholdRule rule = ((EpsilonChoice.Fixed) choice).rule();
    PruneCommand.refuseEmptying(rule, stats);
    PruningPlan plan = plan(network, stats, criterion, rule);
    Network pruned = Surgery.apply(network, plan);
    SizeReport sizes = SizeReport.compare(network, pruned, List.of());

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("method", m);
    summary.put("epsilon", rule.describe());
    summary.put("epsilon_value", Format.finite(epsilonOf(rule)));
    summary.put("source_model", c.model.getFileName().toString());
    summary.put("statistics", c.statistics.getFileName().toString());
    summary.put("statistics_rows", stats.rows());
    summary.put("topology_before", network.describe());
    summary.put("parameters_before", sizes.parametersBefore());
    summary.put("parameters_after", sizes.parametersAfter());
    summary.put("finetuned", false);
    Map<String, String> meta = new LinkedHashMap<>(Provenance.carried(mf.metadata()));
    meta.put(Provenance.TOOL, "topiary prune");
    meta.put(Provenance.PRUNING, Json.write(summary));
    Map<String, Object> full = new LinkedHashMap<>();
    full.put("command", "prune");
    full.put("model_in", c.model.toAbsolutePath().normalize().toString());
    full.put("model_out", outPath.toString());
    full.put("statistics", c.statistics.toAbsolutePath().normalize().toString());
    full.put("statistics_rows", stats.rows());
    full.put("criterion", criterion.name());
    full.put("epsilon", rule.describe());
    full.put("epsilon_mode", c.epsilon.keep != null ? "keep" : PruneCommand.mode(choice));
    full.put("schedule", "one-shot");
    full.put("finetuned", false);
    full.put("topology_before", network.describe());
    full.put("topology_after", pruned.describe());
    full.put("parameters_before", sizes.parametersBefore());
    full.put("parameters_after", sizes.parametersAfter());
    full.put("flops_before", sizes.flopsBefore());
    full.put("flops_after", sizes.flopsAfter());
    List<Object> layers = new ArrayList<>();
    for (int i = 0; i < sizes.layers().size() - 1; i++) {
      LayerSize l = sizes.layers().get(i);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("layer", PruneSummary.name(l.layer()));
      e.put("units_before", l.unitsBefore());
      e.put("units_after", l.unitsAfter());
      layers.add(e);
    }
    full.put("layers", layers);
    PruneCommand.saveModelThenReport(pruned, outPath, meta, reportPath, Json.writePretty(full) + "\n");

    if (c.json()) {
      c.printJson(full);
      return;
    }
    var o = c.out();
    o.printf(Locale.ROOT, "Pruned %s with %s from the statistics in %s (%s rows): %s.%n", c.model, m,
        c.statistics, Format.grouped(stats.rows()), PruneSummary.epsilon(choice, report(network, pruned, sizes, plan,
            criterion)));
    o.printf("Means folded; not fine-tuned and not scored (no --data).%n%n");
    TextTable t = new TextTable("", "original", "pruned");
    t.row("architecture", network.describe(), pruned.describe());
    t.row("parameters", Format.grouped(sizes.parametersBefore()), Format.grouped(sizes.parametersAfter()));
    t.row("FLOPs per row", Format.grouped(sizes.flopsBefore()), Format.grouped(sizes.flopsAfter()));
    o.print(t.render());
    o.println();
    TextTable u = new TextTable("layer", "units before", "units after", "removed");
    for (int i = 0; i < sizes.layers().size() - 1; i++) {
      LayerSize l = sizes.layers().get(i);
      u.row(PruneSummary.name(l.layer()), l.unitsBefore(), l.unitsAfter(), l.unitsBefore() - l.unitsAfter());
    }
    o.print(u.render());
    o.println();
    o.printf(Locale.ROOT, "Saved %s%s.%n", c.out, reportPath == null ? "" : " and " + c.report);
  }

  /** A report of pruning alone, for the wording of {@link PruneSummary#epsilon}. */
  private static Odf2nnaReport report(Network network, Network pruned, SizeReport sizes, PruningPlan plan,
      UnitCriterion criterion) {
    Odf2nnaReport.Scores none = new Odf2nnaReport.Scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Odf2nnaReport("", Metric.defaultFor(network.task()), network, pruned, pruned, null, sizes, plan,
        criterion.name(), "", Double.NaN, List.of(), none, none, null, null, false, null, Map.of(), null);
  }

  static double epsilonOf(ThresholdRule rule) {
    if (rule instanceof ThresholdRule.Absolute a) {
      return a.epsilon();
    }
    if (rule instanceof ThresholdRule.RelativeToMax r) {
      return r.ratio();
    }
    return Double.NaN;
  }
}
