package dev.topiary.core.data;

import dev.topiary.core.model.Task;
import java.io.IOException;
import java.io.InputStream;
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
 * {@link LoadOptions}); every other column is a feature. The text is UTF-8 (a leading byte-order mark is
 * ignored); fields may be quoted as in RFC 4180; blank lines are skipped; spaces and tabs around an
 * unquoted cell are ignored.
 *
 * <p>Classes: for classification every distinct target value is a class, and classes are numbered
 * 0..K−1 in a stable order that does not depend on the row order. When every target cell is a number the
 * classes are sorted numerically ({@code 2 < 10}; {@code 1} and {@code 1.0} are the same class, named
 * {@code "1"}); otherwise the cells are compared as strings, lexicographically by UTF-16 code unit
 * ({@link String#compareTo}), so {@code "10" < "2"} and {@code "B" < "a"}. The class names go into
 * {@link Task#classLabels()} in that order.
 *
 * <p>Missing values: an empty cell, {@code NaN} or an infinite value ({@code Inf}, {@code -Infinity}, or a
 * number too large for a float) is an error naming its line and column, unless
 * {@link LoadOptions#dropNonFinite()} asks to drop such rows.
 *
 * <p>Parsing is a hand-written scanner over the text (no regular expression, no per-cell allocation for
 * ordinary numbers), so files of hundreds of thousands of rows load in about the time it takes to read them.
 */
public final class CsvLoader {

  private static final int MAX_LISTED_COLUMNS = 20;
  private static final long MAX_CELLS = Integer.MAX_VALUE - 16;

  private CsvLoader() {}

  /**
   * A data set read from CSV.
   *
   * @param dataset the examples kept
   * @param droppedRows how many rows were dropped for empty or non-finite cells (0 unless asked for)
   */
  public record Result(Dataset dataset, int droppedRows) {}

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
    return parse(new String(bytes, StandardCharsets.UTF_8), file.toString(), options);
  }

  /** Reads CSV from a stream (read to its end, not closed); {@code source} names it in errors. */
  public static Result read(InputStream in, String source, LoadOptions options) throws IOException {
    return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source, options);
  }

  /** Parses CSV text; {@code source} names it in errors and becomes the data set's name. */
  public static Result parse(String text, String source, LoadOptions options) throws DataFormatException {
    CsvRecords records = new CsvRecords(text, options.delimiter(), source);
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
    boolean drop = options.dropNonFinite();

    DecimalScanner scanner = new DecimalScanner();
    int capacity = Math.max(1, Math.min(1024, (1 << 16) / features));
    float[] x = new float[features * capacity];
    String[] targetCells = new String[capacity];
    int[] lines = new int[capacity];
    int rows = 0;
    int dropped = 0;
    while (records.next()) {
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
        if (status == DecimalScanner.INVALID) {
          throw records.error(line, k + 1, "expected a number, found '" + records.display(k) + "'");
        }
        if (status == DecimalScanner.EMPTY || !Float.isFinite(v)) {
          if (!drop) {
            throw missingError(records, line, k, status == DecimalScanner.EMPTY);
          }
          missing = true;
        }
        x[o++] = v;
      }
      String t = records.string(target);
      float tv = records.number(target, scanner);
      boolean targetEmpty = scanner.status() == DecimalScanner.EMPTY;
      if (targetEmpty || (scanner.status() == DecimalScanner.NUMBER && !Float.isFinite(tv))) {
        if (!drop) {
          throw missingError(records, line, target, targetEmpty);
        }
        missing = true;
      }
      if (missing) {
        dropped++;
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
        Arrays.copyOf(targetCells, rows), lines, target, targetName, names);
    return new Result(data, dropped);
  }

  private static DataFormatException missingError(CsvRecords records, int line, int k, boolean empty) {
    String what = empty ? "empty cell (a missing value)" : "non-finite value '" + records.display(k) + "'";
    return records.error(line, k + 1, what + "; drop such rows with the dropNonFinite option");
  }

  private static Dataset buildTargets(String source, LoadOptions options, DecimalScanner scanner, float[] x,
      int rows, int features, List<String> featureNames, String[] cells, int[] lines, int target,
      String targetName, List<String> names) throws DataFormatException {
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
                    + " give the task explicitly or fix the cell");
          }
          classification = true;
        } else {
          long k = distinct.values().stream().distinct().count();
          classification = allIntegers && k >= 2 && k <= options.maxInferredClasses() && rows >= 2 * k;
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
