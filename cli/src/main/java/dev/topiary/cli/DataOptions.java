package dev.topiary.cli;

import dev.topiary.core.data.Loaded;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * {@code --data SRC} and {@code --target COL}: the data a command reads, and how to read it. Every command
 * that reads data takes it through this mixin, so an option added here applies to all of them.
 */
final class DataOptions {

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "builtin:NAME, a CSV file, or idx:DIR.")
  String data;

  @Option(names = "--target", paramLabel = "COL",
      description = "CSV target column, by header name or 0-based index (default: the one the model "
          + "read records for this file, else the last column).")
  String target;

  /** The {@code --target} given, or null when none (or a blank one) was. */
  String target() {
    return target == null || target.isBlank() ? null : target;
  }

  /** Reads the data with the given target column (null: the last). */
  Loaded load(String targetColumn) throws IOException {
    return DataInput.load(data, targetColumn);
  }

  /** Reads the data with the {@code --target} given, else the last column. */
  Loaded load() throws IOException {
    return load(target());
  }

  /** The source in the canonical form model metadata records ({@link DataInput#canonical}). */
  String canonical() {
    return DataInput.canonical(data);
  }
}
