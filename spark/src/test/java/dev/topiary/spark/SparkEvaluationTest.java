package dev.topiary.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.core.metrics.ClassificationMetrics;
import dev.topiary.core.metrics.RegressionMetrics;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SparkEvaluationTest {

  static final int IN = 5;
  static final int ROWS = 419;
  static final float[] X = TestData.inputs(ROWS, IN, 41);

  @Test
  void classificationFiguresEqualTheCoreMetrics() {
    int classes = 4;
    Network net = TestData.classifier(IN, new int[] {11}, classes, Activation.TANH, X, ROWS, 43);
    int[] predicted = net.predictClasses(X, ROWS);
    int[] labels = new int[ROWS];
    Random r = new Random(47);
    for (int i = 0; i < ROWS; i++) {
      // Mostly right, so every cell of the confusion matrix is exercised without being uniform.
      labels[i] = r.nextInt(3) == 0 ? r.nextInt(classes) : predicted[i];
    }
    float[] probs = new float[ROWS * classes];
    net.predictProbabilities(X, 0, ROWS, probs, 0);
    Dataset<Row> table = TestData.table(X, ROWS, IN, labels, 3);
    SparkEvaluation.Classification c =
        SparkEvaluation.classification(new TopiaryScorer(TopiaryModelBytes.of(net)), table, "label");
    assertEquals(ROWS, c.rows());
    assertEquals(ClassificationMetrics.accuracy(predicted, labels), c.accuracy(), 1e-12);
    // Probabilities from Spark's batches agree with the one-call ones to a few float ulps (see the scorer test).
    assertEquals(ClassificationMetrics.logLoss(probs, labels, classes), c.logLoss(), 1e-5);
    assertArrayEquals(ClassificationMetrics.confusion(predicted, labels, classes).counts(), c.confusion());
  }

  @Test
  void regressionFiguresEqualTheCoreMetrics() {
    Network net = TestData.regressor(IN, new int[] {7}, X, ROWS, 53);
    float[] predicted = new float[ROWS];
    net.predictValues(X, 0, ROWS, predicted, 0);
    float[] targets = new float[ROWS];
    Random r = new Random(59);
    int[] asLabels = new int[ROWS]; // the table's label column holds the targets, whole numbers here
    for (int i = 0; i < ROWS; i++) {
      asLabels[i] = (int) Math.round(predicted[i] + 3 * r.nextGaussian());
      targets[i] = asLabels[i];
    }
    SparkEvaluation.Regression g = SparkEvaluation.regression(new TopiaryScorer(TopiaryModelBytes.of(net)),
        TestData.table(X, ROWS, IN, asLabels, 2), "label");
    assertEquals(ROWS, g.rows());
    double scale = 1e-5; // predictions agree to float rounding of values near 40
    assertEquals(RegressionMetrics.r2(predicted, targets), g.r2(), scale);
    assertEquals(RegressionMetrics.rmse(predicted, targets), g.rmse(), scale * 40);
    assertEquals(RegressionMetrics.mae(predicted, targets), g.mae(), scale * 40);
  }
}
