package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Parallelism;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.stats.Histograms;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The per-unit statistics pass of pruning ({@link UnitStatistics#gather}) over a Spark table: every
 * partition runs its rows through the network in batches and reduces every hidden layer's outputs to
 * mergeable moments, and a {@code treeAggregate} merges the partitions' moments with Chan's formula. The
 * result is a {@link UnitStatistics} equal, up to float rounding, to the single-JVM pass over the same
 * rows, whatever the partitioning; {@code UnitPruner.plan} and {@code Surgery} use it as usual (see
 * {@link SparkPruning}).
 *
 * <p>Everything {@link StatisticsOptions} can ask for is gathered: means and σ always, activation
 * summaries (APoZ, mean |h|), per-class moments when a label column is given, the covariance of each
 * prunable layer, and histograms, which take a second pass over the ranges the first one found, as on
 * one JVM. {@link StatisticsOptions#batchRows()} sets the batch size; {@link StatisticsOptions#threads()}
 * is ignored, since Spark's tasks are the parallelism.
 *
 * <p>Missing features (null, NaN, infinite) follow the model's recorded missing-value policy, as in
 * {@link TopiaryScorer} by default: filled with the model's recorded imputation, exactly as on one JVM, or
 * a {@link MissingFeatureException} when the model records none. (To leave such rows out instead, drop
 * them from the table first, e.g. with {@code na().drop()}.)
 */
public final class SparkUnitStatistics {

  /** Depth of the aggregation tree: partitions merge in executors in two rounds before the driver. */
  public static final int TREE_DEPTH = 2;

  private SparkUnitStatistics() {}

  /** Means and σ of every hidden unit over the vector column {@code featuresCol} of {@code data}. */
  public static UnitStatistics gather(TopiaryModelBytes model, Dataset<?> data, String featuresCol) {
    return gather(model, data, InputColumns.features(featuresCol), StatisticsOptions.defaults());
  }

  /**
   * Statistics of {@code model}'s hidden units over {@code data}, as {@code options} asks for them.
   *
   * @throws IllegalArgumentException if a column is missing or of the wrong type
   * @throws EvaluationDataException if the table has fewer than two rows or a statistic is not finite
   * @throws org.apache.spark.SparkException (from the job) with a {@link MissingFeatureException} cause for
   *     a missing feature, or an {@link EvaluationDataException} cause for a label outside the classes
   */
  public static UnitStatistics gather(TopiaryModelBytes model, Dataset<?> data, InputColumns columns,
      StatisticsOptions options) {
    Dataset<Row> df = data.toDF();
    return gather(model, df.javaRDD(), df.schema(), columns, options);
  }

  /**
   * As {@link #gather(TopiaryModelBytes, Dataset, InputColumns, StatisticsOptions)} over rows of
   * {@code schema} already split into partitions as the caller chose.
   */
  public static UnitStatistics gather(TopiaryModelBytes model, JavaRDD<Row> rows, StructType schema,
      InputColumns columns, StatisticsOptions options) {
    Network network = model.network();
    UnitLayout layout = UnitLayout.of(network);
    FeatureReader reader = columns.reader(schema, network.inputSize(), FeatureReader.MissingValues.ofModel(model));
    int classes = 0;
    int labelOrdinal = -1;
    if (columns.labelCol() != null && options.classMoments()) {
      if (!network.task().isClassification()) {
        throw new IllegalArgumentException("per-class moments need a classifier; this model is "
            + network.task().kind());
      }
      if (!List.of(schema.fieldNames()).contains(columns.labelCol())) {
        throw new IllegalArgumentException("no label column '" + columns.labelCol() + "' in "
            + List.of(schema.fieldNames()));
      }
      if (!(schema.apply(columns.labelCol()).dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("label column '" + columns.labelCol() + "' has type "
            + schema.apply(columns.labelCol()).dataType().simpleString() + "; class indices must be numeric");
      }
      classes = network.task().classes();
      labelOrdinal = schema.fieldIndex(columns.labelCol());
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    Broadcast<TopiaryModelBytes> shared = jsc.broadcast(model);
    int k = classes;
    int label = labelOrdinal;
    int batch = options.batchRows();
    // StatisticsOptions is not Serializable: ship its fields and rebuild it in the task.
    boolean summaries = options.activationSummaries();
    int bins0 = options.histogramBins();
    boolean perClass = options.classMoments();
    boolean covariance = options.covariance();
    PartialStatistics zero = new PartialStatistics(layout, options, classes);
    PartialStatistics total = rows.mapPartitions((Iterator<Row> it) -> {
      Network net = shared.value().network();
      StatisticsOptions opts = new StatisticsOptions(batch, 1, summaries, bins0, perClass, covariance);
      PartialStatistics.Accumulator acc =
          new PartialStatistics.Accumulator(net, UnitLayout.of(net), opts, k, batch);
      forEachBatch(net, it, reader, label, k, batch, acc, acc::labels);
      return List.of(acc.finish()).iterator();
    }).treeAggregate(zero, PartialStatistics::merge, PartialStatistics::merge, TREE_DEPTH);

    long n = total.rows();
    if (n < 2) {
      throw new EvaluationDataException("the table has " + n + " row" + (n == 1 ? "" : "s")
          + ": unit standard deviations need at least 2 rows");
    }
    long[][][] hist = null;
    if (options.histogramBins() > 0) {
      double[][] lo = total.min;
      double[][] hi = total.max;
      int bins = options.histogramBins();
      long[][][] empty = emptyHistograms(layout, bins);
      hist = rows.mapPartitions((Iterator<Row> it) -> {
        Network net = shared.value().network();
        long[][][] counts = emptyHistograms(UnitLayout.of(net), bins);
        ForwardPass.Observer binner = (HiddenLayer layer, float[] h, int r) -> {
          int i = layer.index();
          int w = layer.width();
          for (int row = 0; row < r; row++) {
            for (int j = 0; j < w; j++) {
              counts[i][j][Histograms.bin(h[row * w + j], lo[i][j], hi[i][j], bins)]++;
            }
          }
        };
        forEachBatch(net, it, reader, -1, 0, batch, binner, null);
        return java.util.Collections.singletonList(counts).iterator();
      }).treeAggregate(empty, SparkUnitStatistics::addCounts, SparkUnitStatistics::addCounts, TREE_DEPTH);
    }
    UnitStatistics s = total.result(layout, hist);
    for (LayerStatistics l : s.layers()) {
      for (int j = 0; j < l.width(); j++) {
        if (!Double.isFinite(l.mean(j)) || !Double.isFinite(l.std(j))) {
          throw new EvaluationDataException("unit " + j + " of " + l.layer().address() + " has mean "
              + l.mean(j) + " and standard deviation " + l.std(j)
              + ": the network or the data holds NaN or infinite values");
        }
      }
    }
    shared.unpersist();
    return s;
  }

  /** Runs a partition's rows through the network in batches, showing every hidden output to observer. */
  private static void forEachBatch(Network net, Iterator<Row> it, FeatureReader reader, int labelOrdinal,
      int classes, int batch, ForwardPass.Observer observer, java.util.function.Consumer<int[]> labelSink) {
    TaskContext ctx = TaskContext.get();
    int partition = ctx == null ? 0 : ctx.partitionId();
    ForwardPass pass = new ForwardPass(net, batch, Parallelism.sequential());
    int in = net.inputSize();
    float[] x = new float[batch * in];
    int[] labels = labelOrdinal >= 0 ? new int[batch] : null;
    long seen = 0;
    while (it.hasNext()) {
      int n = 0;
      while (n < batch && it.hasNext()) {
        Row r = it.next();
        reader.read(r, x, n * in, partition, seen);
        if (labels != null) {
          labels[n] = label(r, labelOrdinal, classes, partition, seen);
        }
        n++;
        seen++;
      }
      if (labelSink != null) {
        labelSink.accept(labels);
      }
      pass.run(x, 0, n, observer);
    }
  }

  private static int label(Row r, int ordinal, int classes, int partition, long row) {
    if (r.isNullAt(ordinal)) {
      throw new EvaluationDataException("partition " + partition + ", row " + row + ": the label is null");
    }
    double v = ((Number) r.get(ordinal)).doubleValue();
    if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
      throw new EvaluationDataException("partition " + partition + ", row " + row + ": label " + v + " is not a class index in [0, " + classes
          + ")");
    }
    return (int) v;
  }

  private static long[][][] emptyHistograms(UnitLayout layout, int bins) {
    List<HiddenLayer> hidden = layout.hidden();
    long[][][] c = new long[hidden.size()][][];
    for (int i = 0; i < c.length; i++) {
      c[i] = new long[hidden.get(i).width()][bins];
    }
    return c;
  }

  private static long[][][] addCounts(long[][][] a, long[][][] b) {
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        for (int k = 0; k < a[i][j].length; k++) {
          a[i][j][k] += b[i][j][k];
        }
      }
    }
    return a;
  }
}
