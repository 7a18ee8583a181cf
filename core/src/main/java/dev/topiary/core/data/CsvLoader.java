package dev.topiary.core.data;

import dev.topiary.core.model.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a data set from CSV text: a header row, then one example per row, every feature cell a number.
 *
 * <p>The target is one column, chosen by name or 0-based index (the last one by default, see
 * {@link LoadOptions}); every other column is a feature. The text is UTF-8 unless
 * {@link LoadOptions#encoding()} names another character set (a leading byte-order mark is ignored); an
 * invalid UTF-8 sequence, a UTF-16 byte-order mark or a NUL byte is an error naming its line and column,
 * never a garbled class name. Fields may be quoted as in RFC 4180; blank lines are skipped; spaces and
 * tabs around an unquoted cell are ignored.
 *
 * <p>Classes: for classification every distinct target value is a class, and classes are numbered
 * 0..K−1 in a stable order that does not depend on the row order. When every target cell is a number the
 * classes are sorted numerically ({@code 2 < 10}; {@code 1} and {@code 1.0} are the same class, named
 * {@code "1"}); otherwise the cells are compared as strings, lexicographically by UTF-16 code unit
 * ({@link String#compareTo}), so {@code "10" < "2"} and {@code "B" < "a"}. The class names go into
 * {@link Task#classLabels()} in that order.
 *
 * <p>Missing values: an empty cell, a marker ({@code ?}, {@code NA}, {@code N/A}, {@code null}, {@code NaN})
 * or an infinite value ({@code Inf}, {@code -Infinity}, or a number too large for a float) is an error
 * naming its line and column, unless {@link LoadOptions#missing()} asks to drop such rows or to keep the
 * cells as NaN for an {@link Imputation}.
 *
 * <p>Parsing is a hand-written scanner over the text (no regular expression, no per-cell allocation for
 * ordinary numbers), so files of hundreds of thousands of rows load in about the time it takes to read them.
 */
public final class CsvLoader {

  private static final int MAX_LISTED_COLUMNS = 20;
  private static final long MAX_CELLS = Integer.MAX_VALUE - 16;
  /** More distinct integers than this in an inferred classification target earn a warning. */
  static final int MANY_CLASSES = 10;

  private CsvLoader() {}

  /**
   * A data set read from CSV.
   *
   * @param dataset the examples kept
   * @param droppedRows how many rows were dropped for missing cells (0 unless asked for)
   * @param missingCells how many feature cells were missing and are NaN in the data, to be filled by an
   *     {@link Imputation} (0 unless {@link LoadOptions.Missing#MEAN})
   * @param targetNote which column is the target and why, in a sentence
   * @param warnings what a user should know about how the data was read (e.g. a numeric target with
   *     many distinct values taken as classes)
   */
  public record Result(Dataset dataset, int droppedRows, int missingCells, String targetNote,
      List<String> warnings) {

    /** Copies the warnings. */
    public Result {
      warnings = List.copyOf(warnings);
    }

    /** A result with no missing cells, note or warning. */
    public Result(Dataset dataset, int droppedRows) {
      this(dataset, droppedRows, 0, null, List.of());
    }
  }

  /**
   * Reads a CSV file; the data set is named after the path.
   *
   * @throws NoSuchFileException when the file does not exist, naming the path
   * @throws DataFormatException when the content is not a valid data set
   */
  public static Result load(Path file, LoadOptions options) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such data file");
    }
    if (Files.isDirectory(file)) {
      throw new NoSuchFileException(file.toString(), null, "is a directory, not a CSV file");
    }
    byte[] bytes = Files.readAllBytes(file);
    return parse(records(decodeChars(bytes, file.toString(), options.encoding()), file.toString(), options),
        file.toString(), options);
  }

  /** Reads CSV from a stream (read to its end, not closed); {@code source} names it in errors. */
  public static Result read(InputStream in, String source, LoadOptions options) throws IOException {
    return parse(records(decodeChars(in.readAllBytes(), source, options.encoding()), source, options), source,
        options);
  }

  /** The records of decoded text, without copying it into a string first. */
  private static CsvRecords records(CharBuffer text, String source, LoadOptions options) {
    return new CsvRecords(text.array(), text.limit(), options.delimiter(), source);
  }

  /**
   * Decodes the bytes of a text file: strictly, so that an invalid sequence is an error naming its line
   * and column instead of a replacement character that would become part of a class name; with no
   * {@code encoding} given, as UTF-8, refusing UTF-16 (by its byte-order mark, or by the NUL bytes it
   * puts beside every ASCII character) and any other NUL byte.
   *
   * @throws DataFormatException naming the source, the line and the column of the first bad byte
   */
  public static String decode(byte[] bytes, String source, Charset encoding) throws DataFormatException {
    return decodeChars(bytes, source, encoding).toString();
  }

  /** As {@link #decode}, into a buffer (array-backed, from position 0 to its limit). */
  private static CharBuffer decodeChars(byte[] bytes, String source, Charset encoding) throws DataFormatException {
    Charset cs = encoding == null ? StandardCharsets.UTF_8 : encoding;
    if (encoding == null && bytes.length >= 2
        && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE) || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
      throw utf16Error(source);
    }
    CharsetDecoder decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    long capacity = (long) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 16;
    if (capacity > Integer.MAX_VALUE - 16) {
      throw new DataFormatException(source, "too large: " + bytes.length + " bytes is more text than Java can hold");
    }
    CharBuffer out = CharBuffer.allocate((int) capacity);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      StringBuilder hex = new StringBuilder();
      for (int i = at; i < Math.min(bytes.length, at + Math.max(1, r.length())); i++) {
        hex.append(hex.length() == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
      }
      int[] lc = lineAndColumn(out, out.position());
      throw invalidBytesError(source, lc[0], lc[1], cs, hex.toString(), encoding == null);
    }
    out.flip();
    if (encoding == null) {
      for (int i = 0; i < out.limit(); i++) {
        if (out.get(i) == 0) {
          int[] lc = lineAndColumn(out, i);
          throw nulError(source, lc[0], lc[1]);
        }
      }
    }
    return out;
  }

  /** Text that starts with a UTF-16 byte-order mark, read without an encoding. */
  static DataFormatException utf16Error(String source) {
    return new DataFormatException(source, 1, 0, null, "the text is UTF-16 (it starts with a UTF-16 byte-order "
        + "mark), not UTF-8; save it as UTF-8 or pass --encoding UTF-16");
  }

  /** An invalid byte sequence ({@code hex}) at the given line and character of the decoded text. */
  static DataFormatException invalidBytesError(String source, int line, int character, Charset cs, String hex,
      boolean defaultEncoding) {
    return new DataFormatException(source, line, 0, null, "character " + character + ": invalid " + cs.name()
        + " (byte " + hex + "); save the file as UTF-8"
        + (defaultEncoding ? " or pass --encoding with its character set (e.g. --encoding ISO-8859-1)" : ""));
  }

  /** A NUL character at the given line and character, read without an encoding. */
  static DataFormatException nulError(String source, int line, int character) {
    return new DataFormatException(source, line, 0, null, "character " + character + ": a NUL byte; the file "
        + "looks like UTF-16 or binary, not UTF-8 text; save it as UTF-8 or pass --encoding UTF-16");
  }

  /** The 1-based line and column of character {@code at} in {@code text[0, at)} (LF, CRLF or CR end lines). */
  private static int[] lineAndColumn(CharBuffer text, int at) {
    int line = 1;
    int start = 0;
    for (int i = 0; i < at; i++) {
      char c = text.get(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= at || text.get(i + 1) != '\n'))) {
        line++;
        start = i + 1;
      }
    }
    return new int[] {line, at - start + 1};
  }

  /** Parses CSV text; {@code source} names it in errors and becomes the data set's name. */
  public static Result parse(String text, String source, LoadOptions options) throws DataFormatException {
    return parse(new CsvRecords(text, options.delimiter(), source), source, options);
  }

  private static Result parse(CsvRecords records, String source, LoadOptions options) throws DataFormatException {
    if (!records.next()) {
      throw new DataFormatException(source, "the file is empty: expected a header row and data rows");
    }
    int headerLine = records.line();
    int columns = records.count();
    List<String> names = new ArrayList<>(columns);
    for (int k = 0; k < columns; k++) {
      String name = records.string(k);
      names.add(name.isEmpty() ? "column_" + (k + 1) : name);
    }
    if (columns < 2) {
      throw new DataFormatException(source, headerLine, 0, null,
          "the header has 1 column ('" + names.get(0) + "'); at least 2 are needed (features and a target)"
              + " - is the delimiter '" + printable(options.delimiter()) + "' right?");
    }
    records.names(names);
    int target = targetColumn(names, options, source, headerLine);
    String targetName = names.get(target);
    int features = columns - 1;
    LoadOptions.Missing policy = options.missing();
    List<String> warnings = new ArrayList<>();
    String targetNote = targetNote(names, target, options);
    String lookalike = options.targetName() == null && options.targetIndex() < 0 ? targetLookalike(names, target) : null;
    if (lookalike != null) {
      warnings.add("column " + (names.indexOf(lookalike) + 1) + " is named '" + lookalike + "' but the last column, '"
          + targetName + "', is the target; if '" + lookalike + "' is the target, pass --target " + lookalike);
    }
    int missingCells = 0;

    DecimalScanner scanner = new DecimalScanner();
    int capacity = Math.max(1, Math.min(1024, (1 << 16) / features));
    float[] x = new float[features * capacity];
    String[] targetCells = new String[capacity];
    int[] lines = new int[capacity];
    int rows = 0;
    int dropped = 0;
    int seen = 0;
    while (records.next()) {
      seen++;
      int line = records.line();
      if (records.count() != columns) {
        throw records.error(line, 0,
            "expected " + columns + " fields as in the header, found " + records.count());
      }
      if (rows == targetCells.length) {
        int m = rows * 2;
        if ((long) m * features > MAX_CELLS) {
          m = (int) (MAX_CELLS / features);
          if (m <= rows) {
            throw records.error(line, 0, "too large: more than " + MAX_CELLS + " feature cells in one data set");
          }
        }
        targetCells = Arrays.copyOf(targetCells, m);
        lines = Arrays.copyOf(lines, m);
        x = Arrays.copyOf(x, m * features);
      }
      boolean missing = false;
      int o = rows * features;
      for (int k = 0; k < columns; k++) {
        if (k == target) {
          continue;
        }
        float v = records.number(k, scanner);
        int status = scanner.status();
        boolean marker = status == DecimalScanner.INVALID && isMissingMarker(records.string(k));
        if (status == DecimalScanner.INVALID && !marker) {
          throw records.error(line, k + 1, "expected a number, found '" + records.display(k) + "'"
              + (options.targetName() == null && k == 0 && seen == 1 && !hasDigit(records.string(k))
                  ? hintTarget(names, k) : ""));
        }
        if (marker || status == DecimalScanner.EMPTY || !Float.isFinite(v)) {
          switch (policy) {
            case ERROR -> throw missingError(records, line, k, status == DecimalScanner.EMPTY, marker);
            case DROP -> missing = true;
            case MEAN -> {
              v = Float.NaN;
              missingCells++;
            }
          }
        }
        x[o++] = v;
      }
      String t = records.string(target);
      float tv = records.number(target, scanner);
      boolean targetEmpty = scanner.status() == DecimalScanner.EMPTY;
      boolean targetMarker = t.equals("?");
      if (targetEmpty || targetMarker || (scanner.status() == DecimalScanner.NUMBER && !Float.isFinite(tv))) {
        if (policy == LoadOptions.Missing.ERROR) {
          throw missingError(records, line, target, targetEmpty, targetMarker);
        }
        missing = true;
      }
      if (missing) {
        dropped++;
        if (policy == LoadOptions.Missing.MEAN) {
          // The row's missing feature cells were counted, but the row goes.
          missingCells -= countNaN(x, rows * features, features);
        }
        continue;
      }
      targetCells[rows] = t;
      lines[rows] = line;
      rows++;
    }
    if (rows == 0) {
      if (dropped > 0) {
        throw new DataFormatException(source,
            "no rows left after dropping all " + dropped + " rows with empty or non-finite cells");
      }
      throw new DataFormatException(source, headerLine, 0, null, "the file has a header row but no data rows");
    }
    x = Arrays.copyOf(x, rows * features);
    List<String> featureNames = new ArrayList<>(names);
    featureNames.remove(target);
    Dataset data = buildTargets(source, options, scanner, x, rows, features, featureNames,
        Arrays.copyOf(targetCells, rows), lines, target, targetName, names, warnings);
    return new Result(data, dropped, missingCells, targetNote, warnings);
  }

  private static int countNaN(float[] x, int from, int n) {
    int c = 0;
    for (int i = from; i < from + n; i++) {
      if (Float.isNaN(x[i])) {
        c++;
      }
    }
    return c;
  }

  /** True for the cells that mean "no value": {@code ?}, {@code NA}, {@code N/A}, {@code null} (any case). */
  static boolean isMissingMarker(String cell) {
    String c = cell.strip();
    return c.equals("?") || c.equalsIgnoreCase("NA") || c.equalsIgnoreCase("N/A") || c.equalsIgnoreCase("null");
  }

  private static DataFormatException missingError(CsvRecords records, int line, int k, boolean empty,
      boolean marker) {
    String what = empty ? "empty cell (a missing value)"
        : marker ? "missing value '" + records.display(k) + "'"
        : "non-finite value '" + records.display(k) + "' (infinite, NaN, or beyond a float's range of ±3.4e38)";
    return records.error(line, k + 1, what + "; pass --missing drop to drop such rows, or --missing mean to fill "
        + "them in (LoadOptions.withMissing)");
  }

  /** Which column is the target and why. */
  private static String targetNote(List<String> names, int target, LoadOptions options) {
    String col = "column " + (target + 1) + " of " + names.size() + ", '" + names.get(target) + "'";
    if (options.targetName() != null) {
      return "target: " + col + " (given by --target " + options.targetName().trim() + ")";
    }
    if (options.targetIndex() >= 0) {
      return "target: " + col + " (given by index " + options.targetIndex() + ")";
    }
    return "target: " + col + " (the last column, the default; --target chooses another)";
  }

  /** A column other than the target whose header names it as a target, or null. */
  private static String targetLookalike(List<String> names, int target) {
    for (int k = 0; k < names.size(); k++) {
      if (k == target) {
        continue;
      }
      String n = names.get(k).strip().toLowerCase(java.util.Locale.ROOT);
      if (n.equals("target") || n.equals("label") || n.equals("labels") || n.equals("class") || n.equals("y")
          || n.equals("outcome") || n.equals("response")) {
        return names.get(k);
      }
    }
    return null;
  }

  private static boolean hasDigit(String s) {
    return s.chars().anyMatch(Character::isDigit);
  }

  /** For a non-numeric first column read as a feature: the hint to make it the target. */
  private static String hintTarget(List<String> names, int k) {
    return "; if column " + (k + 1) + " ('" + names.get(k) + "') is the target, pass --target " + names.get(k);
  }

  private static Dataset buildTargets(String source, LoadOptions options, DecimalScanner scanner, float[] x,
      int rows, int features, List<String> featureNames, String[] cells, int[] lines, int target,
      String targetName, List<String> names, List<String> warnings) throws DataFormatException {
    // Distinct cells first: the class decision and the numeric test run once per distinct value.
    Map<String, Double> distinct = new HashMap<>();
    String firstNonNumeric = null;
    int firstNonNumericLine = 0;
    boolean allIntegers = true;
    for (int i = 0; i < rows; i++) {
      String c = cells[i];
      if (distinct.containsKey(c)) {
        continue;
      }
      scanner.parse(c, 0, c.length());
      Double value = null;
      if (scanner.status() == DecimalScanner.NUMBER) {
        value = Double.parseDouble(c.trim());
        allIntegers &= value == Math.rint(value) && Math.abs(value) < 0x1p53;
      } else if (firstNonNumeric == null) {
        firstNonNumeric = c;
        firstNonNumericLine = lines[i];
      }
      distinct.put(c, value);
    }
    boolean numeric = firstNonNumeric == null;
    int numericRows = 0;
    if (!numeric && options.task() == LoadOptions.TaskChoice.INFER) {
      for (int i = 0; i < rows; i++) {
        if (distinct.get(cells[i]) != null) {
          numericRows++;
        }
      }
      if (numericRows >= 0.9 * rows) {
        throw new DataFormatException(source, firstNonNumericLine, target + 1, targetName,
            "the target is a number in " + numericRows + " of " + rows + " rows, but this row holds '"
                + firstNonNumeric + "'; fix the cell, or pass --task classification to take every value as a class");
      }
    }
    boolean classification;
    switch (options.task()) {
      case CLASSIFICATION -> classification = true;
      case REGRESSION -> classification = false;
      default -> {
        if (!numeric) {
          if (distinct.size() > options.maxInferredClasses()) {
            throw new DataFormatException(source, firstNonNumericLine, target + 1, targetName,
                "the target has " + distinct.size() + " distinct values and '" + firstNonNumeric
                    + "' is not a number: too many for classes, not numeric for regression;"
                    + " fix the cell, or pass --task classification or --task regression");
          }
          classification = true;
        } else {
          long k = distinct.values().stream().distinct().count();
          classification = allIntegers && k >= 2 && k <= options.maxInferredClasses() && rows >= 2 * k;
          if (classification && k > MANY_CLASSES) {
            warnings.add("the target '" + targetName + "' holds " + k + " distinct integers and was taken as " + k
                + " classes; if it is a quantity, pass --task regression");
          }
        }
      }
    }
    if (!classification) {
      if (!numeric) {
        throw new DataFormatException(source, firstNonNumericLine, target + 1, targetName,
            "a regression target must be a number, found '" + firstNonNumeric + "'");
      }
      float[] targets = new float[rows];
      for (int i = 0; i < rows; i++) {
        targets[i] = scanner.parse(cells[i], 0, cells[i].length());
      }
      return new Dataset(source, rows, features, x, Task.regression(1), null, targets, featureNames);
    }
    // Class keys in their stable order, then each cell's class index.
    List<String> classNames = new ArrayList<>();
    Map<String, Integer> indexOfCell = new HashMap<>();
    if (numeric) {
      TreeMap<Double, List<String>> byValue = new TreeMap<>();
      distinct.forEach((cell, v) -> byValue.computeIfAbsent(v, key -> new ArrayList<>()).add(cell));
      for (Map.Entry<Double, List<String>> e : byValue.entrySet()) {
        int idx = classNames.size();
        classNames.add(numberName(e.getKey()));
        for (String cell : e.getValue()) {
          indexOfCell.put(cell, idx);
        }
      }
    } else {
      for (String cell : new TreeSet<>(distinct.keySet())) {
        indexOfCell.put(cell, classNames.size());
        classNames.add(cell);
      }
    }
    if (classNames.size() < 2) {
      throw new DataFormatException(source,
          "target '" + targetName + "' has only one class: '" + classNames.get(0) + "' (all " + rows
              + " rows); classification needs at least 2");
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = indexOfCell.get(cells[i]);
    }
    return new Dataset(source, rows, features, x, Task.classification(classNames), labels, null, featureNames);
  }

  /** The name of a numeric class: integers without a decimal point, other values as Java prints them. */
  private static String numberName(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static int targetColumn(List<String> names, LoadOptions options, String source, int headerLine)
      throws DataFormatException {
    int columns = names.size();
    if (options.targetName() != null) {
      String wanted = options.targetName().trim();
      int found = -1;
      for (int k = 0; k < columns; k++) {
        if (names.get(k).equals(wanted)) {
          if (found >= 0) {
            throw new DataFormatException(source, headerLine, 0, null, "the target name '" + wanted
                + "' names two columns (" + (found + 1) + " and " + (k + 1) + "); give the target by index");
          }
          found = k;
        }
      }
      if (found >= 0) {
        return found;
      }
      if (!wanted.isEmpty() && wanted.chars().allMatch(Character::isDigit) && wanted.length() < 10) {
        return checkIndex(Integer.parseInt(wanted), columns, source, headerLine);
      }
      throw new DataFormatException(source, headerLine, 0, null,
          "no target column named '" + wanted + "'; the columns are: " + list(names));
    }
    int index = options.targetIndex() < 0 ? columns - 1 : options.targetIndex();
    return checkIndex(index, columns, source, headerLine);
  }

  private static int checkIndex(int index, int columns, String source, int headerLine)
      throws DataFormatException {
    if (index >= columns) {
      throw new DataFormatException(source, headerLine, 0, null, "target column index " + index
          + " is out of range: the header has " + columns + " columns (indices 0.." + (columns - 1) + ")");
    }
    return index;
  }

  private static String list(List<String> names) {
    if (names.size() <= MAX_LISTED_COLUMNS) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX_LISTED_COLUMNS)) + ", ... (" + names.size() + " in all)";
  }

  private static String printable(char c) {
    return c == '\t' ? "\\t" : String.valueOf(c);
  }
}
