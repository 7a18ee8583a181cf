package dev.topiary.core.data;

import java.nio.charset.Charset;

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
 * @param missing what to do with a missing cell (see {@link Missing})
 * @param maxInferredClasses when the task is inferred, an integer-valued target with more distinct values
 *     than this is taken as regression (default 100)
 * @param encoding the text's character set, or null for UTF-8 checked strictly (an invalid byte
 *     sequence, or text that is UTF-16, is an error naming its line and column)
 */
public record LoadOptions(String targetName, int targetIndex, TaskChoice task, char delimiter,
    Missing missing, int maxInferredClasses, Charset encoding) {

  /** Whether the task is inferred from the target column or given. */
  public enum TaskChoice {
    /**
     * Infer: a target with a non-numeric cell is classification; a numeric target whose values are all
     * integers, with at least 2 and at most {@code maxInferredClasses} distinct values and at least two
     * rows per distinct value on average, is classification; anything else is regression. A target that
     * is numeric in at least 90 % of its rows but not in all of them is an error (a typo would otherwise
     * turn a regression target into classes).
     */
    INFER,
    /** Classification: every distinct target value is a class. */
    CLASSIFICATION,
    /** Regression on one numeric target. */
    REGRESSION
  }

  /**
   * What a missing cell is and what happens to it. A missing cell is an empty one, one of the markers
   * {@code ?}, {@code NA}, {@code N/A}, {@code NaN}, {@code null} (any case), or a value that is infinite
   * or too large for a float.
   */
  public enum Missing {
    /** A missing cell is an error naming its line and column. */
    ERROR,
    /** A row with a missing cell is dropped (and counted in {@link Loaded#droppedRows()}). */
    DROP,
    /**
     * A missing feature cell is kept as NaN, to be filled by an {@link Imputation} fitted on the training
     * rows (the mean of the column, or its most frequent value when every value is an integer); a row
     * whose target is missing is dropped, since no target can be made up.
     */
    MEAN
  }

  /** The defaults: last column as target, task inferred, comma-separated, missing cells rejected, UTF-8. */
  public static final LoadOptions DEFAULTS =
      new LoadOptions(null, -1, TaskChoice.INFER, ',', Missing.ERROR, 100, null);

  /** Checks the fields. */
  public LoadOptions {
    if (targetIndex < -1) {
      throw new IllegalArgumentException("targetIndex must be >= 0, or -1 for the last column, found " + targetIndex);
    }
    if (task == null) {
      throw new IllegalArgumentException("task must not be null (use TaskChoice.INFER)");
    }
    if (missing == null) {
      throw new IllegalArgumentException("missing must not be null (use Missing.ERROR)");
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

  /** True when rows with a missing cell are dropped. */
  public boolean dropNonFinite() {
    return missing == Missing.DROP;
  }

  /** The target column given by header name, or by 0-based index if no column has that name. */
  public LoadOptions withTarget(String nameOrIndex) {
    return new LoadOptions(nameOrIndex, -1, task, delimiter, missing, maxInferredClasses, encoding);
  }

  /** The target column given by 0-based index; -1 for the last column. */
  public LoadOptions withTargetIndex(int index) {
    return new LoadOptions(null, index, task, delimiter, missing, maxInferredClasses, encoding);
  }

  /** The task inferred or forced. */
  public LoadOptions withTask(TaskChoice choice) {
    return new LoadOptions(targetName, targetIndex, choice, delimiter, missing, maxInferredClasses, encoding);
  }

  /** Another field separator, e.g. {@code ';'} or {@code '\t'}. */
  public LoadOptions withDelimiter(char d) {
    return new LoadOptions(targetName, targetIndex, task, d, missing, maxInferredClasses, encoding);
  }

  /** What to do with missing cells. */
  public LoadOptions withMissing(Missing m) {
    return new LoadOptions(targetName, targetIndex, task, delimiter, m, maxInferredClasses, encoding);
  }

  /** Drop rows with missing cells ({@link Missing#DROP}) instead of failing on them ({@link Missing#ERROR}). */
  public LoadOptions withDropNonFinite(boolean drop) {
    return withMissing(drop ? Missing.DROP : Missing.ERROR);
  }

  /** The largest number of distinct integer values an inferred classification target may have. */
  public LoadOptions withMaxInferredClasses(int max) {
    return new LoadOptions(targetName, targetIndex, task, delimiter, missing, max, encoding);
  }

  /** The text's character set; null for strict UTF-8. */
  public LoadOptions withEncoding(Charset charset) {
    return new LoadOptions(targetName, targetIndex, task, delimiter, missing, maxInferredClasses, charset);
  }
}
