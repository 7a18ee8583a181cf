package dev.topiary.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  private static final float[] PREDICTED = {1, 2, 3, 4};
  private static final float[] TARGETS = {1, 3, 2, 6};

  @Test
  void byHand() {
    // residuals 0, -1, 1, -2; target mean 3, SS_tot = 4 + 0 + 1 + 9 = 14, SS_res = 6
    assertEquals(1.5, RegressionMetrics.mse(PREDICTED, TARGETS), 1e-15);
    assertEquals(Math.sqrt(1.5), RegressionMetrics.rmse(PREDICTED, TARGETS), 1e-15);
    assertEquals(1.0, RegressionMetrics.mae(PREDICTED, TARGETS), 1e-15);
    assertEquals(1 - 6.0 / 14, RegressionMetrics.r2(PREDICTED, TARGETS), 1e-15);
  }

  @Test
  void r2AveragesOverOutputs() {
    // two outputs interleaved: the first is the example above, the second is predicted perfectly
    float[] p = {1, 5, 2, 6, 3, 7, 4, 9};
    float[] t = {1, 5, 3, 6, 2, 7, 6, 9};
    assertEquals((1 - 6.0 / 14 + 1) / 2, RegressionMetrics.r2(p, t, 2), 1e-15);
  }

  @Test
  void constantTargetsFollowTheScikitLearnConvention() {
    float[] t = {2, 2, 2};
    assertEquals(1.0, RegressionMetrics.r2(t, t));
    assertEquals(0.0, RegressionMetrics.r2(new float[] {2, 2, 3}, t));
  }

  @Test
  void shapesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.mse(new float[2], new float[3]));
    assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.mae(new float[0], new float[0]));
    assertThrows(IllegalArgumentException.class, () -> RegressionMetrics.r2(new float[3], new float[3], 2));
  }

  private static float[] gaussian(int n, Random r, double mean, double sd) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (mean + sd * r.nextGaussian());
    }
    return v;
  }

  @Property(tries = 200, seed = "31")
  void perfectPredictionScoresOneAndZeroError(@ForAll @IntRange(min = 2, max = 300) int n, @ForAll long seed) {
    float[] t = gaussian(n, new Random(seed), 10, 3);
    assertEquals(1.0, RegressionMetrics.r2(t, t));
    assertEquals(0.0, RegressionMetrics.mse(t, t));
    assertEquals(0.0, RegressionMetrics.mae(t, t));
  }

  @Property(tries = 200, seed = "32")
  void predictingTheMeanScoresZero(@ForAll @IntRange(min = 2, max = 300) int n, @ForAll long seed) {
    float[] t = gaussian(n, new Random(seed), 100, 5);
    double mean = 0;
    for (float v : t) {
      mean += v;
    }
    mean /= n;
    float[] p = new float[n];
    java.util.Arrays.fill(p, (float) mean);
    double ssTot = 0;
    for (float v : t) {
      ssTot += (v - mean) * (v - mean);
    }
    // SS_res = SS_tot + n·(mean − float(mean))², so R² = −n·δ²/SS_tot with |δ| <= ulp(mean)/2
    double delta = Math.ulp((float) mean) / 2;
    assertEquals(0.0, RegressionMetrics.r2(p, t), n * delta * delta / ssTot + 1e-12);
    // and MSE of the mean predictor is the population variance
    assertEquals(ssTot / n, RegressionMetrics.mse(p, t), 1e-9 * ssTot / n + n * delta * delta);
  }

  @Property(tries = 200, seed = "33")
  void errorMeasuresAgreeWithEachOther(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
    Random r = new Random(seed);
    float[] t = gaussian(n, r, 0, 4);
    float[] p = gaussian(n, r, 1, 2);
    double mse = RegressionMetrics.mse(p, t);
    assertEquals(mse, Math.pow(RegressionMetrics.rmse(p, t), 2), 1e-12 * Math.max(1, mse));
    // the mean absolute error never exceeds the root mean square error (power means are ordered)
    assertTrue(RegressionMetrics.mae(p, t) <= RegressionMetrics.rmse(p, t) + 1e-12);
    if (n >= 2) {
      // R² = 1 − MSE / variance of the targets
      double mean = 0;
      for (float v : t) {
        mean += v;
      }
      mean /= n;
      double var = 0;
      for (float v : t) {
        var += (v - mean) * (v - mean);
      }
      var /= n;
      assertEquals(1 - mse / var, RegressionMetrics.r2(p, t), 1e-9 * Math.max(1, mse / var));
    }
  }
}
