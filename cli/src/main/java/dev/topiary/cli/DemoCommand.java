package dev.topiary.cli;

import dev.topiary.core.data.BuiltinData;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.json.Json;
import dev.topiary.kernels.Kernels;
import dev.topiary.methods.odf2nna.Architecture;
import dev.topiary.methods.odf2nna.Odf2nna;
import dev.topiary.methods.odf2nna.Odf2nnaConfig;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.training.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary demo}: the whole recipe on an embedded data set, with measured speed before and after. */
@Command(name = "demo",
    header = "Train, prune and fine-tune on an embedded data set; compare size and speed.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Show what Topiary does, on an embedded data set: train the network `topiary train` builds by "
          + "default for the data's size, remove the "
          + "hidden units whose output barely varies (folding their means into the next layer's bias), "
          + "fine-tune, and compare the two models: parameters, FLOPs, test metric and measured "
          + "inference latency. The same pruned architecture is also trained from scratch, as a "
          + "control.",
      "",
      "Writes original.safetensors, pruned.safetensors, report.json and search.svg/.png (the "
          + "automatic ε search's trials) to the output directory."
    })
final class DemoCommand extends CommandBase {

  @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "digits",
      description = "Embedded data set: iris, wine, breast_cancer, digits (default), penguins, diabetes, concrete.")
  String dataset;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "topiary-demo",
      description = "Directory for the results (default: ./${DEFAULT-VALUE}; created if missing).")
  Path out;

  @Mixin SeedOption seedOption;

  @Option(names = "--width", hidden = true,
      description = "Hidden width of the oversized network (default: what train builds for the data's size).")
  Integer width;

  @Option(names = "--depth", hidden = true,
      description = "Hidden layers of the oversized network (default: what train builds for the data's size).")
  Integer depth;

  @Option(names = "--epochs", hidden = true, description = "Most training epochs.")
  Integer epochs;

  @Option(names = "--latency-ms", hidden = true, defaultValue = "3000",
      description = "Time spent measuring latency, both batch sizes together (0 skips).")
  long latencyMillis;

  @Override
  void execute() throws Exception {
    if ((width != null && width < 1) || (depth != null && depth < 1)) {
      throw new InputException("--width and --depth must be at least 1");
    }
    if (latencyMillis < 0) {
      throw new InputException("--latency-ms must be >= 0, found " + latencyMillis);
    }
    long seed = seedOption.orDefault();
    String src = "builtin:" + BuiltinData.canonical(dataset);
    Progress progress = progress();
    Loaded loaded = DataInput.load(src, null);
    Path dir = OutputFiles.prepareDirectory("--out", out);
    Split split = DataInput.split(loaded, Split.Fractions.DEFAULT, seed);
    var train = split.train();
    Odf2nnaConfig defaults = Odf2nnaConfig.defaults();
    // What `topiary train` builds for this many rows, unless the hidden options say otherwise.
    Architecture byData = Architecture.defaultFor(train.task(), train.rows(), train.features());
    Architecture arch = width == null && depth == null ? byData
        : Architecture.uniform(depth == null ? byData.depth() : depth, width == null ? byData.width() : width,
            byData.activation());
    TrainingConfig tc = TrainingOptions.configure(train.task(), train.rows(), seed, epochs, null, null, null, null, null, null);
    Odf2nnaConfig cfg = defaults.withArchitecture(arch).withTraining(tc).withCompareScratch(true).withSeed(seed);

    progress.line(String.format(Locale.ROOT, "demo       %s: %s rows, %d features, %s; %s kernels, %d threads", src,
        Format.grouped(loaded.train().rows()), train.features(), taskText(train.task()), Kernels.implementation(),
        Kernels.threads()));
    ProgressListener[] holder = new ProgressListener[1];
    holder[0] = new ProgressListener(progress, stage -> stage.equals("finetune")
        ? Math.max(1, (int) Math.round(cfg.finetuneFraction() * holder[0].epochsRun("train"))) : tc.epochs());
    long t0 = System.nanoTime();
    Odf2nnaReport r = new Odf2nna(cfg).listener(holder[0]).run(split);
    long t1 = System.nanoTime();
    progress.line(String.format(Locale.ROOT, "latency    batch %s, original and pruned in turn",
        String.join(" and ", java.util.Arrays.stream(LatencyPair.BATCHES).mapToObj(Integer::toString).toList())));
    List<LatencyPair> latency = LatencyPair.measure(r.original(), r.finetuned(), split.test(), latencyMillis, progress);
    long t2 = System.nanoTime();

    int epochsRun = r.originalTraining().epochsRun();
    Map<String, Object> recipe = TrainingOptions.describe(tc, hiddenOf(r), arch.activation());
    Map<String, String> provenance = Provenance.ofTraining("topiary demo", src, null, seed, Split.Fractions.DEFAULT,
        epochsRun, r.originalTraining().bestEpoch(), recipe, train.featureNames());
    Path original = dir.resolve("original.safetensors");
    Path pruned = dir.resolve("pruned.safetensors");
    Path reportFile = dir.resolve("report.json");
    Map<String, Object> full = PruneCommand.fullReport(r, latency);
    full.put("command", "demo");
    full.put("split_seed", seed);
    full.put("kernels", Kernels.implementation());
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("original", original.toString());
    files.put("pruned", pruned.toString());
    files.put("report", reportFile.toString());
    files.put("plot_svg", dir.resolve("search.svg").toString());
    files.put("plot_png", dir.resolve("search.png").toString());
    full.put("files", files);
    ModelFiles.save(r.original(), original, provenance);
    Map<String, String> prunedMeta = new LinkedHashMap<>(provenance);
    prunedMeta.put(Provenance.PRUNING, Json.write(PruneCommand.pruningSummary(PruningMethods.VARIANCE, r, original)));
    ModelFiles.save(r.finetuned(), pruned, prunedMeta);
    searchPlot(r, src).write(dir.resolve("search"));
    OutputFiles.writeText(reportFile, Json.writePretty(full) + "\n");

    if (json()) {
      printJson(full);
      return;
    }
    var o = out();
    o.println();
    o.printf(Locale.ROOT, "Topiary demo on %s (%s rows: %s training, %s validation, %s test; seed %d)%n", src,
        Format.grouped(loaded.train().rows()), Format.grouped(train.rows()),
        Format.grouped(split.validation().rows()), Format.grouped(split.test().rows()), seed);
    o.printf(Locale.ROOT, "Trained %s for %d epochs, removed the hidden units whose output barely varies,%n",
        r.original().describe(), epochsRun);
    o.printf(Locale.ROOT, "folded their means into the next layer's bias, and fine-tuned what was left.%n%n");
    o.print(PruneSummary.sizes(r, latency));
    if (!latency.isEmpty()) {
      o.printf(Locale.ROOT, "(latency: median of repeated calls after warm-up, %s kernels, %d threads)%n",
          Kernels.implementation(), Kernels.threads());
    }
    o.println();
    o.print(PruneSummary.scores(r));
    o.println();
    o.printf(Locale.ROOT, "Search: %s.%n", PruneSummary.epsilon(cfg.epsilon(), r));
    o.printf(Locale.ROOT, "Took %s: %s, latency %s.%n", Format.seconds((t2 - t0) / 1e9), stageTimes(r),
        Format.seconds((t2 - t1) / 1e9));
    o.println();
    o.println(PruneSummary.headline(r, latency));
    o.print(PruneSummary.speedNotes(latency));
    o.println();
    o.printf(Locale.ROOT, "Wrote %s: original.safetensors, pruned.safetensors, report.json, search.svg, search.png%n",
        out);
    o.printf(Locale.ROOT, "Next: topiary inspect --model %s%n", out.resolve("pruned.safetensors"));
  }

  private static String taskText(dev.topiary.core.model.Task t) {
    return t.isClassification() ? t.classes() + " classes" : "regression";
  }

  private static int[] hiddenOf(Odf2nnaReport r) {
    var layers = r.original().denseLayers();
    int[] h = new int[layers.size() - 1];
    for (int i = 0; i < h.length; i++) {
      h[i] = layers.get(i).outputSize();
    }
    return h;
  }

  private static String stageTimes(Odf2nnaReport r) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Duration> e : r.stageTimes().entrySet()) {
      parts.add(e.getKey() + " " + Format.seconds(e.getValue()));
    }
    return String.join(", ", parts);
  }

  /**
   * The automatic search's trials: the held-out metric of each candidate (validation, or the pooled
   * held-out rows of the tested search) against the fraction of parameters kept.
   */
  static Plot searchPlot(Odf2nnaReport r, String src) {
    double total = r.sizes().parametersBefore();
    List<double[]> ok = new ArrayList<>();
    List<double[]> bad = new ArrayList<>();
    double orig = r.validation().original();
    String metric = Scores.label(r.metric());
    String yLabel = "validation " + metric;
    if (r.selection() != null) {
      yLabel = "held-out " + metric;
      for (var level : r.selection().levels()) {
        orig = level.comparison().reference();
        (level.accepted() ? ok : bad).add(new double[] {level.parametersKept() / total, level.comparison().candidate()});
      }
    } else {
      for (Odf2nnaReport.Probe pr : r.probes()) {
        (pr.accepted() ? ok : bad).add(new double[] {pr.parametersKept() / total, pr.validationMetric()});
      }
    }
    Plot p = new Plot("Automatic ε search on " + src, "fraction of parameters kept", yLabel);
    double lo = r.sizes().parametersAfter() / total;
    for (double[] v : ok) {
      lo = Math.min(lo, v[0]);
    }
    for (double[] v : bad) {
      lo = Math.min(lo, v[0]);
    }
    p.add(new Plot.Series("original", new double[] {Math.min(lo, 1), 1}, new double[] {orig, orig}, true));
    p.add(series("too much lost", bad));
    p.add(series("no loss", ok));
    if (r.selection() == null) {
      p.add(new Plot.Series("chosen (fine-tuned)", new double[] {r.sizes().parametersAfter() / total},
          new double[] {r.validation().finetuned()}, false));
    }
    return p;
  }

  private static Plot.Series series(String name, List<double[]> points) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    return new Plot.Series(name, x, y, false);
  }
}
