package dev.topiary.spark.bench;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.spark.InputColumns;
import dev.topiary.spark.SparkPruning;
import dev.topiary.spark.TopiaryModelBytes;
import dev.topiary.spark.TopiaryScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Rows per second scoring a synthetic table on Spark: Spark ML's {@link MultilayerPerceptronClassificationModel}
 * and {@link TopiaryScorer} with the same dense network (sigmoid hidden units, Spark ML's only choice),
 * and TopiaryScorer with that network pruned by σ on statistics gathered on Spark. Each timed run scores
 * the whole cached table, sums the predictions and counts the logit and probability vectors, so no
 * output column can be optimised away. Variants are interleaved, each run once untimed first; the report gives the median and
 * range of each, and the ratios. With {@code --encoder-route true} the Topiary models also score through
 * {@link TopiaryScorer#transformRows} (every row through Spark's Row encoder), for comparison with the
 * internal-row route that {@code transform} takes.
 *
 * <pre>
 * ScoringBench [--rows N] [--features F] [--hidden W,W] [--classes K] [--remove FRACTION] [--repeats R]
 *              [--partitions P|auto] [--master M] [--encoder-route true|false]
 * </pre>
 */
public final class ScoringBench {

  private ScoringBench() {}

  /** Runs the benchmark; see the class description for the options. */
  public static void main(String[] args) {
    Map<String, String> o = new LinkedHashMap<>(Map.of("rows", "1000000", "features", "64", "hidden",
        "256,256", "classes", "10", "remove", "0.5", "repeats", "5", "partitions", "auto", "master", "local[2]",
        "encoder-route", "false"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !o.containsKey(args[i].substring(2))) {
        System.err.println("unknown option " + args[i] + "; options: " + o.keySet());
        System.exit(2);
      }
      o.put(args[i].substring(2), args[i + 1]);
    }
    long rows = Long.parseLong(o.get("rows"));
    int features = Integer.parseInt(o.get("features"));
    int[] hidden = Arrays.stream(o.get("hidden").split(",")).mapToInt(Integer::parseInt).toArray();
    int classes = Integer.parseInt(o.get("classes"));
    double remove = Double.parseDouble(o.get("remove"));
    int repeats = Integer.parseInt(o.get("repeats"));
    // Blocks of at most about 150 MB cached (250,000 rows at 64 features), an even count for local[2].
    int partitions = o.get("partitions").equals("auto")
        ? (int) Math.max(2, 2 * ((rows * features / 16_000_000L) / 2 + 1)) : Integer.parseInt(o.get("partitions"));
    boolean encoderRoute = Boolean.parseBoolean(o.get("encoder-route"));

    SparkSession spark = SparkSession.builder().master(o.get("master")).appName("topiary-scoring-bench")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      // Synthetic inputs: per-column offsets and scales, so units differ in spread and pruning bites.
      List<Column> cols = new ArrayList<>();
      for (int j = 0; j < features; j++) {
        cols.add(functions.randn(1000 + j).multiply(1 + j % 5).plus(j % 3).as("x" + j));
      }
      Dataset<Row> raw = spark.range(0, rows, 1, partitions).select(cols.toArray(new Column[0]));
      String[] names = raw.columns();
      Dataset<Row> table = new VectorAssembler().setInputCols(names).setOutputCol("features").transform(raw)
          .select("features").persist(StorageLevel.MEMORY_ONLY());
      long n = table.count();
      for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
        if (info.numCachedPartitions() < info.numPartitions()) {
          System.out.printf("WARNING: only %d of %d partitions of the table fit in memory; the others are "
              + "recomputed in every run. Give the JVM more heap (JAVA_OPTS=-Xmx…).%n",
              info.numCachedPartitions(), info.numPartitions());
        }
      }

      List<String> labels = new ArrayList<>();
      for (int c = 0; c < classes; c++) {
        labels.add("c" + c);
      }
      Network dense = Network.mlp(features, hidden, Activation.SIGMOID, Task.classification(labels), 7);
      TopiaryModelBytes denseBytes = TopiaryModelBytes.of(dense);
      // Statistics and pruning on Spark, on a tenth of the table.
      PruningResult pruned = SparkPruning.prune(denseBytes, table.sample(0.1, 11),
          InputColumns.features("features"), VarianceCriterion.INSTANCE, ThresholdRule.fractionPerLayer(remove),
          StatisticsOptions.defaults());
      TopiaryModelBytes prunedBytes = TopiaryModelBytes.of(pruned.network());

      Map<String, Transformer> variants = new LinkedHashMap<>();
      variants.put("spark-ml-mlp", sparkMlp(dense));
      variants.put("topiary-dense", new TopiaryScorer(denseBytes));
      variants.put("topiary-pruned", new TopiaryScorer(prunedBytes));
      if (encoderRoute) {
        variants.put("dense-encoder", encoderRoute(new TopiaryScorer(denseBytes)));
        variants.put("pruned-encoder", encoderRoute(new TopiaryScorer(prunedBytes)));
      }

      System.out.printf("table: %,d rows x %d features in %d partitions, master %s, kernels %s (%d-bit)%n", n,
          features, table.javaRDD().getNumPartitions(), o.get("master"), Kernels.implementation(),
          Kernels.vectorBitSize());
      System.out.printf("dense  %s: %,d FLOPs/row%n", Arrays.toString(widths(dense)), dense.flops());
      System.out.printf("pruned %s: %,d FLOPs/row (%.2fx fewer)%n", Arrays.toString(widths(pruned.network())),
          pruned.network().flops(), (double) dense.flops() / pruned.network().flops());
      System.out.printf("largest |probability difference| Spark ML vs Topiary (dense), first 1000 rows: %.2e%n",
          maxDifference(variants.get("spark-ml-mlp"), variants.get("topiary-dense"), table.limit(1000)));

      Map<String, double[]> perSecond = new LinkedHashMap<>();
      for (String v : variants.keySet()) {
        time(variants.get(v), table); // warm-up
        perSecond.put(v, new double[repeats]);
      }
      for (int r = 0; r < repeats; r++) {
        for (String v : variants.keySet()) {
          perSecond.get(v)[r] = n / time(variants.get(v), table);
        }
      }
      System.out.printf("%-16s %16s %26s%n", "variant", "rows/s (median)", "range");
      for (String v : variants.keySet()) {
        double[] s = perSecond.get(v).clone();
        Arrays.sort(s);
        System.out.printf("%-16s %,16.0f %,12.0f .. %,12.0f%n", v, s[s.length / 2], s[0], s[s.length - 1]);
      }
      System.out.printf("topiary-dense / spark-ml-mlp:  %s%n", ratio(perSecond, "topiary-dense", "spark-ml-mlp"));
      System.out.printf("topiary-pruned / topiary-dense: %s (FLOPs ratio %.2f)%n",
          ratio(perSecond, "topiary-pruned", "topiary-dense"), (double) dense.flops() / pruned.network().flops());
      System.out.printf("topiary-pruned / spark-ml-mlp: %s%n", ratio(perSecond, "topiary-pruned", "spark-ml-mlp"));
      if (encoderRoute) {
        System.out.printf("topiary-dense / dense-encoder: %s%n", ratio(perSecond, "topiary-dense", "dense-encoder"));
        System.out.printf("pruned-encoder / dense-encoder: %s%n",
            ratio(perSecond, "pruned-encoder", "dense-encoder"));
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * Seconds to score every row. The query sums the predictions and counts the non-null logit and
   * probability vectors: every output column is computed (Spark ML's are nullable UDF results, so the
   * counts cannot be answered without them) but none is converted back to a Java object, which would add
   * the same per-row cost to every variant.
   */
  private static double time(Transformer model, Dataset<Row> table) {
    Dataset<Row> scored = model.transform(table);
    long t0 = System.nanoTime();
    scored.agg(functions.sum("prediction"), functions.count("probability"), functions.count("rawPrediction"))
        .collectAsList();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A transformer that scores through {@link TopiaryScorer#transformRows}, the Row-encoder route. */
  private static Transformer encoderRoute(TopiaryScorer scorer) {
    return new org.apache.spark.ml.Transformer() {
      private static final long serialVersionUID = 1L;

      @Override
      public Dataset<Row> transform(Dataset<?> dataset) {
        return scorer.transformRows(dataset);
      }

      @Override
      public org.apache.spark.sql.types.StructType transformSchema(org.apache.spark.sql.types.StructType schema) {
        return scorer.transformSchema(schema);
      }

      @Override
      public Transformer copy(org.apache.spark.ml.param.ParamMap extra) {
        return this;
      }

      @Override
      public String uid() {
        return scorer.uid() + "-rows";
      }
    };
  }

  /** Ratio of medians, with the range of the per-repeat ratios (runs of one repeat are adjacent). */
  private static String ratio(Map<String, double[]> perSecond, String a, String b) {
    double[] x = perSecond.get(a);
    double[] y = perSecond.get(b);
    double[] r = new double[x.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = x[i] / y[i];
    }
    Arrays.sort(r);
    return String.format("%.2fx (median of %d paired runs, range %.2f .. %.2f)", r[r.length / 2], r.length, r[0],
        r[r.length - 1]);
  }

  private static int[] widths(Network network) {
    return network.denseLayers().stream().mapToInt(DenseLayer::outputSize).toArray();
  }

  /**
   * Spark ML's MLP with {@code network}'s weights. Spark stores each layer as its [out × in] weight matrix
   * column-major followed by the out biases; hidden layers are sigmoid and the last is softmax, so its
   * rawPrediction is the logits and its probability their softmax, as Topiary's.
   */
  static MultilayerPerceptronClassificationModel sparkMlp(Network network) {
    List<DenseLayer> layers = network.denseLayers();
    int[] sizes = new int[layers.size() + 1];
    sizes[0] = network.inputSize();
    int total = 0;
    for (int l = 0; l < layers.size(); l++) {
      DenseLayer d = layers.get(l);
      Activation expected = l == layers.size() - 1 ? Activation.IDENTITY : Activation.SIGMOID;
      if (d.activation() != expected) {
        throw new IllegalArgumentException("Spark ML's MLP has sigmoid hidden units only; layer " + l + " is "
            + d.activation());
      }
      sizes[l + 1] = d.outputSize();
      total += d.outputSize() * (d.inputSize() + 1);
    }
    double[] w = new double[total];
    int off = 0;
    for (DenseLayer d : layers) {
      int in = d.inputSize();
      int out = d.outputSize();
      float[] wt = d.weight();
      for (int i = 0; i < in; i++) {
        for (int u = 0; u < out; u++) {
          w[off + u + i * out] = wt[u * in + i];
        }
      }
      off += in * out;
      float[] b = d.bias();
      for (int u = 0; u < out; u++) {
        w[off + u] = b[u];
      }
      off += out;
    }
    MultilayerPerceptronClassificationModel m =
        new MultilayerPerceptronClassificationModel("spark-mlp", Vectors.dense(w));
    m.set(m.layers(), sizes);
    return m;
  }

  private static double maxDifference(Transformer a, Transformer b, Dataset<Row> rows) {
    List<Row> x = a.transform(rows).select("probability").collectAsList();
    List<Row> y = b.transform(rows).select("probability").collectAsList();
    double max = 0;
    for (int i = 0; i < x.size(); i++) {
      double[] p = ((org.apache.spark.ml.linalg.Vector) x.get(i).get(0)).toArray();
      double[] q = ((org.apache.spark.ml.linalg.Vector) y.get(i).get(0)).toArray();
      for (int j = 0; j < p.length; j++) {
        max = Math.max(max, Math.abs(p[j] - q[j]));
      }
    }
    return max;
  }
}
