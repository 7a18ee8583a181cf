package dev.topiary.core.data;

import dev.topiary.core.io.FeatureMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the input columns a model needs from a CSV file of new rows, batch by batch, for prediction: no
 * target column is needed, and when the model records its feature names the columns are found by header
 * name (in any order, other columns ignored); otherwise the file must hold exactly the model's inputs, or
 * those plus one target column (named, or the last).
 *
 * <p>The file's text is read whole (as {@link CsvLoader} does); rows are parsed only as each batch is
 * asked for, so the float memory is one batch whatever the file's length.
 *
 * <p>A missing cell (empty, {@code ?}, {@code NA}, {@code N/A}, {@code null}, NaN or infinite, as
 * {@link CsvLoader} reads them) is handled by {@link LoadOptions#missing()}: an error naming its line and
 * column, the row skipped, or the cell replaced by a given value per input (for a model, the
 * {@link Imputation} it records).
 */
public final class CsvFeatureReader {

  private final CsvRecords records;
  private final String source;
  private final int[] columns;
  private final int fieldCount;
  private final LoadOptions.Missing missing;
  private final float[] fill;
  private final DecimalScanner scanner = new DecimalScanner();
  private int dataRow;
  private int dropped;

  private CsvFeatureReader(CsvRecords records, String source, int[] columns, int fieldCount,
      LoadOptions.Missing missing, float[] fill) {
    this.records = records;
    this.source = source;
    this.columns = columns;
    this.fieldCount = fieldCount;
    this.missing = missing;
    this.fill = fill;
  }

  /**
   * Opens {@code file} and finds the model's input columns in its header.
   *
   * @param featureNames the model's input names in input order, or null when it records none
   * @param inputs the model's input width
   * @param target without feature names, the header name (or 0-based index) of a target column to skip;
   *     null for the last column when the file has one column more than the model reads
   * @param options the delimiter, the character set and what a missing cell does
   * @param fill with {@link LoadOptions.Missing#MEAN}, one value per input; else ignored (may be null)
   * @throws NoSuchFileException if the file does not exist
   * @throws DataFormatException if the file is empty
   * @throws FeatureMismatchException if the header lacks a column the model needs, or has the wrong width
   */
  public static CsvFeatureReader open(Path file, List<String> featureNames, int inputs, String target,
      LoadOptions options, float[] fill) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such data file");
    }
    if (Files.isDirectory(file)) {
      throw new NoSuchFileException(file.toString(), null, "is a directory, not a CSV file");
    }
    String text = CsvLoader.decode(Files.readAllBytes(file), file.toString(), options.encoding());
    return parse(text, file.toString(), featureNames, inputs, target, options, fill);
  }

  /** As {@link #open}, on CSV text; {@code source} names it in errors. */
  public static CsvFeatureReader parse(String text, String source, List<String> featureNames, int inputs,
      String target, LoadOptions options, float[] fill) throws DataFormatException {
    LoadOptions.Missing missing = options.missing();
    if (missing == LoadOptions.Missing.MEAN && (fill == null || fill.length != inputs)) {
      throw new IllegalArgumentException("filling missing cells needs one value per input (" + inputs + ")");
    }
    CsvRecords records = new CsvRecords(text, options.delimiter(), source);
    if (!records.next()) {
      throw new DataFormatException(source, "the file is empty: expected a header row and data rows");
    }
    int count = records.count();
    List<String> names = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      String name = records.string(k);
      names.add(name.isEmpty() ? "column_" + (k + 1) : name);
    }
    records.names(names);
    int[] columns = new int[inputs];
    if (featureNames != null) {
      if (featureNames.size() != inputs) {
        throw new IllegalArgumentException(featureNames.size() + " feature names for " + inputs + " inputs");
      }
      Map<String, Integer> index = new HashMap<>();
      for (int k = count - 1; k >= 0; k--) {
        index.put(names.get(k), k);
      }
      List<String> absent = new ArrayList<>();
      for (int j = 0; j < inputs; j++) {
        Integer k = index.get(featureNames.get(j));
        if (k == null) {
          absent.add(featureNames.get(j));
        } else {
          columns[j] = k;
        }
      }
      if (!absent.isEmpty()) {
        throw new FeatureMismatchException(source + " lacks the column" + (absent.size() == 1 ? " '" : "s '")
            + String.join("', '", absent.size() > 8 ? absent.subList(0, 8) : absent)
            + (absent.size() > 8 ? "', ..." : "'") + " the model was trained on; its header has "
            + count + " columns");
      }
    } else {
      int skip = -1;
      if (count == inputs + 1) {
        skip = target == null ? count - 1 : targetIndex(names, target, source);
      } else if (count != inputs || target != null) {
        throw new FeatureMismatchException(source + " has " + count + " columns; the model reads " + inputs
            + " and records no feature names, so the file must hold exactly those"
            + " (or those and one target column)");
      }
      for (int j = 0, k = 0; j < inputs; k++) {
        if (k != skip) {
          columns[j++] = k;
        }
      }
    }
    return new CsvFeatureReader(records, source, columns, count, missing, fill == null ? null : fill.clone());
  }

  private static int targetIndex(List<String> names, String target, String source) {
    int k = names.indexOf(target);
    if (k >= 0) {
      return k;
    }
    try {
      int i = Integer.parseInt(target.trim());
      if (i >= 0 && i < names.size()) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // not an index either
    }
    throw new FeatureMismatchException(source + " has no column '" + target + "'");
  }

  /**
   * Reads up to {@code maxRows} rows into {@code x} (row-major, [maxRows × inputs]) and their 1-based row
   * numbers (counting the data rows of the file) into {@code rowNumbers}.
   *
   * @return the rows read; 0 at the end of the file
   * @throws DataFormatException naming the line and column of a bad cell
   */
  public int read(float[] x, int[] rowNumbers, int maxRows) throws DataFormatException {
    int inputs = columns.length;
    int rows = 0;
    while (rows < maxRows && records.next()) {
      dataRow++;
      int line = records.line();
      if (records.count() != fieldCount) {
        throw records.error(line, 0, "expected " + fieldCount + " fields as in the header, found "
            + records.count());
      }
      int o = rows * inputs;
      boolean skip = false;
      for (int j = 0; j < inputs; j++) {
        int k = columns[j];
        float v = records.number(k, scanner);
        int status = scanner.status();
        boolean marker = status == DecimalScanner.INVALID && CsvLoader.isMissingMarker(records.string(k));
        if (status == DecimalScanner.INVALID && !marker) {
          throw records.error(line, k + 1, "expected a number, found '" + records.display(k) + "'");
        }
        if (marker || status == DecimalScanner.EMPTY || !Float.isFinite(v)) {
          if (missing == LoadOptions.Missing.ERROR) {
            throw records.error(line, k + 1, (status == DecimalScanner.EMPTY ? "empty cell (a missing value)"
                : marker ? "missing value '" + records.display(k) + "'"
                : "non-finite value '" + records.display(k) + "'")
                + "; skip such rows with --missing drop, or fill them with --missing mean (when the model was"
                + " trained with --missing mean)");
          }
          if (missing == LoadOptions.Missing.DROP) {
            skip = true;
            break;
          }
          v = fill[j];
        }
        x[o + j] = v;
      }
      if (skip) {
        dropped++;
        continue;
      }
      rowNumbers[rows] = dataRow;
      rows++;
    }
    return rows;
  }

  /** Rows skipped so far for a missing cell ({@link LoadOptions.Missing#DROP}). */
  public int droppedRows() {
    return dropped;
  }

  /** The file's name as used in errors. */
  public String source() {
    return source;
  }
}
