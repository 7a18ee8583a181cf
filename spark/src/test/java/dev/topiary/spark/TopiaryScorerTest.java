package dev.topiary.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopiaryScorerTest {

  static final int IN = 7;
  static final int ROWS = 533;
  static final int CLASSES = 3;
  static final float[] X = TestData.inputs(ROWS, IN, 11);
  static final Network CLASSIFIER =
      TestData.classifier(IN, new int[] {13, 9}, CLASSES, Activation.TANH, X, ROWS, 5);

  /**
   * Spark runs each row through the same kernels in a different batch; a float GEMM of depth ≤ 13 over
   * standardised inputs and tanh outputs (|h| ≤ 1) agrees with the one-call result to within a few ulps of
   * the largest partial sum, far inside this bound.
   */
  static final double TOL = 1e-5;

  static List<Row> byId(Dataset<Row> d) {
    return TestData.byId(d);
  }

  static void assertClose(float expected, double actual, String what) {
    assertEquals(expected, actual, TOL * (1 + Math.abs(expected)), what);
  }

  @Test
  void classifierScoresEqualTopiarysRowForRow() {
    float[] logits = new float[ROWS * CLASSES];
    float[] probs = new float[ROWS * CLASSES];
    CLASSIFIER.predictLogits(X, 0, ROWS, logits, 0);
    CLASSIFIER.predictProbabilities(X, 0, ROWS, probs, 0);
    int[] classes = CLASSIFIER.predictClasses(X, ROWS);

    // Batches of 64 rows over 3 partitions: every partition ends on a partial batch.
    TopiaryScorer scorer = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER)).setBatchRows(64);
    List<Row> rows = byId(scorer.transform(TestData.table(X, ROWS, IN, null, 3)));
    assertEquals(ROWS, rows.size());
    for (int i = 0; i < ROWS; i++) {
      Row r = rows.get(i);
      assertEquals(i, r.getLong(r.fieldIndex("id")));
      Vector raw = r.getAs("rawPrediction");
      Vector p = r.getAs("probability");
      for (int c = 0; c < CLASSES; c++) {
        assertClose(logits[i * CLASSES + c], raw.apply(c), "logit " + c + " of row " + i);
        assertClose(probs[i * CLASSES + c], p.apply(c), "probability " + c + " of row " + i);
      }
      assertEquals(classes[i], r.getDouble(r.fieldIndex("prediction")), "class of row " + i);
    }
  }

  @Test
  void numericColumnsByNameScoreLikeTheFeaturesVector() {
    Dataset<Row> table = TestData.table(X, ROWS, IN, null, 2);
    TopiaryScorer byVector = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER));
    // Columns in the table's order but named, and the raw column left out.
    TopiaryScorer byName = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER))
        .setInputCols(TestData.columns(IN)).setRawPredictionCol("");
    List<Row> a = byId(byVector.transform(table));
    List<Row> b = byId(byName.transform(table.drop("features")));
    assertTrue(List.of(b.get(0).schema().fieldNames()).stream().noneMatch("rawPrediction"::equals));
    for (int i = 0; i < ROWS; i++) {
      Vector pa = a.get(i).getAs("probability");
      Vector pb = b.get(i).getAs("probability");
      assertArrayEquals(pa.toArray(), pb.toArray(), 0.0, "row " + i);
      assertEquals((double) a.get(i).getAs("prediction"), (double) b.get(i).getAs("prediction"));
    }
  }

  @Test
  void numericColumnsOfEveryTypeScoreAsTheirValuesOnBothRoutes() {
    // Each column cast to another numeric type; the model sees each value as that type holds it.
    String[] types = {"int", "float", "long", "short", "decimal(12,4)", "byte", "double"};
    Dataset<Row> table = TestData.table(X, 120, IN, null, 2).drop("features");
    float[] x = new float[120 * IN];
    for (int j = 0; j < IN; j++) {
      table = table.withColumn("x" + j, functions.col("x" + j).cast(types[j]));
    }
    List<Row> rows = byId(table);
    for (int i = 0; i < 120; i++) {
      for (int j = 0; j < IN; j++) {
        x[i * IN + j] = ((Number) rows.get(i).get(1 + j)).floatValue();
      }
    }
    float[] logits = new float[120 * CLASSES];
    CLASSIFIER.predictLogits(x, 0, 120, logits, 0);
    TopiaryScorer scorer = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER)).setInputCols(TestData.columns(IN));
    List<Row> internal = byId(scorer.transform(table));
    List<Row> encoded = byId(scorer.transformRows(table));
    for (int i = 0; i < 120; i++) {
      Vector a = internal.get(i).getAs("rawPrediction");
      Vector b = encoded.get(i).getAs("rawPrediction");
      assertArrayEquals(a.toArray(), b.toArray(), 0.0, "row " + i + ": the two routes");
      for (int c = 0; c < CLASSES; c++) {
        assertClose(logits[i * CLASSES + c], a.apply(c), "logit " + c + " of row " + i);
      }
    }
  }

  @Test
  void regressionPredictsRawTargetUnits() {
    Network net = TestData.regressor(IN, new int[] {11}, X, ROWS, 8);
    float[] values = new float[ROWS];
    net.predictValues(X, 0, ROWS, values, 0);
    List<Row> rows = byId(new TopiaryScorer(TopiaryModelBytes.of(net)).transform(TestData.table(X, ROWS, IN,
        null, 2)));
    assertEquals(List.of("id"), List.of(rows.get(0).schema().fieldNames()).subList(0, 1));
    assertTrue(List.of(rows.get(0).schema().fieldNames()).stream().noneMatch("probability"::equals));
    for (int i = 0; i < ROWS; i++) {
      assertClose(values[i], rows.get(i).getDouble(rows.get(i).fieldIndex("prediction")), "row " + i);
    }
  }

  @Test
  void aNullOrNaNFeatureStopsTheJobNamingIt() {
    Dataset<Row> table = TestData.table(X, 40, IN, null, 1);
    TopiaryScorer byName = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER)).setInputCols(TestData.columns(IN));
    Dataset<Row> withNull = table.drop("features")
        .withColumn("x4", functions.when(functions.col("id").equalTo(17), functions.lit(null))
            .otherwise(functions.col("x4")));
    Exception e = assertThrows(Exception.class, () -> byName.transform(withNull).collectAsList());
    String m = causeMessage(e, MissingFeatureException.class);
    assertTrue(m.contains("column 'x4' is null") && m.contains("missing-value policy"), m);

    Dataset<Row> withNaN = table.drop("features")
        .withColumn("x2", functions.when(functions.col("id").equalTo(3), functions.lit(Double.NaN))
            .otherwise(functions.col("x2")));
    e = assertThrows(Exception.class, () -> byName.transform(withNaN).collectAsList());
    m = causeMessage(e, MissingFeatureException.class);
    assertTrue(m.contains("column 'x2' is NaN"), m);
  }

  static String causeMessage(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t.getMessage();
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + e, e);
  }

  @Test
  void badSchemasFailBeforeAnyTaskRuns() {
    Dataset<Row> table = TestData.table(X, 20, IN, null, 1);
    TopiaryScorer scorer = new TopiaryScorer(TopiaryModelBytes.of(CLASSIFIER));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> scorer.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("nope").transform(table));
    assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> scorer.copy(new org.apache.spark.ml.param.ParamMap()).setInputCols("x0", "x1").transform(table));
    assertTrue(e.getMessage().contains("reads 7 features"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> scorer.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCol("x0").transform(table));
    assertTrue(e.getMessage().contains("must be an ml Vector"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> scorer.copy(new org.apache.spark.ml.param.ParamMap()).setPredictionCol("label").transform(table));
    assertTrue(e.getMessage().contains("'label' already exists"), e.getMessage());
  }

  @Test
  void aPipelineSavesAndLoadsWithTheModelByteForByte(@TempDir Path dir) throws Exception {
    Path modelFile = dir.resolve("m.safetensors");
    ModelFiles.save(CLASSIFIER, modelFile);
    TopiaryScorer scorer = TopiaryScorer.fromFile(modelFile).setPredictionCol("cls").setBatchRows(50);
    VectorAssembler assembler = new VectorAssembler().setInputCols(TestData.columns(IN)).setOutputCol("v");
    scorer.setFeaturesCol("v");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, scorer});
    Dataset<Row> table = TestData.table(X, ROWS, IN, null, 2).drop("features");
    PipelineModel fitted = pipeline.fit(table);
    List<Row> before = byId(fitted.transform(table));

    String saved = dir.resolve("pipeline-model").toString();
    fitted.write().overwrite().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);
    TopiaryScorer again = (TopiaryScorer) loaded.stages()[1];
    assertEquals(scorer.uid(), again.uid());
    assertEquals("cls", again.getOrDefault(again.predictionCol()));
    assertEquals(50, again.getBatchRows());
    assertArrayEquals(Files.readAllBytes(modelFile),
        Files.readAllBytes(Path.of(saved, "stages", "1_" + scorer.uid(), TopiaryScorer.MODEL_FILE)));
    List<Row> after = byId(loaded.transform(table));
    assertEquals(before, after);
  }
}
