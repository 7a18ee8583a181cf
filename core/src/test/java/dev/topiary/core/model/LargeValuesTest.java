package dev.topiary.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.kernels.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finite floats of any size standardise to finite values; layers too large for an array are refused. */
class LargeValuesTest {

  /** Mean and population standard deviation of column j, in double, two passes. */
  private static double[] reference(float[] x, int rows, int cols, int j) {
    double s = 0;
    for (int i = 0; i < rows; i++) {
      s += x[i * cols + j];
    }
    double m = s / rows;
    double ss = 0;
    for (int i = 0; i < rows; i++) {
      double d = x[i * cols + j] - m;
      ss += d * d;
    }
    return new double[] {m, Math.sqrt(ss / rows)};
  }

  @Test
  void columnsNearTheFloatLimitStandardiseToFiniteValues() {
    // 37 rows (not a multiple of any vector length), three columns: ±1e20, ±3e38 and ordinary values.
    int rows = 37;
    int cols = 3;
    float[] x = new float[rows * cols];
    Random r = new Random(11);
    for (int i = 0; i < rows; i++) {
      x[i * cols] = (r.nextBoolean() ? 1 : -1) * 1e20f * (0.5f + r.nextFloat());
      x[i * cols + 1] = (r.nextBoolean() ? 3e38f : -3e38f);
      x[i * cols + 2] = r.nextFloat();
    }
    Standardization s = Standardization.fit(x, rows, cols);
    for (int j = 0; j < cols; j++) {
      double[] ref = reference(x, rows, cols, j);
      // float rounding of the result, plus the double sums' rounding over `rows` terms
      double tol = Math.ulp((float) Math.abs(ref[0])) + Math.ulp((float) ref[1]) + rows * Math.ulp(ref[1]);
      assertEquals(ref[0], s.mean()[j], tol + 1e-6 * ref[1], "mean of column " + j);
      assertEquals(ref[1], s.scale()[j], Math.ulp((float) ref[1]) + 1e-6 * ref[1], "scale of column " + j);
    }
    float[] out = new float[x.length];
    s.apply(x, 0, out, 0, rows);
    for (int i = 0; i < out.length; i++) {
      assertTrue(Float.isFinite(out[i]), "standardised value " + i + " = " + out[i]);
      int j = i % cols;
      double expected = (x[i] - (double) s.mean()[j]) / s.scale()[j];
      assertEquals(expected, out[i], Math.ulp((float) expected) + 1e-12);
    }
    // and back: invert recovers the raw column within float rounding
    float[] back = out.clone();
    s.invert(back, 0, rows);
    for (int i = 0; i < back.length; i++) {
      assertEquals(x[i], back[i], 4 * Math.ulp(x[i]) + 8 * Math.ulp(s.scale()[i % cols]), "inverted value " + i);
    }
  }

  @Test
  void aLayerTooLargeForAJavaArrayIsRefusedBeforeAllocating() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DenseLayer.zeros(64, 100_000_000, Activation.RELU));
    assertEquals("a dense layer 64 -> 100000000 would hold 6400000000 weights, more than a Java array can hold ("
        + DenseLayer.MAX_WEIGHTS + ")", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Network.mlp(64, new int[] {100_000_000}, Activation.RELU, Task.regression(1), 1));
  }
}
