package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small networks and tables for the tests: widths that are not multiples of any vector length. */
final class TestData {

  private TestData() {}

  /** Row-major random inputs with per-column offsets and scales, so the input standardisation matters. */
  static float[] inputs(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[i * cols + j] = (float) ((j - 3) * 2.5 + (1 + j % 3) * r.nextGaussian());
      }
    }
    return x;
  }

  /** A classifier with input standardisation fitted on {@code x}. */
  static Network classifier(int in, int[] hidden, int classes, Activation act, float[] x, int rows, long seed) {
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      labels.add("class" + c);
    }
    return Network.mlp(in, hidden, act, Task.classification(labels), seed)
        .withScaling(Standardization.fit(x, rows, in), null);
  }

  /** A one-output regression network with input and output standardisation. */
  static Network regressor(int in, int[] hidden, float[] x, int rows, long seed) {
    Standardization out = new Standardization(new float[] {40f}, new float[] {7f});
    return Network.mlp(in, hidden, Activation.RELU, Task.regression(1), seed)
        .withScaling(Standardization.fit(x, rows, in), out);
  }

  /**
   * A table with columns id (long), x0..x{cols-1} (double), features (vector of the same values) and
   * label (double, from {@code labels} when given), in {@code partitions} partitions.
   */
  static Dataset<Row> table(float[] x, int rows, int cols, int[] labels, int partitions) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
    for (int j = 0; j < cols; j++) {
      fields.add(DataTypes.createStructField("x" + j, DataTypes.DoubleType, true));
    }
    fields.add(DataTypes.createStructField("features", SQLDataTypes.VectorType(), true));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Object[] v = new Object[cols + 3];
      v[0] = (long) i;
      double[] f = new double[cols];
      for (int j = 0; j < cols; j++) {
        f[j] = x[i * cols + j];
        v[1 + j] = f[j];
      }
      v[cols + 1] = Vectors.dense(f);
      v[cols + 2] = labels == null ? 0.0 : (double) labels[i];
      data.add(RowFactory.create(v));
    }
    // Contiguous slices, no shuffle: the tests spend their time on Topiary, not on Spark's exchange.
    var rdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext())
        .parallelize(data, partitions);
    return SharedSpark.get().createDataFrame(rdd, DataTypes.createStructType(fields));
  }

  /** The rows of a table collected to the driver and sorted by the id column. */
  static List<Row> byId(Dataset<Row> d) {
    List<Row> rows = new ArrayList<>(d.collectAsList());
    rows.sort(java.util.Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
    return rows;
  }

  /** Names x0..x{cols-1}. */
  static String[] columns(int cols) {
    String[] names = new String[cols];
    for (int j = 0; j < cols; j++) {
      names[j] = "x" + j;
    }
    return names;
  }
}
