package dev.topiary.kernels;

import java.util.Arrays;

/**
 * Per-column count, mean and variance of a stream of [rows × columns] blocks, kept in double precision.
 *
 * <p>Each block is reduced in chunks of at most {@value #CHUNK} rows by a SIMD pass of sums shifted by the
 * chunk's first row (x − x₀ is exact when x is close to x₀, so data with a large mean and a tiny spread
 * keeps its digits), turned into a chunk mean and sum of squared deviations, and merged into the running
 * state with Chan, Golub and LeVeque's pairwise formula: δ = μ_b − μ_a, n = n_a + n_b,
 * μ = μ_a + δ·n_b/n, M₂ = M₂a + M₂b + δ²·n_a·n_b/n. Two accumulators filled from different parts of the
 * data (different threads, say) merge with the same formula, in any order.
 *
 * <p>Not thread-safe: give each thread its own instance and {@link #merge} them.
 */
public final class ColumnMoments {

  /** Rows reduced in float before a chunk is merged in double. */
  public static final int CHUNK = 256;

  private final int columns;
  private long count;
  private final double[] mean;
  private final double[] m2;
  // Workspaces for one chunk, reused across calls.
  private final float[] shift;
  private final float[] s1;
  private final float[] s2;

  /** An empty accumulator for {@code columns} columns. */
  public ColumnMoments(int columns) {
    if (columns < 0) {
      throw new IllegalArgumentException("columns must be >= 0, found " + columns);
    }
    this.columns = columns;
    this.mean = new double[columns];
    this.m2 = new double[columns];
    this.shift = new float[columns];
    this.s1 = new float[columns];
    this.s2 = new float[columns];
  }

  /** Number of columns. */
  public int columns() {
    return columns;
  }

  /** Number of rows seen so far. */
  public long count() {
    return count;
  }

  /**
   * Adds a block of {@code rows} rows, row i starting at {@code off + i·ld}, each with
   * {@link #columns()} values.
   */
  public void accumulate(float[] data, int off, int rows, int ld) {
    Kernels.checkMatrix("data", data, off, rows, columns, ld);
    for (int start = 0; start < rows; start += CHUNK) {
      int n = Math.min(CHUNK, rows - start);
      int base = off + start * ld;
      System.arraycopy(data, base, shift, 0, columns);
      Arrays.fill(s1, 0f);
      Arrays.fill(s2, 0f);
      Kernels.provider().shiftedColumnSums(n, columns, data, base, ld, shift, s1, s2);
      for (int j = 0; j < columns; j++) {
        double d1 = s1[j];
        double chunkMean = shift[j] + d1 / n;
        double chunkM2 = Math.max(0.0, s2[j] - d1 * d1 / n);
        mergeColumn(j, n, chunkMean, chunkM2);
      }
      count += n;
    }
  }

  /** Adds a contiguous block of {@code rows} rows. */
  public void accumulate(float[] data, int rows) {
    accumulate(data, 0, rows, columns);
  }

  /** Merges another accumulator's rows into this one (Chan's formula); the other is unchanged. */
  public void merge(ColumnMoments other) {
    if (other.columns != columns) {
      throw new IllegalArgumentException(
          "column counts differ: " + columns + " != " + other.columns);
    }
    if (other.count == 0) {
      return;
    }
    for (int j = 0; j < columns; j++) {
      mergeColumn(j, other.count, other.mean[j], other.m2[j]);
    }
    count += other.count;
  }

  private void mergeColumn(int j, long nb, double meanB, double m2B) {
    long na = count;
    if (na == 0) {
      mean[j] = meanB;
      m2[j] = m2B;
      return;
    }
    double n = (double) na + nb;
    double delta = meanB - mean[j];
    mean[j] += delta * (nb / n);
    m2[j] += m2B + delta * delta * ((double) na * nb / n);
  }

  /** Mean of column j; NaN before any row was added. */
  public double mean(int j) {
    return count == 0 ? Double.NaN : mean[j];
  }

  /** Population variance (divisor n) of column j; NaN before any row was added. */
  public double variance(int j) {
    return count == 0 ? Double.NaN : m2[j] / count;
  }

  /** Sample variance (divisor n − 1) of column j; NaN with fewer than two rows. */
  public double sampleVariance(int j) {
    return count < 2 ? Double.NaN : m2[j] / (count - 1);
  }

  /** Population standard deviation of column j. */
  public double std(int j) {
    return Math.sqrt(variance(j));
  }

  /** A copy of all column means. */
  public double[] means() {
    double[] out = new double[columns];
    for (int j = 0; j < columns; j++) {
      out[j] = mean(j);
    }
    return out;
  }

  /** A copy of all population standard deviations. */
  public double[] stds() {
    double[] out = new double[columns];
    for (int j = 0; j < columns; j++) {
      out[j] = std(j);
    }
    return out;
  }

  /** Forgets every row seen. */
  public void reset() {
    count = 0;
    Arrays.fill(mean, 0.0);
    Arrays.fill(m2, 0.0);
  }
}
