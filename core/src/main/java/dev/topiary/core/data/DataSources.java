package dev.topiary.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one entry point that turns a data source string (a command line's {@code --data SRC}) into data.
 *
 * <ul>
 *   <li>{@code builtin:NAME}: an embedded data set (see {@link BuiltinData}); the options are ignored.
 *   <li>{@code idx:DIR}: MNIST-style IDX files in DIR (see {@link IdxLoader#loadDirectory}); the result
 *       has a test part when DIR holds the {@code t10k} pair. The options are ignored.
 *   <li>anything else, or {@code csv:PATH}: a CSV file read with the options (see {@link CsvLoader}).
 * </ul>
 *
 * <p>Every failure is an {@link IOException}: {@link java.nio.file.NoSuchFileException} for a missing
 * file, directory or embedded set (the message names it, and lists the embedded names), and
 * {@link DataFormatException} for content that is not a valid data set.
 */
public final class DataSources {

  /** Prefix of embedded data sets. */
  public static final String BUILTIN = "builtin:";
  /** Prefix of IDX directories. */
  public static final String IDX = "idx:";
  /** Optional prefix of CSV paths. */
  public static final String CSV = "csv:";

  private DataSources() {}

  /** Loads {@code src} with the default options. */
  public static Loaded load(String src) throws IOException {
    return load(src, LoadOptions.DEFAULTS);
  }

  /** Loads {@code src} (see the class comment for the forms it takes). */
  public static Loaded load(String src, LoadOptions options) throws IOException {
    if (src == null || src.isBlank()) {
      throw new IllegalArgumentException("no data source given: expected builtin:NAME, idx:DIR or a CSV path");
    }
    if (src.startsWith(BUILTIN)) {
      return new Loaded(BuiltinData.load(src.substring(BUILTIN.length())), null, 0);
    }
    if (src.startsWith(IDX)) {
      return IdxLoader.loadDirectory(Path.of(src.substring(IDX.length())));
    }
    String path = src.startsWith(CSV) ? src.substring(CSV.length()) : src;
    CsvLoader.Result r = CsvLoader.load(Path.of(path), options);
    return new Loaded(r.dataset(), null, r.droppedRows(), r.missingCells(), r.targetNote(), r.warnings());
  }
}
