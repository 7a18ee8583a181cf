package dev.topiary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * Missing features on Spark: a model that records an imputation gets exactly the values Topiary's
 * {@link Imputation} writes on one JVM, whatever form the cell takes (null, NaN, ±∞, a double too large for
 * a float, a null vector); handleInvalid "skip" drops such rows and "error" refuses them.
 */
class MissingValuesTest {

  static final int IN = 7;
  static final int ROWS = 301;
  static final int CLASSES = 4;
  static final float[] X = TestData.inputs(ROWS, IN, 41);
  static final Network NET = TestData.classifier(IN, new int[] {11, 6}, CLASSES, Activation.TANH, X, ROWS, 9);
  /** Fill values that are not round numbers, one per input. */
  static final Imputation IMPUTATION = new Imputation(List.of("mean", "mode", "mean", "mean", "mode", "mean",
      "mean"), new float[] {0.3170913f, 2f, -1.8437501f, 4.0000005f, -3f, 0.1f, 7.2593765f});
  /** Which cells are missing: about one in nine, and the whole of row 5. */
  static final boolean[] MISSING = missing(ROWS, IN, 43);
  /** Rows with no missing cell. */
  static final List<Integer> COMPLETE = complete();

  static boolean[] missing(int rows, int cols, long seed) {
    Random r = new Random(seed);
    boolean[] m = new boolean[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextInt(9) == 0;
    }
    for (int j = 0; j < cols; j++) {
      m[5 * cols + j] = true;
    }
    return m;
  }

  static List<Integer> complete() {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      boolean any = false;
      for (int j = 0; j < IN; j++) {
        any |= MISSING[i * IN + j];
      }
      if (!any) {
        rows.add(i);
      }
    }
    return rows;
  }

  /** What one JVM feeds the network: NaN in every missing cell, then {@link Imputation#apply}. */
  static float[] imputedOnOneJvm() {
    float[] x = X.clone();
    for (int i = 0; i < x.length; i++) {
      if (MISSING[i]) {
        x[i] = Float.NaN;
      }
    }
    List<String> names = List.of(TestData.columns(IN));
    dev.topiary.core.data.Dataset d = new dev.topiary.core.data.Dataset("x", ROWS, IN, x,
        Task.regression(1), null, new float[ROWS], names);
    return IMPUTATION.apply(d).x();
  }

  /** A missing cell as a number: NaN, ±∞ or a double beyond the float range, in turn. */
  static double missingNumber(int cell) {
    return switch (cell % 4) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> -1e300;
      default -> Double.NEGATIVE_INFINITY;
    };
  }

  /**
   * Columns id, x0..x6 (nullable doubles: a missing cell is null in every other case, else a non-finite or
   * too-large number) and features (a vector of the same values, null for row 5, whose every cell is
   * missing; a missing element is a non-finite or too-large number).
   */
  static Dataset<Row> table(int partitions) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
    for (int j = 0; j < IN; j++) {
      fields.add(DataTypes.createStructField("x" + j, DataTypes.DoubleType, true));
    }
    fields.add(DataTypes.createStructField("features", SQLDataTypes.VectorType(), true));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Object[] v = new Object[IN + 2];
      v[0] = (long) i;
      double[] f = new double[IN];
      for (int j = 0; j < IN; j++) {
        int c = i * IN + j;
        f[j] = MISSING[c] ? missingNumber(c) : X[c];
        v[1 + j] = MISSING[c] && c % 2 == 0 ? null : (Object) f[j];
      }
      v[IN + 1] = i == 5 ? null : Vectors.dense(f);
      rows.add(RowFactory.create(v));
    }
    var rdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext())
        .parallelize(rows, partitions);
    return SharedSpark.get().createDataFrame(rdd, DataTypes.createStructType(fields));
  }

  static TopiaryModelBytes imputingModel() throws Exception {
    Path f = Files.createTempFile("imputing", ".safetensors");
    try {
      ModelFiles.save(NET, f, Map.of(Imputation.METADATA_KEY, IMPUTATION.toMetadata()));
      return TopiaryModelBytes.read(f);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  static FeatureReader reader(TopiaryModelBytes model, Dataset<Row> table, boolean byName) {
    return FeatureReader.resolve(table.schema(), "features", byName ? TestData.columns(IN) : new String[0], IN,
        FeatureReader.MissingValues.ofModel(model));
  }

  @Test
  void imputedFeaturesAreTheBitsImputationWritesOnOneJvm() throws Exception {
    TopiaryModelBytes model = imputingModel();
    float[] expected = imputedOnOneJvm();
    Dataset<Row> table = table(1);
    List<Row> rows = TestData.byId(table);
    // Spark's internal rows (the scorer's route), in id order as the one-partition table holds them.
    InternalRow[] internal = ((org.apache.spark.sql.classic.Dataset<Row>) table).queryExecution().executedPlan()
        .executeCollect();
    for (boolean byName : new boolean[] {false, true}) {
      FeatureReader r = reader(model, table, byName);
      float[] fromRows = new float[ROWS * IN];
      float[] fromInternal = new float[ROWS * IN];
      for (int i = 0; i < ROWS; i++) {
        assertTrue(r.read(rows.get(i), fromRows, i * IN, 0, i));
        assertEquals(i, internal[i].getLong(0));
        assertTrue(r.read(internal[i], fromInternal, i * IN, 0, i));
      }
      for (int c = 0; c < ROWS * IN; c++) {
        assertEquals(Float.floatToRawIntBits(expected[c]), Float.floatToRawIntBits(fromRows[c]),
            (byName ? "columns" : "vector") + ", Row, cell " + c);
        assertEquals(Float.floatToRawIntBits(expected[c]), Float.floatToRawIntBits(fromInternal[c]),
            (byName ? "columns" : "vector") + ", InternalRow, cell " + c);
      }
    }
  }

  @Test
  void scoresWithImputationEqualTopiarysScoresOfTheImputedRows() throws Exception {
    float[] x = imputedOnOneJvm();
    float[] logits = new float[ROWS * CLASSES];
    float[] probs = new float[ROWS * CLASSES];
    NET.predictLogits(x, 0, ROWS, logits, 0);
    NET.predictProbabilities(x, 0, ROWS, probs, 0);
    int[] classes = NET.predictClasses(x, ROWS);
    TopiaryModelBytes model = imputingModel();
    Dataset<Row> table = table(3);
    TopiaryScorer byVector = new TopiaryScorer(model).setBatchRows(40);
    TopiaryScorer byName = new TopiaryScorer(model).setInputCols(TestData.columns(IN)).setBatchRows(64);
    List<List<Row>> runs = List.of(TestData.byId(byVector.transform(table)),
        TestData.byId(byName.transform(table.drop("features"))),
        TestData.byId(byVector.transformRows(table)));
    for (List<Row> rows : runs) {
      assertEquals(ROWS, rows.size());
      for (int i = 0; i < ROWS; i++) {
        Row r = rows.get(i);
        Vector raw = r.getAs("rawPrediction");
        Vector p = r.getAs("probability");
        for (int c = 0; c < CLASSES; c++) {
          TopiaryScorerTest.assertClose(logits[i * CLASSES + c], raw.apply(c), "logit " + c + " of row " + i);
          TopiaryScorerTest.assertClose(probs[i * CLASSES + c], p.apply(c), "probability " + c + " of row " + i);
        }
        assertEquals(classes[i], r.getDouble(r.fieldIndex("prediction")), "class of row " + i);
      }
    }
  }

  @Test
  void skipDropsExactlyTheRowsWithAMissingFeature() throws Exception {
    float[] logits = new float[ROWS * CLASSES];
    NET.predictLogits(X, 0, ROWS, logits, 0);
    Dataset<Row> table = table(2);
    for (TopiaryModelBytes model : List.of(TopiaryModelBytes.of(NET), imputingModel())) {
      TopiaryScorer skip = new TopiaryScorer(model).setHandleInvalid(TopiaryScorer.SKIP).setBatchRows(32);
      for (List<Row> rows : List.of(TestData.byId(skip.transform(table)),
          TestData.byId(skip.copy(new org.apache.spark.ml.param.ParamMap()).setInputCols(TestData.columns(IN))
              .transform(table)))) {
        assertEquals(COMPLETE.size(), rows.size());
        for (int k = 0; k < rows.size(); k++) {
          Row r = rows.get(k);
          int i = COMPLETE.get(k);
          assertEquals(i, r.getLong(0));
          Vector raw = r.getAs("rawPrediction");
          for (int c = 0; c < CLASSES; c++) {
            TopiaryScorerTest.assertClose(logits[i * CLASSES + c], raw.apply(c), "logit " + c + " of row " + i);
          }
        }
      }
    }
  }

  @Test
  void errorRefusesAMissingFeatureEvenWhenTheModelImputes() throws Exception {
    TopiaryScorer error = new TopiaryScorer(imputingModel()).setHandleInvalid(TopiaryScorer.ERROR)
        .setInputCols(TestData.columns(IN));
    Dataset<Row> table = table(1).filter(functions.col("id").geq(5));
    Exception e = assertThrows(Exception.class, () -> error.transform(table).collectAsList());
    String m = TopiaryScorerTest.causeMessage(e, MissingFeatureException.class);
    // Row 5, the first of the partition, has every cell missing; x0 is -∞ there.
    assertTrue(m.startsWith("partition 0, row 0: column 'x0' is -Infinity")
        && m.contains("handleInvalid is \"error\""), m);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> error.setHandleInvalid("keep"));
    assertTrue(bad.getMessage().contains("handleInvalid"), bad.getMessage());
  }

  @Test
  void aTooLargeValueIsMissingAndNamedWithoutAPolicy() {
    TopiaryScorer plain = new TopiaryScorer(TopiaryModelBytes.of(NET));
    Dataset<Row> table = table(1).filter(functions.col("id").equalTo(ROWS - 1)).withColumn("features",
        functions.lit(null).cast(SQLDataTypes.VectorType()));
    Exception e = assertThrows(Exception.class, () -> plain.transform(table).collectAsList());
    String m = TopiaryScorerTest.causeMessage(e, MissingFeatureException.class);
    assertTrue(m.contains("features column 'features' is null") && m.contains("no missing-value policy"), m);

    Column big = functions.lit(3e39);
    Dataset<Row> wide = table(1).filter(functions.col("id").equalTo(COMPLETE.get(0))).withColumn("x3", big);
    e = assertThrows(Exception.class,
        () -> plain.copy(new org.apache.spark.ml.param.ParamMap()).setInputCols(TestData.columns(IN))
            .transform(wide).collectAsList());
    m = TopiaryScorerTest.causeMessage(e, MissingFeatureException.class);
    assertTrue(m.contains("column 'x3' is 3.0E39 (too large for a float)"), m);
  }

  @Test
  void statisticsOverImputedRowsEqualTheSingleJvmPassOverTheImputedRows() throws Exception {
    UnitStatistics expected = UnitStatistics.gather(NET, imputedOnOneJvm(), ROWS, "x", StatisticsOptions.defaults());
    UnitStatistics actual = SparkUnitStatistics.gather(imputingModel(), table(3), InputColumns.named(
        TestData.columns(IN)), StatisticsOptions.defaults());
    SparkUnitStatisticsTest.assertSameStatistics(expected, actual, "imputed");
  }
}
