package dev.topiary.cli;

import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.json.Json;
import dev.topiary.core.metrics.Metric;
import dev.topiary.methods.RecipeListener;
import dev.topiary.methods.compare.Budget;
import dev.topiary.methods.compare.Comparison;
import dev.topiary.methods.compare.ComparisonReport;
import dev.topiary.methods.compare.ComplexityAwareMethod;
import dev.topiary.methods.compare.Methods;
import dev.topiary.methods.compare.PruningMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code topiary compare}: pruning methods side by side at the same parameter and training budgets, as a
 * table (CSV, JSON, Markdown) and a plot of the test metric against parameters kept (SVG, PNG).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare pruning methods on one data set at the same parameter budget and the same "
        + "fine-tuning budget, from the same trained network per seed.",
        "Writes compare.csv, compare.json, compare.md and compare.svg/.png to the output directory."})
final class CompareCommand extends CommandBase {

  @Mixin DataOptions input;

  @Mixin TaskOption task;

  @Option(names = "--methods", defaultValue = "all", paramLabel = "all|LIST",
      description = "all, or a comma-separated list of: ${COMPLETION-CANDIDATES}",
      completionCandidates = MethodNames.class)
  String methods;

  @Option(names = "--keep", defaultValue = "0.3", split = ",", paramLabel = "FRACTION",
      description = "fraction(s) of parameters to keep, e.g. 0.3 or 0.5,0.3,0.1 (default: ${DEFAULT-VALUE})")
  List<Double> keep;

  @Option(names = "--seeds", defaultValue = "1", paramLabel = "N", description = "seeds (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--out", defaultValue = "compare-out", paramLabel = "DIR",
      description = "output directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--hidden", split = ",", paramLabel = "WIDTHS",
      description = "hidden widths of the trained network (default: 64,64)")
  int[] hidden;

  @Option(names = "--epochs", paramLabel = "N", description = "training epochs (default: 60)")
  Integer epochs;

  @Option(names = "--finetune-epochs", paramLabel = "N", description = "epochs after pruning (default: 15)")
  Integer finetuneEpochs;

  @Option(names = "--metric", paramLabel = "NAME", description = "test metric (default: accuracy or r2)")
  String metric;

  @Option(names = "--nu-trainings", paramLabel = "N",
      description = "complexity-aware: at most N trainings to find the ν that matches the others' FLOPs "
          + "(default: " + ComplexityAwareMethod.MAX_TRAININGS + ")")
  Integer nuTrainings;

  @Option(names = "--flops-tolerance", paramLabel = "F",
      description = "complexity-aware: accepted distance from the target FLOPs, as a fraction of the dense "
          + "network's (default: " + ComplexityAwareMethod.TOLERANCE + ")")
  Double flopsTolerance;

  @Option(names = "--split-seed", defaultValue = "7", paramLabel = "N",
      description = "seed of the train/validation/test split (default: ${DEFAULT-VALUE})")
  long splitSeed;

  /** The files written to the output directory. */
  static final List<String> FILES = List.of("compare.csv", "compare.json", "compare.md", "compare.svg", "compare.png");

  /** The method names, for the help text. */
  static final class MethodNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    MethodNames() {
      super(Methods.byName().keySet());
    }
  }

  @Override
  boolean progressSilenced() {
    return super.progressSilenced() || json();
  }

  @Override
  void execute() throws IOException {
    List<PruningMethod> chosen = Methods.parse(methods);
    if (nuTrainings != null || flopsTolerance != null) {
      int n = nuTrainings != null ? nuTrainings : ComplexityAwareMethod.MAX_TRAININGS;
      double tol = flopsTolerance != null ? flopsTolerance : ComplexityAwareMethod.TOLERANCE;
      if (n < 1) {
        throw new InputException("--nu-trainings must be at least 1, found " + n);
      }
      if (!(tol > 0 && tol < 1)) {
        throw new InputException("--flops-tolerance must be in (0, 1), found " + tol);
      }
      chosen = chosen.stream().map(m -> m instanceof ComplexityAwareMethod ? new ComplexityAwareMethod(n, tol) : m)
          .map(PruningMethod.class::cast).toList();
    }
    if (seeds < 1) {
      throw new InputException("--seeds must be at least 1, found " + seeds);
    }
    for (double k : keep) {
      if (!(k > 0 && k <= 1)) {
        throw new InputException("--keep fractions must be in (0, 1], found " + k);
      }
    }
    Budget budget = Budget.small();
    if (hidden != null) {
      budget = budget.withHidden(hidden);
    }
    if (epochs != null || finetuneEpochs != null) {
      budget = budget.withEpochs(epochs != null ? epochs : budget.trainEpochs(),
          finetuneEpochs != null ? finetuneEpochs : budget.finetuneEpochs());
    }
    if (metric != null) {
      budget = budget.withMetric(Metric.parse(metric));
    }
    OutputFiles.refuseClashes(java.util.Collections.singletonMap("--data", input.file()),
        OutputFiles.inDirectory("--out", out, FILES));
    if (hidden != null) {
      NetworkSizes.check("--hidden", TrainCommand.widthsText(hidden), 0, hidden, 0, 128, 0,
          Runtime.getRuntime().maxMemory());
    }
    Loaded read = input.load(input.target(), task.choice());
    read.warnings().forEach(w -> err().println("topiary: warning: " + w));
    Split split = DataInput.splitAndImpute(read, Split.Fractions.DEFAULT, splitSeed).split();
    Path dir = OutputFiles.prepareDirectory("--out", out);
    ComparisonReport report = Comparison.run(split, chosen, keep, seeds, budget, listener(progress()));
    OutputFiles.writeText(dir.resolve("compare.csv"), report.toCsv());
    OutputFiles.writeText(dir.resolve("compare.json"), Json.writePretty(report.toMap()) + "\n");
    OutputFiles.writeText(dir.resolve("compare.md"), report.toMarkdown());
    plot(report).write(dir.resolve("compare"));
    if (json()) {
      printJson(report.toMap());
    } else {
      out().print(report.toMarkdown());
      out().println("\nwrote " + dir.resolve("compare.{csv,json,md,svg,png}"));
    }
  }

  /** Test metric against parameters kept: one series per method over the keep fractions, dense alone. */
  static Plot plot(ComparisonReport report) {
    Plot plot = new Plot("Pruning methods on " + report.data(), "parameters kept (fraction of dense)",
        "test " + report.metric().id());
    Map<String, List<ComparisonReport.Row>> byMethod = new LinkedHashMap<>();
    for (ComparisonReport.Row r : report.rows()) {
      byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<ComparisonReport.Row>> e : byMethod.entrySet()) {
      List<ComparisonReport.Row> rows = new ArrayList<>(e.getValue());
      rows.sort((a, b) -> Double.compare(a.parametersKept(), b.parametersKept()));
      double[] x = rows.stream().mapToDouble(ComparisonReport.Row::parametersKept).toArray();
      double[] y = rows.stream().mapToDouble(ComparisonReport.Row::metricMean).toArray();
      plot.add(new Plot.Series(e.getKey(), x, y, x.length > 1));
    }
    return plot;
  }

  static RecipeListener listener(Progress progress) {
    return new RecipeListener() {
      @Override
      public void stageFinished(String stage, Duration took, String summary) {
        progress.line(String.format(java.util.Locale.ROOT, "%-20s %6.2fs  %s", stage, took.toNanos() / 1e9,
            summary));
      }
    };
  }
}
