package dev.topiary.pruning.stats;

import java.util.Arrays;

/**
 * The mean and population standard deviation of every unit of one layer within each class of labelled
 * evaluation data. A class with no rows has NaN means and deviations.
 *
 * @param counts rows per class
 * @param means [class][unit] mean output
 * @param stds [class][unit] population standard deviation (divisor: the class's row count)
 */
public record ClassMoments(long[] counts, double[][] means, double[][] stds) {

  /** Checks the shapes and copies the arrays. */
  public ClassMoments {
    if (means.length != counts.length || stds.length != counts.length) {
      throw new IllegalArgumentException(counts.length + " class counts but " + means.length + " mean and "
          + stds.length + " deviation rows");
    }
    counts = counts.clone();
    means = deepCopy(means);
    stds = deepCopy(stds);
    for (int c = 0; c < counts.length; c++) {
      if (means[c].length != means[0].length || stds[c].length != means[0].length) {
        throw new IllegalArgumentException("class " + c + " has " + means[c].length + " means and "
            + stds[c].length + " deviations, class 0 has " + means[0].length);
      }
    }
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  /** Number of classes. */
  public int classes() {
    return counts.length;
  }

  /** Rows of class c. */
  public long count(int c) {
    return counts[c];
  }

  /** Mean of unit j within class c. */
  public double mean(int c, int j) {
    return means[c][j];
  }

  /** Population standard deviation of unit j within class c. */
  public double std(int c, int j) {
    return stds[c][j];
  }

  /** A copy of the counts. */
  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** A copy of the means. */
  @Override
  public double[][] means() {
    return deepCopy(means);
  }

  /** A copy of the deviations. */
  @Override
  public double[][] stds() {
    return deepCopy(stds);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassMoments m && Arrays.equals(m.counts, counts) && Arrays.deepEquals(m.means, means)
        && Arrays.deepEquals(m.stds, stds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + Arrays.deepHashCode(means);
  }

  @Override
  public String toString() {
    return "ClassMoments[" + counts.length + " classes, " + Arrays.toString(counts) + " rows]";
  }
}
