package dev.topiary.spark;

import java.io.Serializable;
import java.util.List;

/**
 * Where a model's inputs, and optionally the class labels, are in a table: one vector column, or one
 * numeric column per model input matched by name in the model's order.
 *
 * @param featuresCol the vector column, used when {@code inputCols} is empty
 * @param inputCols numeric columns, one per model input; empty to use {@code featuresCol}
 * @param labelCol a numeric column of class indices in [0, classes) (what {@code StringIndexer} writes),
 *     or null for none
 */
public record InputColumns(String featuresCol, List<String> inputCols, String labelCol) implements Serializable {

  /** Copies the list. */
  public InputColumns {
    inputCols = List.copyOf(inputCols);
  }

  /** Inputs from the vector column {@code featuresCol}, no labels. */
  public static InputColumns features(String featuresCol) {
    return new InputColumns(featuresCol, List.of(), null);
  }

  /** Inputs from numeric columns matched by name, no labels. */
  public static InputColumns named(String... inputCols) {
    return new InputColumns("features", List.of(inputCols), null);
  }

  /** The same inputs with class labels from {@code labelCol}. */
  public InputColumns withLabel(String labelCol) {
    return new InputColumns(featuresCol, inputCols, labelCol);
  }

  FeatureReader reader(org.apache.spark.sql.types.StructType schema, int width, FeatureReader.MissingValues missing) {
    return FeatureReader.resolve(schema, featuresCol, inputCols.toArray(new String[0]), width, missing);
  }
}
