package dev.topiary.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  private static final int[] ACTUAL = {0, 0, 1, 1, 2, 2};
  private static final int[] PREDICTED = {0, 1, 1, 1, 2, 0};

  @Test
  void confusionMatrixByHand() {
    ConfusionMatrix m = ConfusionMatrix.of(PREDICTED, ACTUAL, 3);
    assertArrayEquals(new long[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}}, m.counts());
    assertEquals(6, m.total());
    assertEquals(4.0 / 6, m.accuracy(), 1e-15);
    assertEquals(0.5, m.precision(0), 1e-15);
    assertEquals(2.0 / 3, m.precision(1), 1e-15);
    assertEquals(1.0, m.precision(2), 1e-15);
    assertEquals(0.5, m.recall(2), 1e-15);
    // F1 = 2TP / (2TP + FP + FN): class 0 2/4, class 1 4/5, class 2 2/3
    assertEquals(0.5, m.f1(0), 1e-15);
    assertEquals(0.8, m.f1(1), 1e-15);
    assertEquals(2.0 / 3, m.f1(2), 1e-15);
    assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, m.macroF1(), 1e-15);
    assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, ClassificationMetrics.macroF1(PREDICTED, ACTUAL, 3), 1e-15);
    assertEquals(4.0 / 6, ClassificationMetrics.accuracy(PREDICTED, ACTUAL), 1e-15);
    assertEquals("actual\\predicted\n   0 1 2\n 0 1 1 0\n 1 0 2 0\n 2 1 0 1", m.toString());
  }

  @Test
  void classesAbsentFromBothSidesAreLeftOutOfTheMacroAverage() {
    // class 3 never occurs: macro F1 over classes 0..2 only
    assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, ClassificationMetrics.macroF1(PREDICTED, ACTUAL, 4), 1e-15);
    // a class that is predicted but never occurs counts, with F1 0
    int[] predicted = {0, 1, 1, 1, 2, 3};
    ConfusionMatrix m = ConfusionMatrix.of(predicted, ACTUAL, 4);
    assertEquals(0.0, m.f1(3));
    assertEquals((2.0 / 3 + 0.8 + 2.0 / 3 + 0) / 4, m.macroF1(), 1e-15);
  }

  @Test
  void logLossByHandAndItsClipping() {
    float[] p = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f};
    double expected = -(Math.log(0.7f) + Math.log(0.8f)) / 2;
    assertEquals(expected, ClassificationMetrics.logLoss(p, new int[] {0, 1}, 3), 1e-15);
    float[] certainAndWrong = {1, 0, 0, 1};
    assertEquals((-Math.log(1e-15) - Math.log(1 - 1e-15)) / 2,
        ClassificationMetrics.logLoss(certainAndWrong, new int[] {1, 1}, 2), 1e-12);
    assertEquals(-Math.log(1e-15), 34.538776394910684, 1e-12);
  }

  @Test
  void argmaxTakesTheFirstOfTiesAndSkipsNaN() {
    float[] scores = {1, 3, 3, Float.NaN, 0, -1, Float.NaN, Float.NaN, Float.NaN};
    assertArrayEquals(new int[] {1, 1, 0}, ClassificationMetrics.argmax(scores, 3, 3));
  }

  @Test
  void shapesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[2], new int[3]));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.logLoss(new float[5], new int[2], 3));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {3}, new int[] {0}, 3));
  }

  private static int[] randomClasses(int n, int k, Random r) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = r.nextInt(k);
    }
    return c;
  }

  @Property(tries = 200, seed = "21")
  void perfectPredictionsScoreOneOnEveryMeasure(@ForAll @IntRange(min = 2, max = 9) int k,
      @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    int[] y = randomClasses(n, k, new Random(seed));
    assertEquals(1.0, ClassificationMetrics.accuracy(y, y));
    assertEquals(1.0, ClassificationMetrics.macroF1(y, y, k), 1e-15);
  }

  @Property(tries = 200, seed = "22")
  void matrixAgreesWithAccuracyAndMacroF1IsSymmetricInItsArguments(@ForAll @IntRange(min = 2, max = 9) int k,
      @ForAll @IntRange(min = 1, max = 200) int n, @ForAll long seed) {
    Random r = new Random(seed);
    int[] y = randomClasses(n, k, r);
    int[] p = randomClasses(n, k, r);
    ConfusionMatrix m = ConfusionMatrix.of(p, y, k);
    assertEquals(n, m.total());
    assertEquals(ClassificationMetrics.accuracy(p, y), m.accuracy(), 1e-15);
    // F1 is symmetric in false positives and false negatives, so swapping the two arrays keeps it
    assertEquals(m.macroF1(), ClassificationMetrics.macroF1(y, p, k), 1e-12);
    for (int c = 0; c < k; c++) {
      double f = m.f1(c);
      if (!Double.isNaN(f)) {
        // a harmonic mean lies between its two terms
        assertTrue(f >= Math.min(m.precision(c), m.recall(c)) - 1e-12);
        assertTrue(f <= Math.max(m.precision(c), m.recall(c)) + 1e-12);
      }
    }
  }

  @Property(tries = 200, seed = "23")
  void renamingClassesChangesNothing(@ForAll @IntRange(min = 2, max = 7) int k,
      @ForAll @IntRange(min = 1, max = 150) int n, @ForAll long seed) {
    Random r = new Random(seed);
    int[] y = randomClasses(n, k, r);
    int[] p = randomClasses(n, k, r);
    int[] perm = new int[k];
    for (int i = 0; i < k; i++) {
      perm[i] = i;
    }
    for (int i = k - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] y2 = new int[n];
    int[] p2 = new int[n];
    for (int i = 0; i < n; i++) {
      y2[i] = perm[y[i]];
      p2[i] = perm[p[i]];
    }
    assertEquals(ClassificationMetrics.accuracy(p, y), ClassificationMetrics.accuracy(p2, y2));
    assertEquals(ClassificationMetrics.macroF1(p, y, k), ClassificationMetrics.macroF1(p2, y2, k), 1e-12);
  }

  @Property(tries = 100, seed = "24")
  void uniformProbabilitiesCostLnKAndOneHotTruthCostsNothing(@ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 50) int n, @ForAll long seed) {
    int[] y = randomClasses(n, k, new Random(seed));
    float[] uniform = new float[n * k];
    java.util.Arrays.fill(uniform, 1f / k);
    assertEquals(-Math.log(1f / k), ClassificationMetrics.logLoss(uniform, y, k), 1e-12);
    float[] oneHot = new float[n * k];
    for (int i = 0; i < n; i++) {
      oneHot[i * k + y[i]] = 1;
    }
    assertEquals(0, ClassificationMetrics.logLoss(oneHot, y, k), 2e-15);
  }
}
