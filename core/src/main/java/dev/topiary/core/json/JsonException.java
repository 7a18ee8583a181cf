package dev.topiary.core.json;

/**
 * Malformed JSON text, or a value that JSON cannot represent. The message names the line and column
 * (1-based) of the offending character when parsing.
 */
public final class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /** A parse error at the given 1-based line and column. */
  public JsonException(String message, int line, int column) {
    super(message + " at line " + line + ", column " + column);
    this.line = line;
    this.column = column;
  }

  /** An error with no position (writing a value JSON cannot represent). */
  public JsonException(String message) {
    super(message);
    this.line = 0;
    this.column = 0;
  }

  /** The 1-based line of the error, or 0 when it has no position. */
  public int line() {
    return line;
  }

  /** The 1-based column of the error, or 0 when it has no position. */
  public int column() {
    return column;
  }
}
