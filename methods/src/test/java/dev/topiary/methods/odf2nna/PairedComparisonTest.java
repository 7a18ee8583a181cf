package dev.topiary.methods.odf2nna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.metrics.Metric;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The "no loss" rule on synthetic predictions whose answer is known. */
class PairedComparisonTest {

  private static final int ROWS = 200;
  private static final int CLASSES = 3;
  private static final double DEFAULT_TOLERANCE = EpsilonChoice.Tested.defaults().toleranceFor(Metric.ACCURACY);

  /** One-hot outputs predicting {@code truth} on the rows where {@code right}, another class elsewhere. */
  private static float[] outputs(int[] truth, boolean[] right) {
    float[] out = new float[truth.length * CLASSES];
    for (int i = 0; i < truth.length; i++) {
      int c = right[i] ? truth[i] : (truth[i] + 1) % CLASSES;
      out[i * CLASSES + c] = 1;
    }
    return out;
  }

  private static int[] labels(Random r) {
    int[] y = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = r.nextInt(CLASSES);
    }
    return y;
  }

  /** An original right on 90 % of the rows at random. */
  private static boolean[] original(Random r) {
    boolean[] right = new boolean[ROWS];
    for (int i = 0; i < ROWS; i++) {
      right[i] = i < 180;
    }
    for (int i = ROWS - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      boolean t = right[i];
      right[i] = right[j];
      right[j] = t;
    }
    return right;
  }

  /** The original with {@code losses} of its right rows made wrong and {@code gains} of its wrong rows made right. */
  private static boolean[] changed(boolean[] original, int losses, int gains) {
    boolean[] c = original.clone();
    for (int i = 0; i < ROWS && losses > 0; i++) {
      if (c[i]) {
        c[i] = false;
        losses--;
      }
    }
    for (int i = ROWS - 1; i >= 0 && gains > 0; i--) {
      if (!original[i] && !c[i]) {
        c[i] = true;
        gains--;
      }
    }
    return c;
  }

  @Test
  void aCandidateThreePointsWorseIsRejectedAt200Rows() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      int[] y = labels(r);
      boolean[] orig = original(r);
      // 3 points = 6 rows of 200, with disagreements both ways (10 lost, 4 gained).
      boolean[] cand = changed(orig, 10, 4);
      PairedComparison c = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, cand), y,
          CLASSES, 0.95, seed);
      assertEquals(-0.03, c.change(), 1e-12);
      assertEquals(0.03, c.loss(), 1e-12);
      assertEquals(ROWS, c.rows());
      assertFalse(c.noLoss(DEFAULT_TOLERANCE), "rejected by the default rule");
      assertTrue(c.low() < -0.03 && c.high() > -0.03, "the interval brackets the change: " + c);
    }
  }

  @Test
  void aCandidateThatOnlyLosesIsSignificantlyWorseEvenUnderAWideTolerance() {
    Random r = new Random(7);
    int[] y = labels(r);
    boolean[] orig = original(r);
    boolean[] cand = changed(orig, 6, 0); // 3 points worse, every disagreement a loss
    PairedComparison c = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, cand), y,
        CLASSES, 0.95, 3);
    assertTrue(c.significantlyWorse(), c.toString());
    assertFalse(c.noLoss(0.05), "within the tolerance, but significantly worse");
    // Two lost rows of 200 are not evidence of a loss: the interval reaches 0.
    boolean[] slight = changed(orig, 2, 0);
    PairedComparison weak = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, slight), y,
        CLASSES, 0.95, 3);
    assertFalse(weak.significantlyWorse(), weak.toString());
    assertTrue(weak.noLoss(0.05));
    assertFalse(weak.noLoss(0.005), "but a loss of 1 point is beyond the default tolerance");
  }

  @Test
  void anEqualCandidateIsAccepted() {
    for (long seed = 1; seed <= 20; seed++) {
      Random r = new Random(seed);
      int[] y = labels(r);
      boolean[] orig = original(r);
      boolean[] cand = changed(orig, 8, 8); // different rows wrong, the same accuracy
      PairedComparison c = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, cand), y,
          CLASSES, 0.95, seed);
      assertEquals(0.0, c.change(), 1e-12);
      assertTrue(c.noLoss(DEFAULT_TOLERANCE), c.toString());
      assertTrue(c.low() < 0 && c.high() > 0, "an interval around 0: " + c);
      PairedComparison same = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, orig), y,
          CLASSES, 0.95, seed);
      assertEquals(0.0, same.low());
      assertEquals(0.0, same.high());
      assertTrue(same.noLoss(0));
    }
  }

  @Test
  void regressionComparesR2OnPairedRows() {
    Random r = new Random(11);
    int n = ROWS;
    float[] y = new float[n];
    float[] orig = new float[n];
    float[] equal = new float[n];
    float[] worse = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) r.nextGaussian();
      float e = (float) (0.3 * r.nextGaussian());
      orig[i] = y[i] + e;
      equal[i] = y[i] - e; // the same errors, mirrored: the same R²
      worse[i] = y[i] + 1.6f * e; // R² falls by about 0.14
    }
    PairedComparison same = PairedComparison.regression(Metric.R2, orig, equal, y, 1, 0.95, 1);
    assertEquals(0.0, same.change(), 1e-6);
    assertTrue(same.noLoss(DEFAULT_TOLERANCE));
    PairedComparison bad = PairedComparison.regression(Metric.R2, orig, worse, y, 1, 0.95, 1);
    assertTrue(bad.change() < -0.1, bad.toString());
    assertTrue(bad.significantlyWorse());
    assertFalse(bad.noLoss(0.2), "significantly worse even within a wide tolerance");
    // For a lower-is-better metric the loss is the increase.
    PairedComparison mse = PairedComparison.regression(Metric.MSE, orig, worse, y, 1, 0.95, 1);
    assertTrue(mse.change() > 0 && mse.loss() == mse.change() && mse.significantlyWorse());
  }

  @Test
  void theResultDependsOnlyOnTheSeed() {
    Random r = new Random(5);
    int[] y = labels(r);
    boolean[] orig = original(r);
    boolean[] cand = changed(orig, 5, 2);
    PairedComparison a = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, cand), y,
        CLASSES, 0.95, 9);
    PairedComparison b = PairedComparison.classification(Metric.ACCURACY, outputs(y, orig), outputs(y, cand), y,
        CLASSES, 0.95, 9);
    assertEquals(a, b);
  }

  @Test
  void mismatchedShapesAndMetricsAreRefused() {
    int[] y = {0, 1};
    assertThrows(IllegalArgumentException.class, () -> PairedComparison.classification(Metric.ACCURACY,
        new float[6], new float[4], y, 3, 0.95, 1));
    assertThrows(IllegalArgumentException.class, () -> PairedComparison.classification(Metric.R2,
        new float[6], new float[6], y, 3, 0.95, 1));
    assertThrows(IllegalArgumentException.class, () -> PairedComparison.regression(Metric.R2,
        new float[2], new float[2], new float[2], 1, 1.0, 1));
  }

  @Test
  void theDefaultToleranceIsHalfAPointOfAccuracyAndAHundredthOfR2() {
    EpsilonChoice.Tested d = EpsilonChoice.Tested.defaults();
    assertEquals(0.005, d.toleranceFor(Metric.ACCURACY));
    assertEquals(0.005, d.toleranceFor(Metric.MACRO_F1));
    assertEquals(0.01, d.toleranceFor(Metric.R2));
    assertEquals(0.02, d.withTolerance(0.02).toleranceFor(Metric.R2), "a given tolerance is kept");
    assertThrows(IllegalArgumentException.class, () -> d.withTolerance(-0.1));
  }
}
