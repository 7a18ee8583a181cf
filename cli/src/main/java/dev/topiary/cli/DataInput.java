package dev.topiary.cli;

import dev.topiary.core.data.BuiltinData;
import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loading {@code --data SRC}, cutting it into parts, and checking that data fits a model before any long
 * work starts.
 */
final class DataInput {

  private DataInput() {}

  /**
   * The source as model metadata records it, so that a later command can tell whether it was given the
   * same data: {@code builtin:NAME} in canonical form, file and directory paths made absolute.
   */
  static String canonical(String src) {
    if (src.startsWith(DataSources.BUILTIN)) {
      return DataSources.BUILTIN + BuiltinData.canonical(src.substring(DataSources.BUILTIN.length()));
    }
    if (src.startsWith(DataSources.IDX)) {
      return DataSources.IDX + absolute(src.substring(DataSources.IDX.length()));
    }
    String path = src.startsWith(DataSources.CSV) ? src.substring(DataSources.CSV.length()) : src;
    return absolute(path);
  }

  private static String absolute(String path) {
    try {
      return Path.of(path).toAbsolutePath().normalize().toString();
    } catch (java.nio.file.InvalidPathException e) {
      throw new InputException("not a valid path: " + path);
    }
  }

  /** Loads {@code src}; {@code target} (a CSV column name or 0-based index) may be null. */
  static Loaded load(String src, String target) throws IOException {
    LoadOptions options = target == null || target.isBlank() ? LoadOptions.DEFAULTS
        : LoadOptions.DEFAULTS.withTarget(target);
    return loadWith(src, options);
  }

  /**
   * Loads {@code src} with {@code options}, refusing a target or a task that an embedded set or an IDX
   * directory (which know their own) contradicts.
   */
  static Loaded loadWith(String src, LoadOptions options) throws IOException {
    if (options.targetName() != null && !options.targetName().isBlank() && !isCsv(src)) {
      throw new InputException("--target applies to CSV files only; " + src + " knows its own target");
    }
    Loaded loaded = DataSources.load(src, options);
    LoadOptions.TaskChoice t = options.task();
    boolean cls = loaded.train().task().isClassification();
    if (t != LoadOptions.TaskChoice.INFER && !isCsv(src) && cls != (t == LoadOptions.TaskChoice.CLASSIFICATION)) {
      throw new InputException("--task " + t.name().toLowerCase(java.util.Locale.ROOT) + " does not apply to " + src
          + ", which is " + (cls ? "classification" : "regression"));
    }
    return loaded;
  }

  /**
   * The data with its missing cells filled, its split, and the imputation that filled them.
   *
   * @param loaded the data as read
   * @param split its split, made before filling (the rows do not depend on the cells)
   * @param imputation null when nothing was missing
   */
  record Prepared(Loaded loaded, Split split, Imputation imputation) {}

  /**
   * Splits {@code loaded} and, when it holds missing cells, fills them with an imputation fitted on the
   * training part only, so no statistic of the validation or test rows leaks into the model.
   */
  static Prepared splitAndImpute(Loaded loaded, Split.Fractions fractions, long seed) throws IOException {
    Split s = split(loaded, fractions, seed);
    if (loaded.missingCells() == 0) {
      return new Prepared(loaded, s, null);
    }
    Imputation imp = Imputation.fit(s.train());
    Loaded filled = imp.apply(loaded);
    return new Prepared(filled, split(filled, fractions, seed), imp);
  }

  static boolean isCsv(String src) {
    return !src.startsWith(DataSources.BUILTIN) && !src.startsWith(DataSources.IDX);
  }

  /**
   * The seeded split of a loaded source (an IDX test part stays the test set), refusing one whose parts
   * are too small to train, validate and test on.
   */
  static Split split(Loaded loaded, Split.Fractions fractions, long seed) {
    Split s = Split.of(loaded, fractions, seed);
    String name = loaded.train().name();
    int total = loaded.train().rows() + (loaded.hasTest() ? loaded.test().rows() : 0);
    if (s.train().rows() < 2 || s.validation().rows() < 1 || s.test().rows() < 1) {
      throw new InputException(name + " has " + total + " rows, too few to split into training ("
          + s.train().rows() + "), validation (" + s.validation().rows() + ") and test (" + s.test().rows()
          + ") parts; at least 2, 1 and 1 are needed");
    }
    if (s.train().task().isClassification() && distinct(s.train().labels()) < 2) {
      throw new InputException(name + ": the training part holds a single class; classification needs at least 2");
    }
    return s;
  }

  private static int distinct(int[] labels) {
    return (int) java.util.Arrays.stream(labels).distinct().count();
  }

  /**
   * {@code data} as the model sees it: checked for width and task, and for classification with its labels
   * renumbered into the model's class order (a data file may hold fewer classes than the model knows, or
   * list them in another order).
   *
   * @throws InputException naming the data, the model and what differs
   */
  static Dataset fitTo(Network network, Dataset data, String modelName) {
    if (data.features() != network.inputSize()) {
      throw new InputException(data.name() + " has " + data.features() + " feature column"
          + (data.features() == 1 ? "" : "s") + ", but the model " + modelName + " reads "
          + network.inputSize());
    }
    Task mt = network.task();
    Task dt = data.task();
    if (mt.isClassification() != dt.isClassification()) {
      throw new InputException(data.name() + " is " + describe(dt) + ", but the model " + modelName + " does "
          + describe(mt));
    }
    if (!mt.isClassification()) {
      if (mt.outputs() != dt.outputs()) {
        throw new InputException(data.name() + " has " + dt.outputs() + " targets, the model " + modelName
            + " predicts " + mt.outputs());
      }
      return data;
    }
    if (mt.classLabels().equals(dt.classLabels())) {
      return data;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < mt.classes(); c++) {
      index.put(mt.classLabels().get(c), c);
    }
    int[] map = new int[dt.classes()];
    List<String> unknown = new ArrayList<>();
    for (int c = 0; c < dt.classes(); c++) {
      Integer m = index.get(dt.classLabels().get(c));
      if (m == null) {
        unknown.add(dt.classLabels().get(c));
      } else {
        map[c] = m;
      }
    }
    if (!unknown.isEmpty()) {
      throw new InputException(data.name() + " has class" + (unknown.size() == 1 ? " " : "es ")
          + quoted(unknown) + " that the model " + modelName + " does not know; it knows " + quoted(mt.classLabels()));
    }
    int[] labels = new int[data.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = map[data.labels()[i]];
    }
    return new Dataset(data.name(), data.rows(), data.features(), data.x(), mt, labels, null, data.featureNames());
  }

  private static String describe(Task t) {
    return t.isClassification() ? "classification (" + t.classes() + " classes)"
        : "regression (" + t.outputs() + " output" + (t.outputs() == 1 ? ")" : "s)");
  }

  private static String quoted(List<String> labels) {
    List<String> shown = labels.size() > 12 ? labels.subList(0, 12) : labels;
    return "'" + String.join("', '", shown) + "'" + (labels.size() > shown.size() ? ", …" : "");
  }

  /**
   * Tells {@code err} what reading {@code source} left out or noticed: the reader's warnings, and how many
   * rows {@code --missing drop} dropped. For the commands that read data for a model they did not train
   * ({@code eval}, {@code prune}); {@code train} prints the same in its summary.
   */
  static void warnLoad(PrintWriter err, String source, Loaded loaded) {
    for (String w : loaded.warnings()) {
      err.println("topiary: warning: " + w);
    }
    if (loaded.droppedRows() > 0) {
      err.println("topiary: warning: " + source + ": " + Format.grouped(loaded.droppedRows()) + " row"
          + (loaded.droppedRows() == 1 ? "" : "s") + " with missing cells dropped (--missing drop)");
    }
    err.flush();
  }
}
