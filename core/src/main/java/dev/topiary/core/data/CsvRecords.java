package dev.topiary.core.data;

import java.util.Arrays;
import java.util.List;

/**
 * Splits CSV text into records and fields (RFC 4180 basics): a field may be wrapped in double quotes, in
 * which case it may contain the delimiter, line breaks and doubled quotes ({@code ""} for {@code "}); line
 * ends are LF, CRLF or a lone CR; lines holding nothing but spaces and tabs are skipped wherever they are.
 *
 * <p>Fields are kept as spans of the text, so reading a number allocates nothing (see
 * {@link DecimalScanner}). Lines are counted from 1, including skipped ones, so errors point at the line
 * an editor shows.
 */
final class CsvRecords {

  private final String text;
  private final int n;
  private final char delimiter;
  private final String source;
  private List<String> names = List.of();

  private int pos;
  private int line = 1;

  private int recordLine;
  private int count;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private boolean[] quoted = new boolean[16];
  private boolean[] escaped = new boolean[16];

  CsvRecords(String text, char delimiter, String source) {
    this.text = text;
    this.n = text.length();
    this.delimiter = delimiter;
    this.source = source;
    if (n > 0 && text.charAt(0) == '\uFEFF') {
      pos = 1;
    }
  }

  /** Column names used in error messages from now on (after the header has been read). */
  void names(List<String> columnNames) {
    this.names = columnNames;
  }

  /** Reads the next non-blank record; false at the end of the text. */
  boolean next() throws DataFormatException {
    while (true) {
      int p = pos;
      while (p < n && isSpace(text.charAt(p))) {
        p++;
      }
      if (p == n) {
        pos = n;
        return false;
      }
      char c = text.charAt(p);
      if (c != '\n' && c != '\r') {
        break;
      }
      pos = skipLineEnd(p);
      line++;
    }
    recordLine = line;
    count = 0;
    while (true) {
      int p = pos;
      int q = p;
      while (q < n && isSpace(text.charAt(q))) {
        q++;
      }
      if (q < n && text.charAt(q) == '"') {
        int fieldLine = line;
        int start = q + 1;
        int i = start;
        boolean esc = false;
        while (true) {
          if (i >= n) {
            throw error(fieldLine, count + 1,
                "unterminated quoted field: the closing '\"' of the quote opened here is missing");
          }
          char c = text.charAt(i);
          if (c == '"') {
            if (i + 1 < n && text.charAt(i + 1) == '"') {
              esc = true;
              i += 2;
              continue;
            }
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
            line++;
          }
          i++;
        }
        add(start, i, true, esc);
        i++;
        while (i < n && isSpace(text.charAt(i))) {
          i++;
        }
        if (i < n) {
          char c = text.charAt(i);
          if (c != delimiter && c != '\n' && c != '\r') {
            throw error(line, count, "unexpected character '" + c + "' after the closing quote of a field");
          }
        }
        pos = i;
      } else {
        int i = p;
        char c;
        while (i < n && (c = text.charAt(i)) != delimiter && c != '\n' && c != '\r') {
          i++;
        }
        add(p, i, false, false);
        pos = i;
      }
      if (pos < n && text.charAt(pos) == delimiter) {
        pos++;
        continue;
      }
      if (pos < n) {
        pos = skipLineEnd(pos);
        line++;
      }
      return true;
    }
  }

  private void add(int start, int end, boolean isQuoted, boolean isEscaped) {
    if (count == starts.length) {
      int m = count * 2;
      starts = Arrays.copyOf(starts, m);
      ends = Arrays.copyOf(ends, m);
      quoted = Arrays.copyOf(quoted, m);
      escaped = Arrays.copyOf(escaped, m);
    }
    starts[count] = start;
    ends[count] = end;
    quoted[count] = isQuoted;
    escaped[count] = isEscaped;
    count++;
  }

  private int skipLineEnd(int p) {
    if (text.charAt(p) == '\r' && p + 1 < n && text.charAt(p + 1) == '\n') {
      return p + 2;
    }
    return p + 1;
  }

  private boolean isSpace(char c) {
    return c != delimiter && DecimalScanner.isBlank(c);
  }

  /** The 1-based line on which the current record starts. */
  int line() {
    return recordLine;
  }

  /** Number of fields in the current record. */
  int count() {
    return count;
  }

  /** Field k as text: quoted fields exactly as written inside the quotes (unescaped), others trimmed. */
  String string(int k) {
    int s = starts[k];
    int e = ends[k];
    if (quoted[k]) {
      String v = text.substring(s, e);
      return escaped[k] ? v.replace("\"\"", "\"") : v;
    }
    while (s < e && DecimalScanner.isBlank(text.charAt(s))) {
      s++;
    }
    while (e > s && DecimalScanner.isBlank(text.charAt(e - 1))) {
      e--;
    }
    return text.substring(s, e);
  }

  /** Field k as a number; check {@link DecimalScanner#status()}. */
  float number(int k, DecimalScanner scanner) {
    return scanner.parse(text, starts[k], ends[k]);
  }

  /** Field k for an error message: at most 40 characters. */
  String display(int k) {
    String v = string(k);
    return v.length() <= 40 ? v : v.substring(0, 37) + "...";
  }

  /** An error at the given line and 1-based column of this source. */
  DataFormatException error(int atLine, int column, String problem) {
    String name = column >= 1 && column <= names.size() ? names.get(column - 1) : null;
    return new DataFormatException(source, atLine, column, name, problem);
  }
}
