package dev.topiary.core.data;

import java.util.List;
import java.util.Objects;

/**
 * What {@link DataSources#load} returns: the data, and a held-out test part when the source comes with
 * one (an {@code idx:DIR} with its {@code t10k} pair); CSV files and embedded data sets have none, and
 * are split with {@link Split#of(Loaded, Split.Fractions, long)}.
 *
 * @param train all the data of a single-table source, or the training part of a source that has two
 * @param test the source's own test part, or null when it has none
 * @param droppedRows rows dropped for missing cells (see {@link LoadOptions#missing()})
 * @param missingCells feature cells that were missing and are NaN in the data, to be filled by an
 *     {@link Imputation} before use (0 unless {@link LoadOptions.Missing#MEAN} was asked for)
 * @param targetNote which column is the target and why, in a sentence; null when the source defines it
 * @param warnings what a user should know about how the data was read
 */
public record Loaded(Dataset train, Dataset test, int droppedRows, int missingCells, String targetNote,
    List<String> warnings) {

  /** Data with nothing dropped or missing, and no note. */
  public Loaded(Dataset train, Dataset test, int droppedRows) {
    this(train, test, droppedRows, 0, null, List.of());
  }

  /** Checks that the parts agree on features and task. */
  public Loaded {
    warnings = List.copyOf(warnings);
    if (missingCells < 0) {
      throw new IllegalArgumentException("missingCells must be >= 0, found " + missingCells);
    }
    Objects.requireNonNull(train, "train");
    if (test != null && (test.features() != train.features() || !test.task().equals(train.task()))) {
      throw new IllegalArgumentException("the test part (" + test + ") does not match the training part ("
          + train + ")");
    }
    if (droppedRows < 0) {
      throw new IllegalArgumentException("droppedRows must be >= 0, found " + droppedRows);
    }
  }

  /** True when the source came with its own test part. */
  public boolean hasTest() {
    return test != null;
  }
}
