package dev.topiary.datasets;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The embedded data sets: one CSV each, a header row, numeric cells, the target in the last column
 * named {@code target}. Classification targets are 0..K−1; regression targets are raw values.
 *
 * <p>Sources and licences are listed in {@code NOTICE-datasets.md} beside the CSV files.
 */
public enum Builtin {
  /** Fisher's iris: 150 rows, 4 features, 3 classes. */
  IRIS("iris", true, 150, 4, 3),
  /** UCI wine: 178 rows, 13 features, 3 cultivars. */
  WINE("wine", true, 178, 13, 3),
  /** Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features, 2 classes (0 malignant, 1 benign). */
  BREAST_CANCER("breast_cancer", true, 569, 30, 2),
  /** Optical handwritten digits, 8×8 pixels 0..16: 1,797 rows, 64 features, 10 classes. */
  DIGITS("digits", true, 1797, 64, 10),
  /** Palmer penguins: 333 rows, 8 features (island one-hot, sex 0/1), 3 species. */
  PENGUINS("penguins", true, 333, 8, 3),
  /** Diabetes progression after one year (Efron et al. 2004): 442 rows, 10 features, regression. */
  DIABETES("diabetes", false, 442, 10, 0),
  /** Concrete compressive strength in MPa (Yeh): 1,030 rows, 8 features, regression. */
  CONCRETE("concrete", false, 1030, 8, 0);

  private final String id;
  private final boolean classification;
  private final int rows;
  private final int features;
  private final int classes;

  Builtin(String id, boolean classification, int rows, int features, int classes) {
    this.id = id;
    this.classification = classification;
    this.rows = rows;
    this.features = features;
    this.classes = classes;
  }

  /** The name used in {@code builtin:NAME}. */
  public String id() {
    return id;
  }

  /** True for classification, false for regression. */
  public boolean classification() {
    return classification;
  }

  /** Number of data rows (the header not counted). */
  public int rows() {
    return rows;
  }

  /** Number of feature columns. */
  public int features() {
    return features;
  }

  /** Number of classes; 0 for regression. */
  public int classes() {
    return classes;
  }

  /** Resource path of the CSV inside this module. */
  public String resource() {
    return "/dev/topiary/datasets/" + id + ".csv";
  }

  /** Opens the CSV; the caller closes it. */
  public InputStream open() {
    InputStream in = Builtin.class.getResourceAsStream(resource());
    if (in == null) {
      throw new IllegalStateException("embedded data set missing from the build: " + resource());
    }
    return in;
  }

  /** The data set called {@code name} (case-insensitive; {@code breast-cancer} and {@code breast_cancer} both work). */
  public static Builtin byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (Builtin b : values()) {
      if (b.id.equals(n)) {
        return b;
      }
    }
    throw new IllegalArgumentException("no embedded data set '" + name + "'; available: " + names());
  }

  /** The names of all embedded data sets. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Builtin::id).toList();
  }
}
