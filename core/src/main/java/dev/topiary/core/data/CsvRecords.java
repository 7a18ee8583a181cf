package dev.topiary.core.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Splits CSV text into records and fields (RFC 4180 basics): a field may be wrapped in double quotes, in
 * which case it may contain the delimiter, line breaks and doubled quotes ({@code ""} for {@code "}); line
 * ends are LF, CRLF or a lone CR; lines holding nothing but spaces and tabs are skipped wherever they are.
 *
 * <p>Fields are kept as spans of a character buffer, so reading a number allocates nothing (see
 * {@link DecimalScanner}). Lines are counted from 1, including skipped ones, so errors point at the line
 * an editor shows.
 *
 * <p>The text is either given whole, or read from a {@link StrictDecoder} through a window that holds the
 * current record and what follows it up to the window's size: a record that reaches the end of the window
 * before the end of the input is parsed again after the window has moved (and, for a record longer than
 * the window, grown), so both forms split the same text into the same records, fields and errors. The
 * spans of a record stay valid until the next record is read.
 */
final class CsvRecords {

  /** Returned by {@link #scan()} when the record runs past the window before the input ends. */
  private static final int MORE = -1;

  private final StrictDecoder in;
  private char[] text;
  private int n;
  private boolean ended;
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

  /** Records of the whole text {@code text[0, length)}. */
  CsvRecords(char[] text, int length, char delimiter, String source) {
    this.in = null;
    this.text = text;
    this.n = length;
    this.ended = true;
    this.delimiter = delimiter;
    this.source = source;
    if (n > 0 && text[0] == '\uFEFF') {
      pos = 1;
    }
  }

  /** Records of the whole text. */
  CsvRecords(String text, char delimiter, String source) {
    this(text.toCharArray(), text.length(), delimiter, source);
  }

  /** Records read from {@code in} through a window of at least {@code window} characters. */
  CsvRecords(StrictDecoder in, int window, char delimiter, String source) throws IOException {
    this.in = in;
    this.text = new char[Math.max(1, window)];
    this.delimiter = delimiter;
    this.source = source;
    while (n == 0 && !ended) {
      fill();
    }
    if (n > 0 && text[0] == '\uFEFF') {
      pos = 1;
    }
  }

  /**
   * Moves the unread text (from {@link #pos}) to the start of the window, grows the window when that text
   * fills it, and reads more; sets {@link #ended} when the input has no more.
   */
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(text, pos, text, 0, n - pos);
      n -= pos;
      pos = 0;
    }
    if (n == text.length) {
      text = Arrays.copyOf(text, text.length * 2);
    }
    int r = in.read(text, n, text.length - n);
    if (r < 0) {
      ended = true;
    } else {
      n += r;
    }
  }

  /** Characters the window holds now (for tests of the memory bound). */
  int windowSize() {
    return text.length;
  }

  /** Column names used in error messages from now on (after the header has been read). */
  void names(List<String> columnNames) {
    this.names = columnNames;
  }

  /** Reads the next non-blank record of text given whole; false at the end of the text. */
  boolean next() throws DataFormatException {
    if (in != null) {
      throw new IllegalStateException("records read from a stream are read with read()");
    }
    return scan() == 1;
  }

  /** Reads the next non-blank record, from the text given whole or from the stream; false at the end. */
  boolean read() throws IOException {
    if (in == null) {
      return scan() == 1;
    }
    if (pos > text.length / 2) {
      fill();
    }
    while (true) {
      int atPos = pos;
      int atLine = line;
      int r = scan();
      if (r != MORE) {
        return r == 1;
      }
      pos = atPos;
      line = atLine;
      fill();
    }
  }

  /**
   * Reads the next non-blank record from {@link #pos}: 1 when there is one, 0 at the end of the text, or
   * {@link #MORE} when the window ends before the record (or the blank lines before it) does and the input
   * has more.
   */
  private int scan() throws DataFormatException {
    while (true) {
      int p = pos;
      while (p < n && isSpace(text[p])) {
        p++;
      }
      if (p == n) {
        if (!ended) {
          return MORE;
        }
        pos = n;
        return 0;
      }
      char c = text[p];
      if (c != '\n' && c != '\r') {
        break;
      }
      int after = skipLineEnd(p);
      if (after == MORE) {
        return MORE;
      }
      pos = after;
      line++;
    }
    recordLine = line;
    count = 0;
    while (true) {
      int p = pos;
      int q = p;
      while (q < n && isSpace(text[q])) {
        q++;
      }
      if (q == n && !ended) {
        return MORE;
      }
      if (q < n && text[q] == '"') {
        int fieldLine = line;
        int start = q + 1;
        int i = start;
        boolean esc = false;
        while (true) {
          if (i >= n) {
            if (!ended) {
              return MORE;
            }
            throw error(fieldLine, count + 1,
                "unterminated quoted field: the closing '\"' of the quote opened here is missing");
          }
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              esc = true;
              i += 2;
              continue;
            }
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) {
            line++;
          }
          i++;
        }
        add(start, i, true, esc);
        i++;
        while (i < n && isSpace(text[i])) {
          i++;
        }
        if (i == n && !ended) {
          return MORE;
        }
        if (i < n) {
          char c = text[i];
          if (c != delimiter && c != '\n' && c != '\r') {
            throw error(line, count, "unexpected character '" + c + "' after the closing quote of a field");
          }
        }
        pos = i;
      } else {
        int i = p;
        char c;
        while (i < n && (c = text[i]) != delimiter && c != '\n' && c != '\r') {
          i++;
        }
        if (i == n && !ended) {
          return MORE;
        }
        add(p, i, false, false);
        pos = i;
      }
      if (pos < n && text[pos] == delimiter) {
        pos++;
        continue;
      }
      if (pos < n) {
        int after = skipLineEnd(pos);
        if (after == MORE) {
          return MORE;
        }
        pos = after;
        line++;
      }
      return 1;
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

  /** The position after the line end at {@code p}, or {@link #MORE} when a CR ends the window. */
  private int skipLineEnd(int p) {
    if (text[p] == '\r') {
      if (p + 1 >= n && !ended) {
        return MORE;
      }
      if (p + 1 < n && text[p + 1] == '\n') {
        return p + 2;
      }
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
      String v = new String(text, s, e - s);
      return escaped[k] ? v.replace("\"\"", "\"") : v;
    }
    while (s < e && DecimalScanner.isBlank(text[s])) {
      s++;
    }
    while (e > s && DecimalScanner.isBlank(text[e - 1])) {
      e--;
    }
    return new String(text, s, e - s);
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
