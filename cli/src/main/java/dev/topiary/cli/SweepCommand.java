package dev.topiary.cli;

import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.json.Json;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.odf2nna.EpsilonChoice;
import dev.topiary.methods.odf2nna.Odf2nna;
import dev.topiary.methods.odf2nna.Odf2nnaConfig;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topiary sweep}: the metric against the parameters kept, over a grid of ε. */
@Command(name = "sweep",
    header = "Metric against parameters kept, over a grid of ε.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Train one oversized network, then prune it at a grid of ε and fine-tune each result, to "
          + "show how the test metric falls as parameters go. The grid is ε at the quantiles 0, …, 0.95 "
          + "of the sorted σ of all hidden units (so about that share of units is removed at each "
          + "point).",
      "",
      "Writes DIR/sweep.csv, DIR/sweep.json, DIR/sweep.svg and DIR/sweep.png (metric against "
          + "fraction of parameters kept), and the trained network as DIR/original.safetensors."
    })
final class SweepCommand extends CommandBase {

  @Mixin DataOptions input;

  @Mixin TaskOption task;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the results (created if missing).")
  Path out;

  @Option(names = "--method", paramLabel = "NAME", defaultValue = "variance",
      description = "Pruning method: variance, the only one a σ grid fits (prune takes every criterion).")
  String method;

  @Option(names = "--points", paramLabel = "N", defaultValue = "10",
      description = "Grid points, from removing nothing to removing 95 % of the units (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--scratch",
      description = "Also train each pruned architecture from scratch (the control; slower).")
  boolean scratch;

  @Option(names = "--depth", paramLabel = "L", defaultValue = "3",
      description = "Hidden layers of the oversized network (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--width", paramLabel = "W", defaultValue = "256",
      description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", description = "Hidden activation (default: relu).")
  Activation activation;

  @Option(names = "--finetune", paramLabel = "FRACTION", defaultValue = "0.15",
      description = "Fine-tune for this fraction of the original epochs (default: ${DEFAULT-VALUE}).")
  double finetune;

  @Mixin SeedOption seedOption;

  @Mixin TrainingOptions training;

  /** The files written to the output directory. */
  static final List<String> FILES = List.of("sweep.csv", "sweep.json", "sweep.svg", "sweep.png", "original.safetensors");

  /** One grid point. */
  record Point(double epsilon, Odf2nnaReport report) {}

  @Override
  void execute() throws Exception {
    String m = PruningMethods.checkVariance("sweep", method);
    if (points < 2 || points > 200) {
      throw new InputException("--points must be between 2 and 200, found " + points);
    }
    if (depth < 1 || width < 1) {
      throw new InputException("--depth and --width must be at least 1, found " + depth + " and " + width);
    }
    if (!(finetune >= 0 && finetune <= 1)) {
      throw new InputException("--finetune must be a fraction in [0, 1], found " + finetune);
    }
    long seed = seedOption.orDefault();
    String data = input.data;
    String target = input.target();
    OutputFiles.refuseClashes(java.util.Collections.singletonMap("--data", input.file()),
        OutputFiles.inDirectory("--out", out, FILES));
    Progress progress = progress();
    int[] widths = new int[depth];
    Arrays.fill(widths, width);
    long heap = Runtime.getRuntime().maxMemory();
    NetworkSizes.check("--width", Integer.toString(width), 0, widths, 0, 128, 0, heap);
    Loaded read = input.load(target, task.choice());
    read.warnings().forEach(w -> err().println("topiary: warning: " + w));
    DataInput.Prepared prepared = DataInput.splitAndImpute(read, Split.Fractions.DEFAULT, seed);
    Loaded loaded = prepared.loaded();
    Split split = prepared.split();
    NetworkSizes.check("--width", Integer.toString(width), loaded.train().features(), widths,
        loaded.train().task().outputs(), 128, 4L * loaded.train().x().length, heap);
    Path dir = OutputFiles.prepareDirectory("--out", out);
    var train = split.train();
    int[] hidden = new int[depth];
    Arrays.fill(hidden, width);
    Network net = Scaling.fit(Network.mlp(train.features(), hidden, activation, train.task(), seed), train);
    TrainingConfig tc = training.build(train.task(), train.rows(), seed).withValidation(split.validation());
    progress.line(String.format(Locale.ROOT, "train      %s on %s, up to %d epochs", net.describe(), data, tc.epochs()));
    TrainingResult trained = new Trainer(tc).addListener(ProgressListener.epochs(progress, "train", tc.epochs()))
        .fit(net, train);
    progress.line(String.format(Locale.ROOT, "train      done in %s: %s", Format.seconds(trained.wallTime()),
        TrainCommand.epochsText(trained, tc)));
    Map<String, Object> recipe = TrainingOptions.describe(tc, hidden, activation);
    Map<String, String> meta = Provenance.ofTraining("topiary sweep", DataInput.canonical(data), target, seed,
        Split.Fractions.DEFAULT, trained.epochsRun(), trained.bestEpoch(), recipe);
    if (prepared.imputation() != null) {
      meta.put(dev.topiary.core.data.Imputation.METADATA_KEY, prepared.imputation().toMetadata());
    }
    ModelFiles.save(net, dir.resolve("original.safetensors"), meta);

    double[] grid = grid(net, train, points);
    Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withTraining(tc).withFinetuneFraction(finetune)
        .withCompareScratch(scratch).withSeed(seed);
    List<Point> results = new ArrayList<>();
    int ft = finetune == 0 ? 0 : Math.max(1, (int) Math.round(finetune * trained.epochsRun()));
    for (int i = 0; i < grid.length; i++) {
      double eps = grid[i];
      Odf2nna recipe2 = new Odf2nna(cfg.withEpsilon(new EpsilonChoice.Fixed(ThresholdRule.absolute(eps))));
      String label = "point " + (i + 1) + "/" + grid.length;
      Odf2nnaReport r = recipe2.listener(new ProgressListener(progress,
          s -> s.equals("finetune") ? ft : tc.epochs(), false)).prune(net, trained.epochsRun(), split);
      results.add(new Point(eps, r));
      progress.line(String.format(Locale.ROOT, "%-10s ε %-10s %5.1f %% of parameters kept, test %s %s", label,
          epsText(eps), 100 * (1 - r.parametersRemoved()), r.metric().id(), Format.metric(r.test().finetuned())));
    }

    Odf2nnaReport first = results.get(0).report();
    String metric = Scores.label(first.metric());
    OutputFiles.writeText(dir.resolve("sweep.csv"), csv(results));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "sweep");
    summary.put("data", DataInput.canonical(data));
    summary.put("method", m);
    summary.put("metric", first.metric().id());
    Map<String, Object> orig = new LinkedHashMap<>();
    orig.put("topology", net.describe());
    orig.put("parameters", net.parameterCount());
    orig.put("flops", net.flops());
    orig.put("epochs", trained.epochsRun());
    orig.put("test", Format.finite(first.test().original()));
    orig.put("validation", Format.finite(first.validation().original()));
    summary.put("original", orig);
    List<Object> pts = new ArrayList<>();
    for (Point p : results) {
      pts.add(pointMap(p));
    }
    summary.put("points", pts);
    Map<String, Object> files = new LinkedHashMap<>();
    for (String f : FILES) {
      files.put(f.replace('.', '_'), dir.resolve(f).toString());
    }
    summary.put("files", files);
    plot(results, metric, data).write(dir.resolve("sweep"));
    OutputFiles.writeText(dir.resolve("sweep.json"), Json.writePretty(summary) + "\n");

    if (json()) {
      printJson(summary);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Sweep of %s on %s: %s trained %d epochs, test %s %s.%n%n", m, data, net.describe(),
        trained.epochsRun(), metric, Format.metric(first.test().original()));
    TextTable t = scratch
        ? new TextTable("ε", "shape", "parameters kept", "test, pruned", "test, fine-tuned", "test, from scratch")
        : new TextTable("ε", "shape", "parameters kept", "test, pruned", "test, fine-tuned");
    for (Point p : results) {
      Odf2nnaReport r = p.report();
      String kept = Format.percent(1 - r.parametersRemoved());
      if (scratch) {
        t.row(epsText(p.epsilon()), r.finetuned().describe(), kept, Format.metric(r.test().pruned()),
            Format.metric(r.test().finetuned()), Format.metric(r.test().scratch()));
      } else {
        t.row(epsText(p.epsilon()), r.finetuned().describe(), kept, Format.metric(r.test().pruned()),
            Format.metric(r.test().finetuned()));
      }
    }
    o.print(t.render());
    o.printf(Locale.ROOT, "%nWrote %s/sweep.csv, sweep.json, sweep.svg, sweep.png and original.safetensors.%n", out);
  }

  /**
   * ε at the quantiles 0, …, 0.95 of the sorted σ of all hidden units, without repeats; the first point,
   * a negative ε, removes nothing.
   */
  static double[] grid(Network net, dev.topiary.core.data.Dataset train, int points) {
    List<Double> sigma = new ArrayList<>();
    for (LayerScores s : VarianceCriterion.INSTANCE.scoreAll(UnitStatistics.gather(net, train))) {
      for (double v : s.scores()) {
        sigma.add(v);
      }
    }
    double[] sorted = sigma.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    TreeSet<Double> eps = new TreeSet<>();
    eps.add(-1.0);
    for (int i = 1; i < points; i++) {
      double f = 0.95 * i / (points - 1);
      int k = (int) Math.ceil(f * sorted.length) - 1;
      eps.add(sorted[Math.max(0, Math.min(sorted.length - 1, k))]);
    }
    return eps.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String epsText(double eps) {
    return eps < 0 ? "none" : String.format(Locale.ROOT, "%.4g", eps);
  }

  private static Map<String, Object> pointMap(Point p) {
    Odf2nnaReport r = p.report();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("epsilon", p.epsilon() < 0 ? null : p.epsilon());
    e.put("topology", r.finetuned().describe());
    e.put("units_removed", r.plan().removedUnits());
    e.put("parameters", r.sizes().parametersAfter());
    e.put("parameters_kept", 1 - r.parametersRemoved());
    e.put("flops", r.sizes().flopsAfter());
    e.put("test", scoresMap(r.test()));
    e.put("validation", scoresMap(r.validation()));
    return e;
  }

  private static Map<String, Object> scoresMap(Odf2nnaReport.Scores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pruned", Format.finite(s.pruned()));
    m.put("finetuned", Format.finite(s.finetuned()));
    m.put("scratch", Format.finite(s.scratch()));
    return m;
  }

  static String csv(List<Point> results) {
    StringBuilder sb = new StringBuilder("epsilon,topology,units_removed,parameters,parameters_kept,flops,"
        + "test_pruned,test_finetuned,test_scratch,validation_pruned,validation_finetuned,validation_scratch\n");
    for (Point p : results) {
      Odf2nnaReport r = p.report();
      sb.append(p.epsilon() < 0 ? "" : Double.toString(p.epsilon())).append(',')
          .append(r.finetuned().describe()).append(',')
          .append(r.plan().removedUnits()).append(',')
          .append(r.sizes().parametersAfter()).append(',')
          .append(1 - r.parametersRemoved()).append(',')
          .append(r.sizes().flopsAfter()).append(',')
          .append(cell(r.test().pruned())).append(',')
          .append(cell(r.test().finetuned())).append(',')
          .append(cell(r.test().scratch())).append(',')
          .append(cell(r.validation().pruned())).append(',')
          .append(cell(r.validation().finetuned())).append(',')
          .append(cell(r.validation().scratch())).append('\n');
    }
    return sb.toString();
  }

  private static String cell(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "";
  }

  static Plot plot(List<Point> results, String metric, String data) {
    int n = results.size();
    double[] x = new double[n];
    double[] ft = new double[n];
    double[] pr = new double[n];
    double[] sc = new double[n];
    boolean anyScratch = false;
    for (int i = 0; i < n; i++) {
      Odf2nnaReport r = results.get(i).report();
      x[i] = 1 - r.parametersRemoved();
      ft[i] = r.test().finetuned();
      pr[i] = r.test().pruned();
      sc[i] = r.test().scratch();
      anyScratch |= Double.isFinite(sc[i]);
    }
    double lo = Arrays.stream(x).min().orElse(0);
    double orig = results.get(0).report().test().original();
    Plot p = new Plot("Pruning sweep on " + data, "fraction of parameters kept", "test " + metric);
    p.add(new Plot.Series("pruned + fine-tuned", x, ft, true));
    p.add(new Plot.Series("before fine-tuning", x, pr, true));
    if (anyScratch) {
      p.add(new Plot.Series("from scratch", x, sc, true));
    }
    p.add(new Plot.Series("original", new double[] {lo, 1}, new double[] {orig, orig}, true));
    return p;
  }
}
