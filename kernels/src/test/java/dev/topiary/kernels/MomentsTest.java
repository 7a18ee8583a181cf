package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Column moments on the active implementation: stability, exact zeros, and order-free merging. */
class MomentsTest {

  /** Mean 1e4, spread 1e-2: naive Σx² − (Σx)²/n in float or even double would lose every digit. */
  @Test
  void largeMeanTinySpreadGivesTheRightVariance() {
    int rows = 5000;
    int cols = 37;
    Random rnd = new Random(11);
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (1e4 + 1e-2 * rnd.nextGaussian());
    }
    ColumnMoments cm = new ColumnMoments(cols);
    cm.accumulate(data, 0, 1000, cols);
    cm.accumulate(data, 1000 * cols, rows - 1000, cols);
    for (int j = 0; j < cols; j++) {
      double mean = 0;
      for (int i = 0; i < rows; i++) {
        mean += data[i * cols + j];
      }
      mean /= rows;
      double m2 = 0;
      for (int i = 0; i < rows; i++) {
        double d = data[i * cols + j] - mean;
        m2 += d * d;
      }
      double var = m2 / rows;
      assertEquals(mean, cm.mean(j), 1e-9 * Math.abs(mean), "mean of column " + j);
      // The float data is quantised at ulp(1e4) ≈ 1e-3, a tenth of the spread; the kernel must see it.
      assertEquals(var, cm.variance(j), 1e-3 * var, "variance of column " + j);
    }
  }

  @Test
  void constantColumnsHaveExactlyZeroVariance() {
    int rows = 700;
    int cols = 19;
    float[] data = new float[rows * (cols + 2)];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        data[i * (cols + 2) + j] = 12345.678f + j;
      }
    }
    ColumnMoments cm = new ColumnMoments(cols);
    cm.accumulate(data, 0, rows, cols + 2);
    ColumnMoments other = new ColumnMoments(cols);
    other.accumulate(data, 0, 3, cols + 2);
    cm.merge(other);
    for (int j = 0; j < cols; j++) {
      assertEquals(0.0, cm.variance(j), "variance of constant column " + j);
      assertEquals(12345.678f + j, cm.mean(j), 0.0, "mean of constant column " + j);
    }
  }

  @Property(tries = 60, seed = "12")
  void mergingInAnyOrderAndSplitAgrees(@ForAll @IntRange(min = 2, max = 900) int rows,
      @ForAll @IntRange(min = 1, max = 40) int cols, @ForAll @IntRange(min = 1, max = 6) int parts,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (50 + 3 * rnd.nextGaussian());
    }
    ColumnMoments whole = new ColumnMoments(cols);
    whole.accumulate(data, rows);
    // Random cut points, accumulators merged in a shuffled order.
    int[] cuts = rnd.ints(parts - 1, 0, rows + 1).sorted().toArray();
    java.util.List<ColumnMoments> pieces = new java.util.ArrayList<>();
    int start = 0;
    for (int c = 0; c <= cuts.length; c++) {
      int end = c < cuts.length ? cuts[c] : rows;
      ColumnMoments p = new ColumnMoments(cols);
      if (end > start) {
        p.accumulate(data, start * cols, end - start, cols);
      }
      pieces.add(p);
      start = end;
    }
    java.util.Collections.shuffle(pieces, rnd);
    ColumnMoments merged = new ColumnMoments(cols);
    for (ColumnMoments p : pieces) {
      merged.merge(p);
    }
    assertEquals(whole.count(), merged.count());
    for (int j = 0; j < cols; j++) {
      // Each split reduces different float chunks: agreement to float resolution of the data.
      double scale = Math.abs(whole.mean(j)) + whole.std(j);
      assertEquals(whole.mean(j), merged.mean(j), 0.5 * Providers.EPS * scale);
      assertEquals(whole.variance(j), merged.variance(j), 1e-5 * whole.variance(j) + 1e-12);
      assertTrue(merged.variance(j) >= 0);
    }
  }
}
