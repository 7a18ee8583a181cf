package dev.topiary.core.data;

import dev.topiary.core.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills missing feature cells (NaN, see {@link LoadOptions.Missing#MEAN}) with one value per column,
 * fitted on training rows only and carried by the model (in its metadata under {@value #METADATA_KEY}) so
 * that every later reader of data for that model fills the same cells with the same values.
 *
 * <p>A column whose present values are all integers (a count, a 0/1 flag, a coded category) is filled with
 * its most frequent value (the smallest, on a tie), so it never receives a value it cannot take; any other
 * column with the mean of its present values, computed in double.
 *
 * @param kinds per column, {@code "mean"} or {@code "mode"}
 * @param fill per column, the value a missing cell gets
 */
public record Imputation(List<String> kinds, float[] fill) {

  /** Metadata key under which a model records its imputation. */
  public static final String METADATA_KEY = "topiary.imputation";

  /** Checks the lengths and that every fill value is finite. */
  public Imputation {
    kinds = List.copyOf(kinds);
    if (kinds.size() != fill.length) {
      throw new IllegalArgumentException("kinds and fill lengths differ: " + kinds.size() + " != " + fill.length);
    }
    for (int j = 0; j < fill.length; j++) {
      if (!Float.isFinite(fill[j])) {
        throw new IllegalArgumentException("column " + (j + 1) + ": fill value " + fill[j] + " is not finite");
      }
      if (!kinds.get(j).equals("mean") && !kinds.get(j).equals("mode")) {
        throw new IllegalArgumentException("column " + (j + 1) + ": kind must be mean or mode, found '"
            + kinds.get(j) + "'");
      }
    }
    fill = fill.clone();
  }

  /** A copy of the fill values. */
  @Override
  public float[] fill() {
    return fill.clone();
  }

  /** Number of feature columns. */
  public int columns() {
    return fill.length;
  }

  /**
   * Fits one fill value per column on {@code train}'s present (non-NaN) cells.
   *
   * @throws DataFormatException naming the column when it has no present value in {@code train}
   */
  public static Imputation fit(Dataset train) throws DataFormatException {
    int rows = train.rows();
    int c = train.features();
    float[] x = train.x();
    List<String> kinds = new ArrayList<>(c);
    float[] fill = new float[c];
    for (int j = 0; j < c; j++) {
      double sum = 0;
      int n = 0;
      boolean integers = true;
      Map<Float, Integer> counts = new HashMap<>();
      for (int i = 0; i < rows; i++) {
        float v = x[i * c + j];
        if (Float.isNaN(v)) {
          continue;
        }
        sum += v;
        n++;
        if (integers) {
          integers = v == Math.rint(v);
          if (integers) {
            counts.merge(v, 1, Integer::sum);
            if (counts.size() > 1024) {
              integers = false;
            }
          }
        }
      }
      if (n == 0) {
        throw new DataFormatException(train.name(), 0, j + 1, train.featureNames().get(j),
            "every value of the column is missing in the training rows; there is nothing to fill it with");
      }
      if (integers) {
        float best = 0;
        int bestCount = -1;
        for (Map.Entry<Float, Integer> e : counts.entrySet()) {
          if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
            best = e.getKey();
            bestCount = e.getValue();
          }
        }
        kinds.add("mode");
        fill[j] = best;
      } else {
        kinds.add("mean");
        fill[j] = (float) (sum / n);
      }
    }
    return new Imputation(kinds, fill);
  }

  /** The number of missing (NaN) feature cells in {@code data}. */
  public static int countMissing(Dataset data) {
    int n = 0;
    for (float v : data.x()) {
      if (Float.isNaN(v)) {
        n++;
      }
    }
    return n;
  }

  /**
   * {@code data} with every NaN feature cell filled; {@code data} itself when it has none.
   *
   * @throws IllegalArgumentException when the widths differ
   */
  public Dataset apply(Dataset data) {
    if (data.features() != fill.length) {
      throw new IllegalArgumentException(data.name() + " has " + data.features() + " feature columns, the "
          + "imputation fills " + fill.length);
    }
    float[] x = data.x();
    float[] out = null;
    int c = fill.length;
    for (int i = 0; i < x.length; i++) {
      if (Float.isNaN(x[i])) {
        if (out == null) {
          out = x.clone();
        }
        out[i] = fill[i % c];
      }
    }
    if (out == null) {
      return data;
    }
    return new Dataset(data.name(), data.rows(), data.features(), out, data.task(),
        data.task().isClassification() ? data.labels() : null,
        data.task().isClassification() ? null : data.targets(), data.featureNames());
  }

  /** {@code loaded} with both parts filled, and no cell left missing. */
  public Loaded apply(Loaded loaded) {
    return new Loaded(apply(loaded.train()), loaded.test() == null ? null : apply(loaded.test()),
        loaded.droppedRows(), 0, loaded.targetNote(), loaded.warnings());
  }

  /** The JSON text a model records. */
  public String toMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kinds", kinds);
    m.put("fill", fill);
    return Json.write(m);
  }

  /**
   * The imputation a model's metadata records, or null when it records none.
   *
   * @throws IllegalArgumentException when the recorded text is not a valid imputation
   */
  public static Imputation fromMetadata(Map<String, String> metadata) {
    String text = metadata.get(METADATA_KEY);
    if (text == null) {
      return null;
    }
    try {
      if (Json.parse(text) instanceof Map<?, ?> m && m.get("kinds") instanceof List<?> k
          && m.get("fill") instanceof List<?> f && k.size() == f.size()) {
        List<String> kinds = new ArrayList<>();
        float[] fill = new float[f.size()];
        for (int j = 0; j < fill.length; j++) {
          if (!(k.get(j) instanceof String s) || !(f.get(j) instanceof Number v)) {
            throw new IllegalArgumentException("entry " + (j + 1) + " is not a kind and a number");
          }
          kinds.add(s);
          fill[j] = v.floatValue();
        }
        return new Imputation(kinds, fill);
      }
      throw new IllegalArgumentException("expected {\"kinds\": [...], \"fill\": [...]} of equal lengths");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the recorded " + METADATA_KEY + " is not valid: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Imputation i && kinds.equals(i.kinds) && Arrays.equals(fill, i.fill);
  }

  @Override
  public int hashCode() {
    return 31 * kinds.hashCode() + Arrays.hashCode(fill);
  }

  @Override
  public String toString() {
    return "Imputation[" + fill.length + " columns]";
  }
}
