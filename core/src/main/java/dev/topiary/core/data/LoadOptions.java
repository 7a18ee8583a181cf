package dev.topiary.core.data;

/**
 * How to read a data source (see {@link DataSources#load}). Only CSV files use every field; embedded data
 * sets and IDX files know their own target and task.
 *
 * @param targetName the header name of the target column, or null to use {@code targetIndex}; when no
 *     column has this name and it is a non-negative integer, it is taken as a 0-based column index (so a
 *     command line's {@code --target} can be either)
 * @param targetIndex the 0-based index of the target column when {@code targetName} is null; -1 means the
 *     last column
 * @param task whether to infer the task from the target column or force one
 * @param delimiter the field separator (comma by default); never a double quote, CR or LF
 * @param dropNonFinite when true, rows with a NaN, infinite or empty cell are dropped (and counted in
 *     {@link Loaded#droppedRows()}); when false, such a cell is an error naming its line and column
 * @param maxInferredClasses when the task is inferred, an integer-valued target with more distinct values
 *     than this is taken as regression (default 100)
 */
public record LoadOptions(String targetName, int targetIndex, TaskChoice task, char delimiter,
    boolean dropNonFinite, int maxInferredClasses) {

  /** Whether the task is inferred from the target column or given. */
  public enum TaskChoice {
    /**
     * Infer: a target with a non-numeric cell is classification; a numeric target whose values are all
     * integers, with at least 2 and at most {@code maxInferredClasses} distinct values and at least two
     * rows per distinct value on average, is classification; anything else is regression.
     */
    INFER,
    /** Classification: every distinct target value is a class. */
    CLASSIFICATION,
    /** Regression on one numeric target. */
    REGRESSION
  }

  /** The defaults: last column as target, task inferred, comma-separated, non-finite cells rejected. */
  public static final LoadOptions DEFAULTS = new LoadOptions(null, -1, TaskChoice.INFER, ',', false, 100);

  /** Checks the fields. */
  public LoadOptions {
    if (targetIndex < -1) {
      throw new IllegalArgumentException("targetIndex must be >= 0, or -1 for the last column, found " + targetIndex);
    }
    if (task == null) {
      throw new IllegalArgumentException("task must not be null (use TaskChoice.INFER)");
    }
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
      throw new IllegalArgumentException("the delimiter cannot be a double quote, CR or LF");
    }
    if (maxInferredClasses < 2) {
      throw new IllegalArgumentException("maxInferredClasses must be >= 2, found " + maxInferredClasses);
    }
  }

  /** The defaults ({@link #DEFAULTS}). */
  public static LoadOptions defaults() {
    return DEFAULTS;
  }

  /** The target column given by header name, or by 0-based index if no column has that name. */
  public LoadOptions withTarget(String nameOrIndex) {
    return new LoadOptions(nameOrIndex, -1, task, delimiter, dropNonFinite, maxInferredClasses);
  }

  /** The target column given by 0-based index; -1 for the last column. */
  public LoadOptions withTargetIndex(int index) {
    return new LoadOptions(null, index, task, delimiter, dropNonFinite, maxInferredClasses);
  }

  /** The task inferred or forced. */
  public LoadOptions withTask(TaskChoice choice) {
    return new LoadOptions(targetName, targetIndex, choice, delimiter, dropNonFinite, maxInferredClasses);
  }

  /** Another field separator, e.g. {@code ';'} or {@code '\t'}. */
  public LoadOptions withDelimiter(char d) {
    return new LoadOptions(targetName, targetIndex, task, d, dropNonFinite, maxInferredClasses);
  }

  /** Drop rows with NaN, infinite or empty cells instead of failing on them. */
  public LoadOptions withDropNonFinite(boolean drop) {
    return new LoadOptions(targetName, targetIndex, task, delimiter, drop, maxInferredClasses);
  }

  /** The largest number of distinct integer values an inferred classification target may have. */
  public LoadOptions withMaxInferredClasses(int max) {
    return new LoadOptions(targetName, targetIndex, task, delimiter, dropNonFinite, max);
  }
}
