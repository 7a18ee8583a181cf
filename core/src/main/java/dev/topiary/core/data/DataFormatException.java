package dev.topiary.core.data;

import java.io.IOException;

/**
 * Input data that cannot be read as a data set: a malformed CSV row, a non-numeric or non-finite cell, an
 * empty file, a target with a single class, a corrupt or truncated IDX file.
 *
 * <p>The message is one line that names the source and, where it applies, the 1-based line and the column
 * (1-based number and header name), then says what was expected and what was found, e.g.
 * {@code data.csv, line 7, column 3 (petal_length): expected a number, found 'abc'}. The same facts are
 * available as fields for callers that want to present them differently.
 *
 * <p>It is an {@link IOException} so that a caller who handles "could not read the data" in one place
 * (a missing file is a {@link java.nio.file.NoSuchFileException}) handles this too.
 */
public final class DataFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String columnName;
  private final String problem;

  /**
   * An error at a place in a source.
   *
   * @param source the file name or data set name
   * @param line 1-based line, or 0 when the error is not about one line
   * @param column 1-based column number, or 0 when the error is not about one column
   * @param columnName the column's header name, or null
   * @param problem what is wrong, e.g. {@code expected a number, found 'abc'}
   */
  public DataFormatException(String source, int line, int column, String columnName, String problem) {
    super(format(source, line, column, columnName, problem));
    this.source = source;
    this.line = line;
    this.column = column;
    this.columnName = columnName;
    this.problem = problem;
  }

  /** An error about a whole source (no line or column). */
  public DataFormatException(String source, String problem) {
    this(source, 0, 0, null, problem);
  }

  /** An error about a whole source, caused by a lower-level failure (e.g. a corrupt gzip stream). */
  public DataFormatException(String source, String problem, Throwable cause) {
    this(source, 0, 0, null, problem);
    initCause(cause);
  }

  private static String format(String source, int line, int column, String columnName, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (column > 0) {
      sb.append(", column ").append(column);
      if (columnName != null) {
        sb.append(" (").append(columnName).append(')');
      }
    }
    return sb.append(": ").append(problem).toString();
  }

  /** The file or data set name. */
  public String source() {
    return source;
  }

  /** The 1-based line, or 0 when the error is not about one line. */
  public int line() {
    return line;
  }

  /** The 1-based column number, or 0 when the error is not about one column. */
  public int column() {
    return column;
  }

  /** The column's header name, or null. */
  public String columnName() {
    return columnName;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
