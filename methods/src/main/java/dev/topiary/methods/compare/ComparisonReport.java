package dev.topiary.methods.compare;

import dev.topiary.core.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a {@link Comparison}: one entry per method, keep fraction and seed, and one summary row
 * per method and keep fraction, ready to be written as CSV, Markdown or JSON.
 *
 * @param data the data set's name
 * @param metric the test metric
 * @param seeds the seeds run
 * @param budget the budgets every method had
 * @param dense one entry per seed for the unpruned network (method {@code dense})
 * @param entries every method's result per keep fraction and seed
 * @param rows the summaries, dense first, then by keep fraction and method in the order given
 */
public record ComparisonReport(String data, Metric metric, List<Long> seeds, Budget budget, List<Entry> dense,
    List<Entry> entries, List<Row> rows) {

  /** Copies the lists. */
  public ComparisonReport {
    seeds = List.copyOf(seeds);
    dense = List.copyOf(dense);
    entries = List.copyOf(entries);
    rows = List.copyOf(rows);
  }

  /**
   * One method on one seed at one budget.
   *
   * @param method the method's name
   * @param keepTarget the requested fraction of parameters (1 for the dense network)
   * @param seed the seed
   * @param metric the test metric
   * @param parameters parameters kept (non-zero for masks)
   * @param flops FLOPs per example of dense inference
   * @param speedup measured dense/pruned inference time at batch 256
   * @param structural whether matrices shrank
   * @param epochsAfterPruning training epochs after pruning
   * @param seconds wall time of the method
   * @param detail what the method reported
   * @param extras method-specific figures (see {@link MethodResult#extras()}), in the JSON report
   */
  public record Entry(String method, double keepTarget, long seed, double metric, long parameters, long flops,
      double speedup, boolean structural, int epochsAfterPruning, double seconds, String detail,
      Map<String, Object> extras) {

    /** Copies the extras. */
    public Entry {
      extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** An entry without extras. */
    public Entry(String method, double keepTarget, long seed, double metric, long parameters, long flops,
        double speedup, boolean structural, int epochsAfterPruning, double seconds, String detail) {
      this(method, keepTarget, seed, metric, parameters, flops, speedup, structural, epochsAfterPruning, seconds,
          detail, Map.of());
    }
  }

  /**
   * One method at one budget, over the seeds.
   *
   * @param method the method's name
   * @param kind {@code structured}, {@code masks} or {@code dense}
   * @param keepTarget the requested fraction of parameters
   * @param metricMean mean test metric
   * @param metricSpread sample standard deviation of the test metric over seeds (0 for one seed)
   * @param metricMin smallest test metric
   * @param metricMax largest test metric
   * @param parametersKept mean parameters kept over the dense network's
   * @param flopsKept mean FLOPs of dense inference over the dense network's
   * @param speedup mean measured speed-up at batch 256
   * @param epochsAfterPruning training epochs after pruning
   * @param seconds mean wall time
   */
  public record Row(String method, String kind, double keepTarget, double metricMean, double metricSpread,
      double metricMin, double metricMax, double parametersKept, double flopsKept, double speedup,
      int epochsAfterPruning, double seconds) {}

  /** Summarises entries: one row per (keep fraction, method) in order of first appearance. */
  static List<Row> summarise(List<Entry> entries, Map<Long, long[]> denseSizes) {
    Map<String, List<Entry>> groups = new LinkedHashMap<>();
    for (Entry e : entries) {
      groups.computeIfAbsent(e.keepTarget() + "\u0000" + e.method(), k -> new ArrayList<>()).add(e);
    }
    List<Row> out = new ArrayList<>();
    for (List<Entry> g : groups.values()) {
      int n = g.size();
      double mean = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double params = 0;
      double flops = 0;
      double speed = 0;
      double secs = 0;
      for (Entry e : g) {
        mean += e.metric() / n;
        min = Math.min(min, e.metric());
        max = Math.max(max, e.metric());
        long[] d = denseSizes.get(e.seed());
        params += (double) e.parameters() / d[0] / n;
        flops += (double) e.flops() / d[1] / n;
        speed += e.speedup() / n;
        secs += e.seconds() / n;
      }
      double ss = 0;
      for (Entry e : g) {
        ss += (e.metric() - mean) * (e.metric() - mean);
      }
      Entry first = g.get(0);
      String kind = first.method().equals("dense") ? "dense" : first.structural() ? "structured" : "masks";
      out.add(new Row(first.method(), kind, first.keepTarget(), mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0,
          min, max, params, flops, speed, first.epochsAfterPruning(), secs));
    }
    return out;
  }

  /** The summary rows as CSV with a header line. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder("keep_target,method,kind,seeds,metric,metric_mean,metric_spread,"
        + "metric_min,metric_max,parameters_kept,flops_kept,speedup_b256,epochs_after_pruning,seconds\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%.4f,%s,%s,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%d,%.3f%n",
          r.keepTarget(), r.method(), r.kind(), seeds.size(), metric.id(), r.metricMean(), r.metricSpread(),
          r.metricMin(), r.metricMax(), r.parametersKept(), r.flopsKept(), r.speedup(), r.epochsAfterPruning(),
          r.seconds()));
    }
    return sb.toString();
  }

  /** The summary rows as a Markdown table, with a note on what masks mean. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Pruning comparison on ").append(data).append("\n\n");
    sb.append(String.format(Locale.ROOT, "Test %s, mean ± standard deviation over %d seed(s); network %s, "
        + "%d training epochs, %d epochs after pruning.%n%n", metric.id(), seeds.size(),
        java.util.Arrays.toString(budget.hidden()), budget.trainEpochs(), budget.finetuneEpochs()));
    sb.append("| keep target | method | kind | test ").append(metric.id())
        .append(" | parameters kept | FLOPs kept | speed-up @256 | epochs after pruning |\n");
    sb.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %.2f | %s | %s | %.4f ± %.4f | %.3f | %.3f | %.2f× | %d |%n",
          r.keepTarget(), r.method(), r.kind(), r.metricMean(), r.metricSpread(), r.parametersKept(),
          r.flopsKept(), r.speedup(), r.epochsAfterPruning()));
    }
    List<Entry> searched = entries.stream().filter(e -> e.extras().containsKey("nu")).toList();
    if (!searched.isEmpty()) {
      sb.append("\nFLOPs-matched methods: ν searched so the network keeps the other structured methods' mean "
          + "FLOPs (fraction of dense) at each keep target and seed.\n\n");
      sb.append("| keep target | method | seed | target FLOPs | tolerance | ν | trainings | FLOPs kept | hit |\n");
      sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (Entry e : searched) {
        Map<String, Object> x = e.extras();
        sb.append(String.format(Locale.ROOT, "| %.2f | %s | %d | %.3f | ±%.3f | %.4g | %s | %.3f | %s |%n",
            e.keepTarget(), e.method(), e.seed(), (Double) x.get("target_flops_fraction"),
            (Double) x.get("tolerance"), (Double) x.get("nu"), x.get("trainings"),
            (Double) x.get("flops_fraction"), Boolean.TRUE.equals(x.get("hit")) ? "yes" : "no"));
      }
    }
    sb.append("\nMasks (unstructured pruning) count non-zero weights plus biases as parameters; their matrices "
        + "keep their shapes, so dense inference runs the same FLOPs and gains no speed.\n");
    return sb.toString();
  }

  /** Everything as JSON-ready maps and lists. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    m.put("metric", metric.id());
    m.put("seeds", seeds);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("hidden", budget.hidden());
    b.put("activation", budget.activation().name().toLowerCase(Locale.ROOT));
    b.put("trainEpochs", budget.trainEpochs());
    b.put("finetuneEpochs", budget.finetuneEpochs());
    b.put("batchSize", budget.batchSize());
    b.put("learningRate", budget.learningRate());
    b.put("rewindEpochs", budget.rewindEpochs());
    m.put("budget", b);
    List<Object> rs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("method", r.method());
      x.put("kind", r.kind());
      x.put("keepTarget", r.keepTarget());
      x.put("metricMean", r.metricMean());
      x.put("metricSpread", r.metricSpread());
      x.put("metricMin", r.metricMin());
      x.put("metricMax", r.metricMax());
      x.put("parametersKept", r.parametersKept());
      x.put("flopsKept", r.flopsKept());
      x.put("speedupBatch256", r.speedup());
      x.put("epochsAfterPruning", r.epochsAfterPruning());
      x.put("seconds", r.seconds());
      rs.add(x);
    }
    m.put("rows", rs);
    List<Object> es = new ArrayList<>();
    List<Entry> all = new ArrayList<>(dense);
    all.addAll(entries);
    for (Entry e : all) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("method", e.method());
      x.put("keepTarget", e.keepTarget());
      x.put("seed", e.seed());
      x.put("metric", e.metric());
      x.put("parameters", e.parameters());
      x.put("flops", e.flops());
      x.put("speedupBatch256", e.speedup());
      x.put("structural", e.structural());
      x.put("epochsAfterPruning", e.epochsAfterPruning());
      x.put("seconds", e.seconds());
      x.put("detail", e.detail());
      if (!e.extras().isEmpty()) {
        x.put("search", e.extras());
      }
      es.add(x);
    }
    m.put("entries", es);
    return m;
  }
}
