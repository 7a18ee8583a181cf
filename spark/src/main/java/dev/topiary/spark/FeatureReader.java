package dev.topiary.spark;

import dev.topiary.core.data.Imputation;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where a network's inputs are in a row: one vector column, or one numeric column per input matched by
 * name. Resolved against the schema on the driver (so a wrong name or type fails before any task runs),
 * then shipped to the executors, which copy each row's features into a float batch, from a {@link Row}
 * or straight from Spark's internal row format.
 *
 * <p>A feature is missing when it is null, NaN, infinite, or too large for a float (as when Topiary reads
 * a CSV file); a null vector column has every feature missing. What happens to a missing feature is the
 * {@link MissingValues} policy the reader was resolved with.
 */
final class FeatureReader implements Serializable {

  private static final long serialVersionUID = 1L;

  // Types of numeric input columns, for reading internal rows.
  private static final byte DOUBLE = 0;
  private static final byte FLOAT = 1;
  private static final byte LONG = 2;
  private static final byte INT = 3;
  private static final byte SHORT = 4;
  private static final byte BYTE = 5;
  private static final byte DECIMAL = 6;

  private final String[] names; // one per input; for a vector column, its name alone
  private final int[] ordinals; // column positions in the row; one entry for a vector column
  private final byte[] types; // per input column, how to read it from an internal row
  private final int[] precision; // of decimal columns
  private final int[] scale;
  private final boolean vector;
  private final int width;
  private final MissingValues missing;

  private FeatureReader(String[] names, int[] ordinals, byte[] types, int[] precision, int[] scale,
      boolean vector, int width, MissingValues missing) {
    this.names = names;
    this.ordinals = ordinals;
    this.types = types;
    this.precision = precision;
    this.scale = scale;
    this.vector = vector;
    this.width = width;
    this.missing = missing;
  }

  /**
   * Inputs read from {@code inputCols} when it is non-empty, otherwise from the vector column
   * {@code featuresCol}; missing values handled by {@code missing}.
   *
   * @throws IllegalArgumentException if a column is missing, has the wrong type, the count does not match
   *     {@code width}, or the policy fills another number of features
   */
  static FeatureReader resolve(StructType schema, String featuresCol, String[] inputCols, int width,
      MissingValues missing) {
    missing.check(width);
    if (inputCols != null && inputCols.length > 0) {
      if (inputCols.length != width) {
        throw new IllegalArgumentException(inputCols.length + " input columns " + Arrays.toString(inputCols)
            + " for a model that reads " + width + " features");
      }
      int[] ord = new int[width];
      byte[] types = new byte[width];
      int[] precision = new int[width];
      int[] scale = new int[width];
      for (int i = 0; i < width; i++) {
        StructField f = field(schema, inputCols[i]);
        DataType t = f.dataType();
        if (!(t instanceof NumericType)) {
          throw new IllegalArgumentException("input column '" + inputCols[i] + "' has type "
              + t.simpleString() + "; numeric columns only");
        }
        types[i] = t instanceof DoubleType ? DOUBLE : t instanceof FloatType ? FLOAT : t instanceof LongType ? LONG
            : t instanceof IntegerType ? INT : t instanceof ShortType ? SHORT : t instanceof ByteType ? BYTE : DECIMAL;
        if (t instanceof DecimalType d) {
          precision[i] = d.precision();
          scale[i] = d.scale();
        } else if (types[i] == DECIMAL) {
          throw new IllegalArgumentException("input column '" + inputCols[i] + "' has type "
              + t.simpleString() + ", which this reader does not know");
        }
        ord[i] = schema.fieldIndex(inputCols[i]);
      }
      return new FeatureReader(inputCols.clone(), ord, types, precision, scale, false, width, missing);
    }
    StructField f = field(schema, featuresCol);
    DataType t = f.dataType();
    if (!t.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' has type " + t.simpleString()
          + "; it must be an ml Vector (VectorAssembler builds one), or set inputCols to numeric columns");
    }
    return new FeatureReader(new String[] {featuresCol}, new int[] {schema.fieldIndex(featuresCol)}, null, null,
        null, true, width, missing);
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

  /** The missing-value policy. */
  MissingValues missing() {
    return missing;
  }

  /**
   * Copies row {@code r}'s features to {@code x[off …]}, filling missing ones when the policy imputes.
   *
   * @param partition the row's partition, for messages
   * @param row the row's position in its partition, for messages
   * @return false when the row has a missing feature and the policy skips such rows (what was written to
   *     {@code x} is then meaningless)
   * @throws MissingFeatureException on a missing feature when the policy is to fail
   */
  boolean read(Row r, float[] x, int off, int partition, long row) {
    if (vector) {
      int o = ordinals[0];
      if (r.isNullAt(o)) {
        return nullVector(x, off, partition, row);
      }
      Vector v = (Vector) r.get(o);
      checkSize(v.size(), partition, row);
      if (v instanceof DenseVector d) {
        double[] a = d.values();
        for (int j = 0; j < width; j++) {
          if (!put(a[j], x, off, j, partition, row)) {
            return false;
          }
        }
      } else {
        for (int j = 0; j < width; j++) {
          if (!put(v.apply(j), x, off, j, partition, row)) {
            return false;
          }
        }
      }
      return true;
    }
    for (int j = 0; j < width; j++) {
      int o = ordinals[j];
      boolean isNull = r.isNullAt(o);
      double v = isNull ? Double.NaN : ((Number) r.get(o)).doubleValue();
      if (!putCell(isNull, v, x, off, j, partition, row)) {
        return false;
      }
    }
    return true;
  }

  /**
   * As {@link #read(Row, float[], int, int, long)}, from Spark's internal row format: the vector column's
   * values array, or the numeric columns, read in place without a {@link Row} or a {@link Vector}.
   */
  boolean read(InternalRow r, float[] x, int off, int partition, long row) {
    if (vector) {
      int o = ordinals[0];
      if (r.isNullAt(o)) {
        return nullVector(x, off, partition, row);
      }
      // VectorUDT's storage: (type: 0 sparse, 1 dense; size; indices; values).
      InternalRow v = r.getStruct(o, 4);
      ArrayData values = v.getArray(3);
      if (v.getByte(0) == 1) {
        checkSize(values.numElements(), partition, row);
        for (int j = 0; j < width; j++) {
          if (!put(values.getDouble(j), x, off, j, partition, row)) {
            return false;
          }
        }
        return true;
      }
      checkSize(v.getInt(1), partition, row);
      ArrayData indices = v.getArray(2);
      Arrays.fill(x, off, off + width, 0f);
      int nnz = indices.numElements();
      for (int k = 0; k < nnz; k++) {
        if (!put(values.getDouble(k), x, off, indices.getInt(k), partition, row)) {
          return false;
        }
      }
      return true;
    }
    for (int j = 0; j < width; j++) {
      int o = ordinals[j];
      boolean isNull = r.isNullAt(o);
      double v = isNull ? Double.NaN : switch (types[j]) {
        case DOUBLE -> r.getDouble(o);
        case FLOAT -> r.getFloat(o);
        case LONG -> r.getLong(o);
        case INT -> r.getInt(o);
        case SHORT -> r.getShort(o);
        case BYTE -> r.getByte(o);
        default -> r.getDecimal(o, precision[j], scale[j]).toDouble();
      };
      if (!putCell(isNull, v, x, off, j, partition, row)) {
        return false;
      }
    }
    return true;
  }

  private void checkSize(int size, int partition, long row) {
    if (size != width) {
      throw new IllegalArgumentException("partition " + partition + ", row " + row + ": features column '"
          + names[0] + "' holds a vector of " + size + " values, the model reads " + width);
    }
  }

  /** A null features vector: every feature is missing. */
  private boolean nullVector(float[] x, int off, int partition, long row) {
    if (missing.fill() == null) {
      if (missing.skips()) {
        return false;
      }
      throw missing.failure("partition " + partition + ", row " + row + ": features column '" + names[0]
          + "' is null");
    }
    for (int j = 0; j < width; j++) {
      x[off + j] = missing.fill()[j];
    }
    return true;
  }

  /** Stores feature j of a vector column, or handles it as missing. */
  private boolean put(double v, float[] x, int off, int j, int partition, long row) {
    float f = (float) v;
    if (Float.isFinite(f)) {
      x[off + j] = f;
      return true;
    }
    return missingCell(false, v, x, off, j, partition, row);
  }

  /** Stores the value of input column j (null when {@code isNull}), or handles it as missing. */
  private boolean putCell(boolean isNull, double v, float[] x, int off, int j, int partition, long row) {
    float f = (float) v;
    if (!isNull && Float.isFinite(f)) {
      x[off + j] = f;
      return true;
    }
    return missingCell(isNull, v, x, off, j, partition, row);
  }

  private boolean missingCell(boolean isNull, double v, float[] x, int off, int j, int partition, long row) {
    float[] fill = missing.fill();
    if (fill != null) {
      x[off + j] = fill[j];
      return true;
    }
    if (missing.skips()) {
      return false;
    }
    String what = vector ? "features column '" + names[0] + "' value " + j : "column '" + names[j] + "'";
    throw missing.failure("partition " + partition + ", row " + row + ": " + what + " is "
        + (isNull ? "null" : Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? Double.toString(v)
        : v + " (too large for a float)"));
  }

  /**
   * What a reader does with a missing feature: fill it with a value per input (the model's recorded
   * {@link Imputation}), skip the row, or fail with a {@link MissingFeatureException}.
   *
   * @param fill per input, the value a missing feature gets; null when nothing is filled
   * @param skips whether a row with a missing feature is dropped (only when nothing is filled)
   * @param reason for a failure, why the row is refused (the end of its message)
   */
  record MissingValues(float[] fill, boolean skips, String reason) implements Serializable {

    /** Fail on a missing feature, for {@code reason}. */
    static MissingValues fail(String reason) {
      return new MissingValues(null, false, reason);
    }

    /** Drop a row with a missing feature. */
    static MissingValues skip() {
      return new MissingValues(null, true, null);
    }

    /** Fill missing features as {@code imputation} does. */
    static MissingValues impute(Imputation imputation) {
      return new MissingValues(imputation.fill(), false, null);
    }

    /**
     * The policy a model file records: its {@link Imputation} when it has one, otherwise "error".
     *
     * @throws IllegalArgumentException if the recorded imputation is not valid
     */
    static MissingValues ofModel(TopiaryModelBytes model) {
      Imputation imp = Imputation.fromMetadata(model.model().metadata());
      return imp != null ? impute(imp) : fail(NO_POLICY);
    }

    /** The reason of a model without an imputation. */
    static final String NO_POLICY = "the model records no missing-value policy ("
        + Imputation.METADATA_KEY + "), so every feature must be present and finite (drop or impute such rows "
        + "first, or set handleInvalid to \"skip\")";

    void check(int width) {
      if (fill != null && fill.length != width) {
        throw new IllegalArgumentException("the model's " + Imputation.METADATA_KEY + " fills " + fill.length
            + " features, the model reads " + width);
      }
    }

    MissingFeatureException failure(String where) {
      return new MissingFeatureException(where + "; " + reason);
    }
  }
}
