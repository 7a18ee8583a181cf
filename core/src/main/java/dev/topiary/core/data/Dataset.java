package dev.topiary.core.data;

import dev.topiary.core.model.Task;
import java.util.List;
import java.util.Objects;

/**
 * A table of examples in memory: a row-major [rows × features] float matrix of inputs and, per row, a
 * class index (classification) or {@link Task#outputs()} real targets (regression).
 *
 * <p>Immutable by convention: the arrays are shared, not copied, between a data set and the subsets and
 * views made from it, and nothing in Topiary writes to them after construction.
 */
public final class Dataset {

  private final String name;
  private final int rows;
  private final int features;
  private final float[] x;
  private final Task task;
  private final int[] labels;
  private final float[] targets;
  private final List<String> featureNames;

  /**
   * A data set over the given arrays (not copied).
   *
   * @param x [rows × features] row-major inputs
   * @param labels class index per row in [0, K) for classification, else null
   * @param targets [rows × outputs] row-major targets for regression, else null
   * @param featureNames one name per feature column
   */
  public Dataset(String name, int rows, int features, float[] x, Task task, int[] labels, float[] targets,
      List<String> featureNames) {
    this.name = Objects.requireNonNull(name, "name");
    this.task = Objects.requireNonNull(task, "task");
    if (rows < 0 || features < 1) {
      throw new IllegalArgumentException("a data set needs rows >= 0 and features >= 1, found "
          + rows + " x " + features);
    }
    if (x.length != (long) rows * features) {
      throw new IllegalArgumentException(
          "inputs have " + x.length + " values, expected " + rows + " x " + features);
    }
    if (task.isClassification()) {
      if (labels == null || labels.length != rows || targets != null) {
        throw new IllegalArgumentException("a classification data set needs one label per row and no targets");
      }
      for (int i = 0; i < rows; i++) {
        if (labels[i] < 0 || labels[i] >= task.classes()) {
          throw new IllegalArgumentException(
              "row " + i + ": label " + labels[i] + " outside [0, " + task.classes() + ")");
        }
      }
    } else if (targets == null || targets.length != (long) rows * task.outputs() || labels != null) {
      throw new IllegalArgumentException(
          "a regression data set needs " + task.outputs() + " targets per row and no labels");
    }
    if (featureNames.size() != features) {
      throw new IllegalArgumentException(
          featureNames.size() + " feature names for " + features + " features");
    }
    this.rows = rows;
    this.features = features;
    this.x = x;
    this.labels = labels;
    this.targets = targets;
    this.featureNames = List.copyOf(featureNames);
  }

  /** Where the data came from, e.g. {@code builtin:iris} or a file name. */
  public String name() {
    return name;
  }

  /** Number of examples. */
  public int rows() {
    return rows;
  }

  /** Number of input features. */
  public int features() {
    return features;
  }

  /** The [rows × features] inputs (shared; do not modify). */
  public float[] x() {
    return x;
  }

  /** The task the targets describe. */
  public Task task() {
    return task;
  }

  /** Class index per row (classification), else null. Shared; do not modify. */
  public int[] labels() {
    return labels;
  }

  /** [rows × outputs] targets (regression), else null. Shared; do not modify. */
  public float[] targets() {
    return targets;
  }

  /** Feature column names. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The rows at the given indices, in that order, as a new data set. */
  public Dataset subset(int[] indices, String subsetName) {
    float[] sx = new float[indices.length * features];
    int[] sl = labels == null ? null : new int[indices.length];
    int outs = task.outputs();
    float[] st = targets == null ? null : new float[indices.length * outs];
    for (int i = 0; i < indices.length; i++) {
      int r = indices[i];
      Objects.checkIndex(r, rows);
      System.arraycopy(x, r * features, sx, i * features, features);
      if (sl != null) {
        sl[i] = labels[r];
      }
      if (st != null) {
        System.arraycopy(targets, r * outs, st, i * outs, outs);
      }
    }
    return new Dataset(subsetName, indices.length, features, sx, task, sl, st, featureNames);
  }

  /** The same targets with other inputs of the same shape (for standardised copies). */
  public Dataset withInputs(float[] newX) {
    return new Dataset(name, rows, features, newX, task, labels, targets, featureNames);
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", " + rows + " x " + features + ", " + task.kind()
        + (task.isClassification() ? ", " + task.classes() + " classes" : "") + "]";
  }
}
