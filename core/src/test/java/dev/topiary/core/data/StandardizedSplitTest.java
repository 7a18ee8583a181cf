package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizedSplitTest {

  /** Mean and population standard deviation of column j, in double precision. */
  private static double[] moments(float[] x, int rows, int columns, int j) {
    double mean = 0;
    for (int i = 0; i < rows; i++) {
      mean += x[i * columns + j];
    }
    mean /= rows;
    double var = 0;
    for (int i = 0; i < rows; i++) {
      double d = x[i * columns + j] - mean;
      var += d * d;
    }
    return new double[] {mean, Math.sqrt(var / rows)};
  }

  private static Dataset shiftedRegression(int rows, int features, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * features];
    float[] t = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < features; j++) {
        x[i * features + j] = (float) (1000 * j + (j + 1) * r.nextGaussian());
      }
      t[i] = (float) (50 + 7 * r.nextGaussian());
    }
    List<String> names = java.util.stream.IntStream.range(0, features).mapToObj(j -> "f" + j).toList();
    return new Dataset("reg", rows, features, x, Task.regression(1), null, t, names);
  }

  @Test
  void fittedOnTrainingRowsOnlyAndAppliedToEveryPart() {
    Dataset data = shiftedRegression(203, 5, 9);
    Split raw = Split.of(data, 4);
    StandardizedSplit s = StandardizedSplit.fit(raw);
    Dataset train = s.split().train();
    for (int j = 0; j < 5; j++) {
      double[] m = moments(train.x(), train.rows(), 5, j);
      // The float mean is off by up to half an ulp of the raw mean, which the division scales by 1/scale.
      double tolerance = 2 * Math.ulp(Math.abs(s.inputs().mean()[j])) / s.inputs().scale()[j] + 1e-6;
      assertEquals(0, m[0], tolerance, "standardised training mean of column " + j);
      assertEquals(1, m[1], 1e-4, "standardised training spread of column " + j);
      double[] rawTrain = moments(raw.train().x(), raw.train().rows(), 5, j);
      assertEquals(rawTrain[0], s.inputs().mean()[j], 1e-3 * Math.max(1, Math.abs(rawTrain[0])));
      assertEquals(rawTrain[1], s.inputs().scale()[j], 1e-4 * rawTrain[1]);
    }
    // the other parts use the training statistics, not their own
    Dataset val = s.split().validation();
    for (int i = 0; i < val.rows(); i++) {
      for (int j = 0; j < 5; j++) {
        float expected = (float) (((double) raw.validation().x()[i * 5 + j] - s.inputs().mean()[j])
            / s.inputs().scale()[j]);
        assertEquals(expected, val.x()[i * 5 + j]);
      }
    }
    double[] t = moments(train.targets(), train.rows(), 1, 0);
    assertEquals(0, t[0], 1e-5);
    assertEquals(1, t[1], 1e-4);
    float[] back = s.split().test().targets().clone();
    s.targets().invert(back, 0, back.length);
    assertArrayEquals(raw.test().targets(), back, 1e-4f);
    // the raw data is untouched
    assertArrayEquals(shiftedRegression(203, 5, 9).x(), data.x());
  }

  @Test
  void classificationKeepsLabelsAndHasNoTargetMap() throws Exception {
    Split raw = Split.of(BuiltinData.load("wine"), 1);
    StandardizedSplit s = StandardizedSplit.fit(raw);
    assertNull(s.targets());
    assertSame(raw.test().labels(), s.split().test().labels());
    assertEquals(Standardization.fit(raw.train().x(), raw.train().rows(), 13), s.inputs());
  }

  @Test
  void applyChecksShapes() {
    Dataset data = shiftedRegression(10, 3, 1);
    assertThrows(IllegalArgumentException.class, () -> StandardizedSplit.apply(data, Standardization.identity(2), null));
    assertThrows(IllegalArgumentException.class,
        () -> StandardizedSplit.apply(data, Standardization.identity(3), Standardization.identity(2)));
  }
}
