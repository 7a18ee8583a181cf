package dev.topiary.spark;

import dev.topiary.core.metrics.ClassificationMetrics;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Topiary's evaluation metrics over a scored Spark table, computed in one pass: each partition reduces
 * its rows to sums (confusion counts and the log-loss sum; or the target's count, mean and M₂ with the
 * sums of squared and absolute errors), and a {@code treeAggregate} adds them up (the target's moments
 * with Chan's formula). The definitions are those of {@code dev.topiary.core.metrics}: log-loss clips
 * probabilities to [ε, 1 − ε] with ε = {@link ClassificationMetrics#LOG_LOSS_EPSILON}, R² is
 * 1 − SS_res/SS_tot (1 for a constant target predicted exactly, else 0).
 *
 * <p>Inputs are the columns {@link TopiaryScorer} writes: a classifier's "probability" vector and
 * "prediction" index, a regression model's "prediction" double; labels are class indices (as
 * {@code StringIndexer} writes them) or targets in raw units.
 */
public final class SparkEvaluation {

  private SparkEvaluation() {}

  /**
   * Classification figures over a table.
   *
   * @param rows rows evaluated
   * @param accuracy fraction of rows whose prediction equals the label
   * @param logLoss mean negative log-probability of the true class, clipped as in the core metrics
   * @param confusion counts [actual][predicted]
   */
  public record Classification(long rows, double accuracy, double logLoss, long[][] confusion)
      implements Serializable {
    /** Copies the matrix. */
    public Classification {
      confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }

    /** A copy of the counts [actual][predicted]. */
    @Override
    public long[][] confusion() {
      return Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }
  }

  /**
   * Regression figures over a table (one output).
   *
   * @param rows rows evaluated
   * @param r2 coefficient of determination
   * @param rmse root mean squared error
   * @param mae mean absolute error
   */
  public record Regression(long rows, double r2, double rmse, double mae) implements Serializable {}

  /**
   * Scores {@code data} with {@code scorer} and evaluates a classifier against {@code labelCol}. Missing
   * features are handled as the scorer's {@link TopiaryScorer#handleInvalid()} says (by default the
   * model's recorded policy); with "skip", the figures are over the rows kept.
   */
  public static Classification classification(TopiaryScorer scorer, Dataset<?> data, String labelCol) {
    TopiaryScorer s = scorer.copy(new org.apache.spark.ml.param.ParamMap())
        .setProbabilityCol("__topiary_probability").setPredictionCol("__topiary_prediction")
        .setRawPredictionCol("");
    return classification(s.transform(data), labelCol, "__topiary_probability", "__topiary_prediction",
        scorer.network().task().classes());
  }

  /**
   * Scores {@code data} with {@code scorer} and evaluates a one-output regression against {@code labelCol};
   * missing features as in {@link #classification(TopiaryScorer, Dataset, String)}.
   */
  public static Regression regression(TopiaryScorer scorer, Dataset<?> data, String labelCol) {
    TopiaryScorer s = scorer.copy(new org.apache.spark.ml.param.ParamMap()).setPredictionCol("__topiary_prediction");
    return regression(s.transform(data), labelCol, "__topiary_prediction");
  }

  /**
   * Accuracy, log-loss and the confusion matrix of a scored table.
   *
   * @throws IllegalArgumentException if the table is empty
   * @throws org.apache.spark.SparkException (from the job) whose cause names a row with a null label or
   *     prediction, or a label outside [0, classes)
   */
  public static Classification classification(Dataset<?> scored, String labelCol, String probabilityCol,
      String predictionCol, int classes) {
    long[] zero = new long[classes * classes];
    ClassSums total = scored.toDF().select(labelCol, probabilityCol, predictionCol).javaRDD()
        .mapPartitions((Iterator<Row> it) -> {
          ClassSums s = new ClassSums(classes);
          int partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
          long seen = 0;
          while (it.hasNext()) {
            Row r = it.next();
            long row = seen++;
            int y = classIndex(r, 0, classes, partition, row, "label");
            int p = classIndex(r, 2, classes, partition, row, "prediction");
            if (r.isNullAt(1)) {
              throw new IllegalArgumentException("partition " + partition + ", row " + row
                  + ": the probability vector is null");
            }
            double q = ((Vector) r.get(1)).apply(y);
            s.confusion[y * classes + p]++;
            s.logLoss -= Math.log(Math.min(1 - ClassificationMetrics.LOG_LOSS_EPSILON,
                Math.max(ClassificationMetrics.LOG_LOSS_EPSILON, q)));
          }
          return List.of(s).iterator();
        }).treeAggregate(new ClassSums(classes), ClassSums::add, ClassSums::add, SparkUnitStatistics.TREE_DEPTH);
    long n = 0;
    long right = 0;
    long[][] confusion = new long[classes][classes];
    for (int a = 0; a < classes; a++) {
      for (int p = 0; p < classes; p++) {
        long c = total.confusion[a * classes + p];
        confusion[a][p] = c;
        n += c;
        if (a == p) {
          right += c;
        }
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("a metric needs at least one row; the table is empty");
    }
    return new Classification(n, (double) right / n, total.logLoss / n, confusion);
  }

  /**
   * R², RMSE and MAE of a scored table with one prediction per row.
   *
   * @throws IllegalArgumentException if the table is empty
   */
  public static Regression regression(Dataset<?> scored, String labelCol, String predictionCol) {
    RegressionSums total = scored.toDF().select(labelCol, predictionCol).javaRDD()
        .mapPartitions((Iterator<Row> it) -> {
          RegressionSums s = new RegressionSums();
          int partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
          long seen = 0;
          while (it.hasNext()) {
            Row r = it.next();
            long row = seen++;
            if (r.isNullAt(0) || r.isNullAt(1)) {
              throw new IllegalArgumentException("partition " + partition + ", row " + row + ": the " + (r.isNullAt(0) ? "label" : "prediction")
                  + " is null");
            }
            double y = ((Number) r.get(0)).doubleValue();
            double p = ((Number) r.get(1)).doubleValue();
            s.addRow(y, p);
          }
          return List.of(s).iterator();
        }).treeAggregate(new RegressionSums(), RegressionSums::add, RegressionSums::add,
            SparkUnitStatistics.TREE_DEPTH);
    if (total.n == 0) {
      throw new IllegalArgumentException("a metric needs at least one row; the table is empty");
    }
    double r2 = total.m2 == 0 ? (total.sse == 0 ? 1 : 0) : 1 - total.sse / total.m2;
    return new Regression(total.n, r2, Math.sqrt(total.sse / total.n), total.sae / total.n);
  }

  private static int classIndex(Row r, int i, int classes, int partition, long row, String what) {
    if (r.isNullAt(i)) {
      throw new IllegalArgumentException("partition " + partition + ", row " + row + ": the " + what + " is null");
    }
    double v = ((Number) r.get(i)).doubleValue();
    if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
      throw new IllegalArgumentException("partition " + partition + ", row " + row + ": " + what + " " + v + " is not a class index in [0, "
          + classes + ")");
    }
    return (int) v;
  }

  /** Confusion counts and the log-loss sum of some rows. */
  static final class ClassSums implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[] confusion;
    double logLoss;

    ClassSums(int classes) {
      confusion = new long[classes * classes];
    }

    ClassSums add(ClassSums o) {
      for (int i = 0; i < confusion.length; i++) {
        confusion[i] += o.confusion[i];
      }
      logLoss += o.logLoss;
      return this;
    }
  }

  /** The target's count, mean and M₂, and the sums of squared and absolute errors, of some rows. */
  static final class RegressionSums implements Serializable {
    private static final long serialVersionUID = 1L;
    long n;
    double mean;
    double m2;
    double sse;
    double sae;

    void addRow(double y, double p) {
      n++;
      double d = y - mean; // Welford's update, Chan's merge with a one-row part
      mean += d / n;
      m2 += d * (y - mean);
      double e = y - p;
      sse += e * e;
      sae += Math.abs(e);
    }

    RegressionSums add(RegressionSums o) {
      if (o.n == 0) {
        return this;
      }
      if (n == 0) {
        n = o.n;
        mean = o.mean;
        m2 = o.m2;
      } else {
        double total = (double) n + o.n;
        double delta = o.mean - mean;
        mean += delta * (o.n / total);
        m2 += o.m2 + delta * delta * ((double) n * o.n / total);
        n += o.n;
      }
      sse += o.sse;
      sae += o.sae;
      return this;
    }
  }
}
