package dev.topiary.pruning.stats;

import java.util.Arrays;

/**
 * A histogram of every unit's output of one layer over the evaluation data: {@code bins} equal bins
 * spanning [min_j, max_j] of that unit, the last bin closed on the right. A value v falls in bin
 * ⌊(v − min)/(max − min)·bins⌋ (clamped to the last bin); a unit with min = max puts every row in bin 0.
 *
 * @param min per-unit smallest output
 * @param max per-unit largest output
 * @param counts [unit][bin] number of rows
 */
public record Histograms(double[] min, double[] max, long[][] counts) {

  /** Checks the shapes and copies the arrays. */
  public Histograms {
    if (max.length != min.length || counts.length != min.length) {
      throw new IllegalArgumentException(min.length + " minima, " + max.length + " maxima and "
          + counts.length + " histograms");
    }
    min = min.clone();
    max = max.clone();
    long[][] c = new long[counts.length][];
    for (int j = 0; j < counts.length; j++) {
      c[j] = counts[j].clone();
      if (c[j].length != c[0].length || c[j].length < 1) {
        throw new IllegalArgumentException("unit " + j + " has " + c[j].length + " bins, unit 0 has "
            + c[0].length);
      }
    }
    counts = c;
  }

  /** The bin of value {@code v} for a unit whose outputs span [lo, hi], with {@code bins} bins. */
  public static int bin(double v, double lo, double hi, int bins) {
    if (!(hi > lo)) {
      return 0;
    }
    int b = (int) ((v - lo) / (hi - lo) * bins);
    return b < 0 ? 0 : Math.min(b, bins - 1);
  }

  /** Number of bins per unit. */
  public int bins() {
    return counts.length == 0 ? 0 : counts[0].length;
  }

  /** Number of units. */
  public int width() {
    return min.length;
  }

  /** Rows of unit j in bin b. */
  public long count(int j, int b) {
    return counts[j][b];
  }

  /** A copy of unit j's bin counts. */
  public long[] counts(int j) {
    return counts[j].clone();
  }

  /** A copy of the minima. */
  @Override
  public double[] min() {
    return min.clone();
  }

  /** A copy of the maxima. */
  @Override
  public double[] max() {
    return max.clone();
  }

  /** A copy of all counts. */
  @Override
  public long[][] counts() {
    long[][] c = new long[counts.length][];
    for (int j = 0; j < c.length; j++) {
      c[j] = counts[j].clone();
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histograms h && Arrays.equals(h.min, min) && Arrays.equals(h.max, max)
        && Arrays.deepEquals(h.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(min) * 31 + Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "Histograms[" + min.length + " units, " + bins() + " bins]";
  }
}
