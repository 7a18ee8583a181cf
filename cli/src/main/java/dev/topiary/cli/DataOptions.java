package dev.topiary.cli;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.data.Loaded;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data SRC}, {@code --target COL}, {@code --missing} and {@code --encoding}: the data a command
 * reads, and how to read it. Every command that reads data takes it through this mixin, so an option added
 * here applies to all of them.
 */
final class DataOptions {

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "builtin:NAME, a CSV file, or idx:DIR.")
  String data;

  @Option(names = "--target", paramLabel = "COL",
      description = "CSV target column, by header name or 0-based index (default: the one the model "
          + "read records for this file, else the last column).")
  String target;

  @Option(names = "--missing", paramLabel = "error|drop|mean",
      description = "What a missing CSV cell (empty, ?, NA, N/A, null, NaN, infinite) does: error (the "
          + "default when training), drop its row, or mean (fill feature cells with the training rows' "
          + "mean, or most frequent value for integer columns; recorded in the model, which then fills "
          + "them the same way in eval, predict and prune).")
  LoadOptions.Missing missing;

  @Option(names = "--encoding", paramLabel = "CHARSET",
      description = "Character set of a CSV file (default: UTF-8, checked strictly), e.g. UTF-16 or ISO-8859-1.")
  String encoding;

  /** The {@code --target} given, or null when none (or a blank one) was. */
  String target() {
    return target == null || target.isBlank() ? null : target;
  }

  /**
   * How to read the data.
   *
   * @param targetColumn the target column, or null for the last
   * @param task the task, or null to infer it
   * @param missingDefault what missing cells do when {@code --missing} is not given
   */
  LoadOptions options(String targetColumn, LoadOptions.TaskChoice task, LoadOptions.Missing missingDefault) {
    LoadOptions o = LoadOptions.DEFAULTS;
    if (targetColumn != null) {
      o = o.withTarget(targetColumn);
    }
    if (task != null) {
      o = o.withTask(task);
    }
    o = o.withMissing(missing != null ? missing : missingDefault);
    if (encoding != null) {
      o = o.withEncoding(charset(encoding));
    }
    return o;
  }

  private static Charset charset(String name) {
    try {
      return Charset.forName(name.trim());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new InputException("--encoding " + name + ": no such character set in this JDK (try UTF-8, UTF-16, "
          + "ISO-8859-1 or windows-1252)");
    }
  }

  /** Reads the data with the given target column (null: the last) and task (null: inferred). */
  Loaded load(String targetColumn, LoadOptions.TaskChoice task) throws IOException {
    return DataInput.loadWith(data, options(targetColumn, task, LoadOptions.Missing.ERROR));
  }

  /** Reads the data with the {@code --target} given, else the last column; the task inferred. */
  Loaded load() throws IOException {
    return load(target(), null);
  }

  /** The CSV file {@code --data} names, or null for an embedded set or an IDX directory. */
  Path file() {
    if (!DataInput.isCsv(data)) {
      return null;
    }
    String path = data.startsWith(DataSources.CSV) ? data.substring(DataSources.CSV.length()) : data;
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** The source in the canonical form model metadata records ({@link DataInput#canonical}). */
  String canonical() {
    return DataInput.canonical(data);
  }
}
