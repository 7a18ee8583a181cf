package dev.topiary.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {

  private static final Task THREE = Task.classification(List.of("a", "b", "c"));

  private static Dataset classified(int[] labels) {
    return new Dataset("c", labels.length, 1, new float[labels.length], THREE, labels, null, List.of("x"));
  }

  private static Dataset regressed(float[] targets) {
    return new Dataset("r", targets.length, 1, new float[targets.length], Task.regression(1), null, targets,
        List.of("x"));
  }

  @Test
  void directionOfEveryMetric() {
    assertTrue(Metric.ACCURACY.higherIsBetter());
    assertTrue(Metric.MACRO_F1.higherIsBetter());
    assertTrue(Metric.R2.higherIsBetter());
    assertFalse(Metric.LOG_LOSS.higherIsBetter());
    assertFalse(Metric.MSE.higherIsBetter());
    assertFalse(Metric.RMSE.higherIsBetter());
    assertFalse(Metric.MAE.higherIsBetter());
  }

  @Test
  void comparisonsFollowTheDirection() {
    assertTrue(Metric.ACCURACY.isBetter(0.9, 0.8));
    assertFalse(Metric.ACCURACY.isBetter(0.8, 0.8));
    assertTrue(Metric.MSE.isBetter(0.1, 0.2));
    assertFalse(Metric.MSE.isBetter(Double.NaN, 0.2));
    assertTrue(Metric.MSE.isBetter(5, Double.NaN));
    for (Metric m : Metric.values()) {
      assertTrue(m.isBetter(0.5, m.worst()), m.id());
      assertEquals(0.25, m.degradation(m.higherIsBetter() ? 0.5 : 1.0, 0.75), 1e-15);
    }
  }

  @Test
  void computeFromOutputsMatchesTheArrayFunctions() {
    int[] y = {0, 1, 2, 2};
    float[] probabilities = {0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f, 0.1f, 0.1f, 0.8f, 0.3f, 0.4f, 0.3f};
    int[] predicted = {0, 2, 2, 1};
    Dataset truth = classified(y);
    assertEquals(0.5, Metric.ACCURACY.compute(probabilities, truth), 1e-15);
    assertEquals(ClassificationMetrics.macroF1(predicted, y, 3), Metric.MACRO_F1.compute(probabilities, truth));
    assertEquals(ClassificationMetrics.logLoss(probabilities, y, 3), Metric.LOG_LOSS.compute(probabilities, truth));
    float[] t = {1, 3, 2, 6};
    float[] p = {1, 2, 3, 4};
    Dataset r = regressed(t);
    assertEquals(1.5, Metric.MSE.compute(p, r), 1e-15);
    assertEquals(Math.sqrt(1.5), Metric.RMSE.compute(p, r), 1e-15);
    assertEquals(1.0, Metric.MAE.compute(p, r), 1e-15);
    assertEquals(1 - 6.0 / 14, Metric.R2.compute(p, r), 1e-15);
  }

  @Test
  void metricsRefuseTheWrongTaskAndWrongShapes() {
    Dataset truth = classified(new int[] {0, 1});
    assertThrows(IllegalArgumentException.class, () -> Metric.MSE.compute(new float[6], truth));
    assertThrows(IllegalArgumentException.class, () -> Metric.ACCURACY.compute(new float[2], regressed(new float[2])));
    assertThrows(IllegalArgumentException.class, () -> Metric.ACCURACY.compute(new float[5], truth));
    assertEquals(List.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.LOG_LOSS), Metric.forTask(THREE));
    assertEquals(List.of(Metric.MSE, Metric.RMSE, Metric.MAE, Metric.R2), Metric.forTask(Task.regression(1)));
    assertEquals(Metric.ACCURACY, Metric.defaultFor(THREE));
    assertEquals(Metric.R2, Metric.defaultFor(Task.regression(2)));
  }

  @Test
  void parsesNamesFromTheCommandLine() {
    for (Metric m : Metric.values()) {
      assertEquals(m, Metric.parse(m.id()));
      assertEquals(m, Metric.parse(m.name()));
    }
    assertEquals(Metric.MACRO_F1, Metric.parse("Macro_F1"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.parse("auc"));
    assertEquals("unknown metric 'auc'; known: accuracy, macro-f1, log-loss, mse, rmse, mae, r2", e.getMessage());
  }
}
