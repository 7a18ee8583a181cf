package dev.topiary.core.data;

import dev.topiary.core.io.FeatureMismatchException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>The input is streamed: bytes are decoded (as strictly as {@link CsvLoader} decodes a file, with the
 * same messages) into a window of text that holds the record being read and a little more, and rows are
 * parsed only as each batch is asked for. So the memory is the batch's floats and the window (64K
 * characters, more only for a record longer than that), whatever the input's length, and the first batch
 * is ready before the rest of the input has been read. Lines are counted over the whole input, so an
 * error names the line an editor shows. A problem further down (a bad cell, an invalid byte) surfaces
 * when the batch holding it is read; the batches before it have been returned by then.
 *
 * <p>A missing cell (empty, {@code ?}, {@code NA}, {@code N/A}, {@code null}, NaN or infinite, as
 * {@link CsvLoader} reads them) is handled by {@link LoadOptions#missing()}: an error naming its line and
 * column, the row skipped, or the cell replaced by a given value per input (for a model, the
 * {@link Imputation} it records).
 */
public final class CsvFeatureReader implements Closeable {

  /** Characters of text the window starts with. */
  static final int WINDOW = 1 << 16;
  /** Bytes read from the input at a time. */
  static final int BYTES = 1 << 16;

  private final CsvRecords records;
  private final Closeable owned;
  private final String source;
  private final int[] columns;
  private final int fieldCount;
  private final LoadOptions.Missing missing;
  private final float[] fill;
  private final DecimalScanner scanner = new DecimalScanner();
  private int dataRow;
  private int dropped;

  private CsvFeatureReader(CsvRecords records, Closeable owned, String source, int[] columns, int fieldCount,
      LoadOptions.Missing missing, float[] fill) {
    this.records = records;
    this.owned = owned;
    this.source = source;
    this.columns = columns;
    this.fieldCount = fieldCount;
    this.missing = missing;
    this.fill = fill;
  }

  /**
   * Opens {@code file} and finds the model's input columns in its header. The reader holds the file open
   * until {@link #close()}.
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
    InputStream in = Files.newInputStream(file);
    try {
      return stream(in, in, file.toString(), featureNames, inputs, target, options, fill, WINDOW, BYTES);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * As {@link #open(Path, List, int, String, LoadOptions, float[])}, reading CSV from a stream (such as
   * standard input) as far as each batch needs; the stream is not closed. {@code source} names it in errors.
   */
  public static CsvFeatureReader open(InputStream in, String source, List<String> featureNames, int inputs,
      String target, LoadOptions options, float[] fill) throws IOException {
    return stream(in, null, source, featureNames, inputs, target, options, fill, WINDOW, BYTES);
  }

  /** As {@link #open(InputStream, String, List, int, String, LoadOptions, float[])} with given buffer sizes. */
  static CsvFeatureReader stream(InputStream in, Closeable owned, String source, List<String> featureNames,
      int inputs, String target, LoadOptions options, float[] fill, int window, int bytes) throws IOException {
    checkFill(options, fill, inputs);
    StrictDecoder decoder = new StrictDecoder(in, source, options.encoding(), bytes);
    CsvRecords records = new CsvRecords(decoder, window, options.delimiter(), source);
    return create(records, owned, source, featureNames, inputs, target, options, fill);
  }

  /**
   * As {@link #open(Path, List, int, String, LoadOptions, float[])}, on CSV text already in memory;
   * {@code source} names it in errors.
   */
  public static CsvFeatureReader parse(String text, String source, List<String> featureNames, int inputs,
      String target, LoadOptions options, float[] fill) throws DataFormatException {
    checkFill(options, fill, inputs);
    try {
      return create(new CsvRecords(text, options.delimiter(), source), null, source, featureNames, inputs, target,
          options, fill);
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("text in memory cannot fail to read", e);
    }
  }

  private static void checkFill(LoadOptions options, float[] fill, int inputs) {
    if (options.missing() == LoadOptions.Missing.MEAN && (fill == null || fill.length != inputs)) {
      throw new IllegalArgumentException("filling missing cells needs one value per input (" + inputs + ")");
    }
  }

  private static CsvFeatureReader create(CsvRecords records, Closeable owned, String source,
      List<String> featureNames, int inputs, String target, LoadOptions options, float[] fill)
      throws IOException {
    LoadOptions.Missing missing = options.missing();
    if (!records.read()) {
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
    return new CsvFeatureReader(records, owned, source, columns, count, missing,
        fill == null ? null : fill.clone());
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
   * @throws DataFormatException naming the line and column of a bad cell (or of an invalid byte)
   * @throws IOException if the input cannot be read
   */
  public int read(float[] x, int[] rowNumbers, int maxRows) throws IOException {
    int inputs = columns.length;
    int rows = 0;
    while (rows < maxRows && records.read()) {
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

  /** Characters the text window holds now (the bound on the text kept in memory). */
  int windowSize() {
    return records.windowSize();
  }

  /** Closes the file that {@link #open(Path, List, int, String, LoadOptions, float[])} opened; a stream given to
   * {@link #open(InputStream, String, List, int, String, LoadOptions, float[])} stays open. */
  @Override
  public void close() throws IOException {
    if (owned != null) {
      owned.close();
    }
  }
}
