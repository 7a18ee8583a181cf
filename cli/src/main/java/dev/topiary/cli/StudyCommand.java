package dev.topiary.cli;

import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.json.Json;
import dev.topiary.methods.compare.Methods;
import dev.topiary.methods.study.PretrainingStudy;
import dev.topiary.methods.study.StudyConfig;
import dev.topiary.methods.study.StudyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary study}: studies that run many pruning experiments and plot them. */
@Command(name = "study", mixinStandardHelpOptions = true,
    description = "Run a pruning study and plot it.",
    subcommands = {StudyCommand.Pretraining.class})
final class StudyCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code topiary study pretraining}: subnetwork quality against pre-training and data-set size. */
  @Command(name = "pretraining", mixinStandardHelpOptions = true,
      description = {"How much pre-training a good subnetwork needs: prune checkpoints after 1, 2, 4, ... "
          + "epochs of one run, and networks trained on growing shares of the data, to the same budget.",
          "Writes study-pretraining.csv/.json and plots against iterations and against rows (SVG, PNG)."})
  static final class Pretraining extends CommandBase {

    @Mixin DataOptions input;

    @Mixin TaskOption task;

    @Option(names = "--out", defaultValue = "study-out", paramLabel = "DIR",
        description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--methods", defaultValue = "greedy-scaled,variance", paramLabel = "LIST",
        description = "pruning methods (default: ${DEFAULT-VALUE})")
    String methods;

    @Option(names = "--keep", defaultValue = "0.3", paramLabel = "FRACTION",
        description = "fraction of parameters kept (default: ${DEFAULT-VALUE})")
    double keep;

    @Option(names = "--epochs", paramLabel = "N", description = "pre-training epochs (default: 64)")
    Integer epochs;

    @Option(names = "--split-seed", defaultValue = "7", paramLabel = "N",
        description = "seed of the train/validation/test split (default: ${DEFAULT-VALUE})")
    long splitSeed;

    /** The files written to the output directory. */
    static final List<String> FILES = List.of("study-pretraining.csv", "study-pretraining.json",
        "study-pretraining-iterations.svg", "study-pretraining-iterations.png", "study-pretraining-rows.svg",
        "study-pretraining-rows.png");

    @Override
    boolean progressSilenced() {
      return super.progressSilenced() || json();
    }

    @Override
    void execute() throws IOException {
      StudyConfig config = StudyConfig.defaults().withMethods(Methods.parse(methods)).withKeepFraction(keep);
      if (epochs != null) {
        if (epochs < 1) {
          throw new InputException("--epochs must be at least 1, found " + epochs);
        }
        config = config.withBudget(config.budget().withEpochs(epochs, config.budget().finetuneEpochs()));
      }
      OutputFiles.refuseClashes(java.util.Collections.singletonMap("--data", input.file()),
          OutputFiles.inDirectory("--out", out, FILES));
      Loaded read = input.load(input.target(), task.choice());
      read.warnings().forEach(w -> err().println("topiary: warning: " + w));
      Split split = DataInput.splitAndImpute(read, Split.Fractions.DEFAULT, splitSeed).split();
      Path dir = OutputFiles.prepareDirectory("--out", out);
      StudyReport report = PretrainingStudy.run(split, config, CompareCommand.listener(progress()));
      OutputFiles.writeText(dir.resolve("study-pretraining.csv"), report.toCsv());
      OutputFiles.writeText(dir.resolve("study-pretraining.json"), Json.writePretty(report.toMap()) + "\n");
      plot(report, StudyReport.Axis.PRETRAINING, "log2(pre-training iterations)",
          p -> Math.log(p.iterations()) / Math.log(2))
          .write(dir.resolve("study-pretraining-iterations"));
      plot(report, StudyReport.Axis.DATA_SIZE, "training rows", p -> p.rows())
          .write(dir.resolve("study-pretraining-rows"));
      if (json()) {
        printJson(report.toMap());
      } else {
        out().print(report.toCsv());
        out().println("\nwrote " + dir.resolve("study-pretraining*.{csv,json,svg,png}"));
      }
    }

    /** The pruned networks' metric, one series per method, and the dense networks they came from. */
    static Plot plot(StudyReport report, StudyReport.Axis axis, String xLabel,
        ToDoubleFunction<StudyReport.Point> x) {
      Plot plot = new Plot("Subnetwork quality on " + report.data() + " (keep "
          + report.keepFraction() + ")", xLabel, "test " + report.metric().id());
      Map<String, List<StudyReport.Point>> byMethod = new LinkedHashMap<>();
      for (StudyReport.Point p : report.along(axis)) {
        byMethod.computeIfAbsent(p.method(), k -> new java.util.ArrayList<>()).add(p);
      }
      List<StudyReport.Point> any = byMethod.isEmpty() ? List.of() : byMethod.values().iterator().next();
      plot.add(new Plot.Series("dense", any.stream().mapToDouble(x).toArray(),
          any.stream().mapToDouble(StudyReport.Point::denseMetric).toArray(), true));
      for (Map.Entry<String, List<StudyReport.Point>> e : byMethod.entrySet()) {
        plot.add(new Plot.Series(e.getKey(), e.getValue().stream().mapToDouble(x).toArray(),
            e.getValue().stream().mapToDouble(StudyReport.Point::metric).toArray(), true));
      }
      return plot;
    }
  }
}
