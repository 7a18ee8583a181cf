package dev.topiary.core.data;

import java.util.Arrays;
import java.util.Random;

/**
 * A data set cut into training, validation and test parts.
 *
 * <p>{@link #of(Dataset, Fractions, long)} cuts deterministically from a seed. Classification data is
 * stratified: each class is shuffled and divided on its own, so every part holds each class in the
 * proportion of the whole. Precisely, if class c has n<sub>c</sub> rows, part p receives
 * ⌊n<sub>c</sub>·f<sub>p</sub>⌋ or ⌈n<sub>c</sub>·f<sub>p</sub>⌉ of them (within one row of the ideal
 * share), so a class appears in every part whose ideal share is at least one row. Which parts get the
 * rounded-up count is decided by how far each part lags behind its ideal size over the classes seen so
 * far, which keeps the part sizes within a row or two of n·f<sub>p</sub>. Regression data is shuffled
 * and cut the same way, as if it were one class. The rows of each part are in shuffled order, so classes
 * are interleaved.
 *
 * <p>The shuffles use {@link java.util.Random}, whose sequence the Java specification fixes, so a seed
 * gives the same split on every JDK.
 *
 * @param train the training part
 * @param validation the validation part (for early stopping and tuning); may have no rows
 * @param test the test part (for the final figures); may have no rows
 */
public record Split(Dataset train, Dataset validation, Dataset test) {

  /**
   * The share of the rows each part receives.
   *
   * @param train the training share, &gt; 0
   * @param validation the validation share, &gt;= 0
   * @param test the test share, &gt;= 0
   */
  public record Fractions(double train, double validation, double test) {

    /** 70 % training, 15 % validation, 15 % test. */
    public static final Fractions DEFAULT = new Fractions(0.7, 0.15, 0.15);

    /** Checks that the shares are finite, non-negative, the training one positive, and sum to 1. */
    public Fractions {
      if (!(train > 0 && validation >= 0 && test >= 0) || !Double.isFinite(train + validation + test)) {
        throw new IllegalArgumentException("split fractions must be finite, train > 0 and the others >= 0, found "
            + train + "/" + validation + "/" + test);
      }
      if (Math.abs(train + validation + test - 1) > 1e-9) {
        throw new IllegalArgumentException("split fractions must sum to 1, found " + train + " + " + validation
            + " + " + test + " = " + (train + validation + test));
      }
    }

    double get(int part) {
      return part == 0 ? train : part == 1 ? validation : test;
    }
  }

  /** Checks that the parts agree on features and task. */
  public Split {
    for (Dataset d : new Dataset[] {validation, test}) {
      if (d.features() != train.features() || !d.task().equals(train.task())) {
        throw new IllegalArgumentException("parts disagree: " + train + " vs " + d);
      }
    }
  }

  /** Splits with {@link Fractions#DEFAULT}. */
  public static Split of(Dataset data, long seed) {
    return of(data, Fractions.DEFAULT, seed);
  }

  /** Splits {@code data} into three parts (see the class comment); parts are named NAME/train and so on. */
  public static Split of(Dataset data, Fractions fractions, long seed) {
    int[][] parts = indices(data, fractions, seed);
    return new Split(data.subset(parts[0], data.name() + "/train"),
        data.subset(parts[1], data.name() + "/validation"),
        data.subset(parts[2], data.name() + "/test"));
  }

  /**
   * Splits a loaded source. When it came with its own test part, that part is the test set and the rest
   * is split into training and validation in the ratio of the given training and validation shares (the
   * test share is then unused); otherwise the same as {@link #of(Dataset, Fractions, long)}.
   */
  public static Split of(Loaded loaded, Fractions fractions, long seed) {
    if (!loaded.hasTest()) {
      return of(loaded.train(), fractions, seed);
    }
    double sum = fractions.train() + fractions.validation();
    Fractions two = new Fractions(fractions.train() / sum, fractions.validation() / sum, 0);
    int[][] parts = indices(loaded.train(), two, seed);
    Dataset data = loaded.train();
    // A source with its own test part names its training part SOURCE/train already (IDX files).
    String name = withoutTrainSuffix(data.name());
    return new Split(data.subset(parts[0], name + "/train"),
        data.subset(parts[1], name + "/validation"), loaded.test());
  }

  /**
   * The name of what was split: the training part's name without its {@code /train} suffix, for
   * example {@code builtin:iris} or {@code idx:/data/fashion}.
   */
  public String source() {
    return withoutTrainSuffix(train.name());
  }

  private static String withoutTrainSuffix(String name) {
    return name.endsWith("/train") ? name.substring(0, name.length() - "/train".length()) : name;
  }

  /**
   * The row indices of the three parts ({@code [0]} train, {@code [1]} validation, {@code [2]} test) that
   * {@link #of(Dataset, Fractions, long)} takes: disjoint, together covering every row once.
   */
  public static int[][] indices(Dataset data, Fractions fractions, long seed) {
    Random random = new Random(seed);
    int[][] groups = groups(data);
    int[][] parts = new int[3][data.rows()];
    int[] filled = new int[3];
    double[] ideal = new double[3];
    int[] given = new int[3];
    int[] counts = new int[3];
    boolean[] bumped = new boolean[3];
    for (int[] group : groups) {
      shuffle(group, random);
      int n = group.length;
      int rest = n;
      for (int p = 0; p < 3; p++) {
        double share = n * fractions.get(p);
        ideal[p] += share;
        counts[p] = (int) Math.floor(share + 1e-9);
        rest -= counts[p];
        bumped[p] = false;
      }
      // The rows left by rounding down go, one each, to the parts furthest behind their ideal size.
      for (; rest > 0; rest--) {
        int best = -1;
        double bestLag = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < 3; p++) {
          double lag = ideal[p] - given[p] - counts[p];
          if (!bumped[p] && fractions.get(p) > 0 && lag > bestLag) {
            best = p;
            bestLag = lag;
          }
        }
        if (best < 0) {
          best = 0; // only reachable through rounding of fractions that sum to 1 - 1e-9
        }
        counts[best]++;
        bumped[best] = true;
      }
      int at = 0;
      for (int p = 0; p < 3; p++) {
        System.arraycopy(group, at, parts[p], filled[p], counts[p]);
        at += counts[p];
        filled[p] += counts[p];
        given[p] += counts[p];
      }
    }
    for (int p = 0; p < 3; p++) {
      parts[p] = Arrays.copyOf(parts[p], filled[p]);
      shuffle(parts[p], random);
    }
    return parts;
  }

  /** Row indices grouped by class (classification) or all in one group (regression), ascending. */
  private static int[][] groups(Dataset data) {
    int n = data.rows();
    if (!data.task().isClassification()) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return new int[][] {all};
    }
    int k = data.task().classes();
    int[] labels = data.labels();
    int[] sizes = new int[k];
    for (int i = 0; i < n; i++) {
      sizes[labels[i]]++;
    }
    int[][] groups = new int[k][];
    for (int c = 0; c < k; c++) {
      groups[c] = new int[sizes[c]];
    }
    int[] at = new int[k];
    for (int i = 0; i < n; i++) {
      groups[labels[i]][at[labels[i]]++] = i;
    }
    return groups;
  }

  /**
   * Shuffles {@code a} in place by Fisher–Yates, drawing from {@code random}: the one shuffle of row
   * indices, for splits and for the trainer's batch order alike.
   */
  public static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
