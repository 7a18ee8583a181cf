package dev.topiary.methods.odf2nna;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.methods.measure.Latency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-run: the ODF2NNA results table of docs/results.md. For each data set and seeds 1–3, the default
 * recipe ({@link Odf2nnaConfig#defaults()}: 3 × 256 ReLU, automatic ε with no validation loss allowed,
 * judged after fine-tuning, one-shot statistics, fine-tuning for 15 % of the original epochs) with the
 * from-scratch control, on the default 70/15/15 split (Fashion-MNIST keeps its own 10,000-image test set
 * and splits the 60,000 training images 82/18). Prints one Markdown row per data set: mean ± standard
 * deviation over the seeds.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "$(cat cp.txt)" dev.topiary.methods.odf2nna.ResultsReport \
 *       [iris wine ... fashion]
 * </pre>
 */
public final class ResultsReport {

  private ResultsReport() {}

  /**
   * The recipe variant under study, from system properties: {@code -Dschedule=layer},
   * {@code -Drelative=true}, {@code -Dbefore=true} (judge ε before fine-tuning), {@code -Dtolerance=T},
   * {@code -Dfinetune=F}, {@code -Dmetric=NAME} (the judged and reported metric).
   */
  static Odf2nnaConfig variant(Odf2nnaConfig c) {
    if ("layer".equals(System.getProperty("schedule"))) {
      c = c.withSchedule(dev.topiary.pruning.pruner.Schedule.LAYER_BY_LAYER);
    }
    c = c.withEpsilon(new EpsilonChoice.Auto(Double.parseDouble(System.getProperty("tolerance", "0")),
        Boolean.getBoolean("relative"), !Boolean.getBoolean("before")));
    if (System.getProperty("finetune") != null) {
      c = c.withFinetuneFraction(Double.parseDouble(System.getProperty("finetune")));
    }
    if (System.getProperty("metric") != null) {
      c = c.withMetric(dev.topiary.core.metrics.Metric.parse(System.getProperty("metric")));
    }
    return c;
  }

  public static void main(String[] args) throws Exception {
    List<String> sets = args.length > 0 ? List.of(args)
        : List.of("iris", "wine", "breast_cancer", "digits", "penguins", "diabetes", "concrete", "fashion");
    System.out.println("| data set | metric | params removed | FLOPs removed | original | pruned | fine-tuned"
        + " | from scratch | speed-up b256 | speed-up b1 | topology after (seed 1) |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (String set : sets) {
      Loaded loaded;
      Split.Fractions fractions = Split.Fractions.DEFAULT;
      if (set.equals("fashion")) {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        if (!Files.isDirectory(dir)) {
          System.out.println("| fashion | (not installed: apt-get install dataset-fashion-mnist) |");
          continue;
        }
        loaded = DataSources.load("idx:" + dir);
        fractions = new Split.Fractions(0.82, 0.18, 0.0);
      } else {
        loaded = DataSources.load("builtin:" + set);
      }
      List<double[]> rows = new ArrayList<>();
      String topology = "";
      String metric = "";
      for (long seed = 1; seed <= 3; seed++) {
        Split split = Split.of(loaded, fractions, seed);
        Odf2nnaReport r = new Odf2nna(variant(Odf2nnaConfig.defaults().withCompareScratch(true)
            .withSeed(seed))).run(split);
        float[] x = split.test().x();
        double s256 = Latency.speedup(r.original(), r.finetuned(), x, split.test().rows(), 256, 7);
        double s1 = Latency.speedup(r.original(), r.finetuned(), x, split.test().rows(), 1, 7);
        rows.add(new double[] {100 * r.parametersRemoved(), 100 * r.flopsRemoved(), r.test().original(),
            r.test().pruned(), r.test().finetuned(), r.test().scratch(), s256, s1});
        if (seed == 1) {
          topology = r.finetuned().describe();
        }
        metric = r.metric().id();
        System.err.printf(Locale.ROOT, "%s seed %d: %s%n", set, seed, java.util.Arrays.toString(rows.get(rows.size() - 1)));
      }
      StringBuilder line = new StringBuilder("| " + set + " | " + metric);
      String[] formats = {"%.1f %%", "%.1f %%", "%.4f", "%.4f", "%.4f", "%.4f", "%.2f×", "%.2f×"};
      String[] spreads = {"%.1f", "%.1f", "%.4f", "%.4f", "%.4f", "%.4f", "%.2f", "%.2f"};
      for (int c = 0; c < formats.length; c++) {
        double mean = 0;
        for (double[] r : rows) {
          mean += r[c];
        }
        mean /= rows.size();
        double var = 0;
        for (double[] r : rows) {
          var += (r[c] - mean) * (r[c] - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, rows.size() - 1));
        line.append(" | ").append(String.format(Locale.ROOT, formats[c], mean))
            .append(String.format(Locale.ROOT, " ± " + spreads[c], sd));
      }
      line.append(" | ").append(topology).append(" |");
      System.out.println(line);
    }
  }
}
