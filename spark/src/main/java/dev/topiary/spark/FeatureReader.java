package dev.topiary.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a network's inputs are in a row: one vector column, or one numeric column per input matched by
 * name. Resolved against the schema on the driver (so a wrong name or type fails before any task runs),
 * then shipped to the executors, which copy each row's features into a float batch.
 *
 * <p>A null, NaN or infinite feature is a missing value. What happens to it is the model's missing-value
 * policy; a model file that records none (every model before the policy existed) has the policy
 * "error": scoring stops with a {@link MissingFeatureException} naming the row's partition, position and
 * feature.
 */
final class FeatureReader implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String[] names; // one per input; for a vector column, its name and the index
  private final int[] ordinals; // column positions in the row; one entry for a vector column
  private final boolean vector;
  private final int width;

  private FeatureReader(String[] names, int[] ordinals, boolean vector, int width) {
    this.names = names;
    this.ordinals = ordinals;
    this.vector = vector;
    this.width = width;
  }

  /**
   * Inputs read from {@code inputCols} when it is non-empty, otherwise from the vector column
   * {@code featuresCol}.
   *
   * @throws IllegalArgumentException if a column is missing, has the wrong type, or the count does not
   *     match {@code width}
   */
  static FeatureReader resolve(StructType schema, String featuresCol, String[] inputCols, int width) {
    if (inputCols != null && inputCols.length > 0) {
      if (inputCols.length != width) {
        throw new IllegalArgumentException(inputCols.length + " input columns " + Arrays.toString(inputCols)
            + " for a model that reads " + width + " features");
      }
      int[] ord = new int[width];
      for (int i = 0; i < width; i++) {
        StructField f = field(schema, inputCols[i]);
        if (!(f.dataType() instanceof NumericType)) {
          throw new IllegalArgumentException("input column '" + inputCols[i] + "' has type "
              + f.dataType().simpleString() + "; numeric columns only");
        }
        ord[i] = schema.fieldIndex(inputCols[i]);
      }
      return new FeatureReader(inputCols.clone(), ord, false, width);
    }
    StructField f = field(schema, featuresCol);
    DataType t = f.dataType();
    if (!t.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' has type " + t.simpleString()
          + "; it must be an ml Vector (VectorAssembler builds one), or set inputCols to numeric columns");
    }
    return new FeatureReader(new String[] {featuresCol}, new int[] {schema.fieldIndex(featuresCol)}, true,
        width);
  }

  private static StructField field(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("no column '" + name + "' in " + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(name);
  }

  /** Number of features per row. */
  int width() {
    return width;
  }

  /**
   * Copies row {@code r}'s features to {@code x[off …]}.
   *
   * @param where describes the row in an error message ("partition 3, row 17")
   * @throws MissingFeatureException on a null, NaN or infinite feature
   */
  void read(Row r, float[] x, int off, String where) {
    if (vector) {
      int o = ordinals[0];
      if (r.isNullAt(o)) {
        throw new MissingFeatureException(where + ": features column '" + names[0] + "' is null");
      }
      Vector v = (Vector) r.get(o);
      if (v.size() != width) {
        throw new IllegalArgumentException(where + ": features column '" + names[0] + "' holds a vector of "
            + v.size() + " values, the model reads " + width);
      }
      if (v instanceof DenseVector d) {
        double[] a = d.values();
        for (int j = 0; j < width; j++) {
          x[off + j] = check(a[j], j, where);
        }
      } else {
        for (int j = 0; j < width; j++) {
          x[off + j] = check(v.apply(j), j, where);
        }
      }
      return;
    }
    for (int j = 0; j < width; j++) {
      int o = ordinals[j];
      if (r.isNullAt(o)) {
        throw new MissingFeatureException(where + ": column '" + names[j] + "' is null");
      }
      x[off + j] = check(((Number) r.get(o)).doubleValue(), j, where);
    }
  }

  private float check(double v, int j, String where) {
    if (!Double.isFinite(v)) {
      String what = vector ? "features column '" + names[0] + "' value " + j : "column '" + names[j] + "'";
      throw new MissingFeatureException(where + ": " + what + " is " + v);
    }
    return (float) v;
  }
}
