package dev.topiary.core.io;

import dev.topiary.core.data.Split;
import dev.topiary.core.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model file records about how the model was made, so that later code can recreate the same split
 * of the same data (and so not test on rows the model trained on) and can check that new data has the
 * columns the model was trained on. {@link ModelFiles#save(dev.topiary.core.model.Network,
 * java.nio.file.Path, Provenance, Map)} writes it into the file's {@code __metadata__};
 * {@link ModelFile#provenance()} reads it back. Every field is optional (null when not recorded).
 *
 * <p>Metadata keys, all strings:
 * <ul>
 *   <li>{@value #DATA}: the data source, {@code builtin:NAME} or an absolute path;
 *   <li>{@value #TARGET}: the CSV target column, when one was given;
 *   <li>{@value #SPLIT_SEED} and {@value #SPLIT_FRACTIONS}: the split's seed and its training,
 *       validation and test shares ({@code 0.7,0.15,0.15});
 *   <li>{@value #EPOCHS} and {@value #BEST_EPOCH}: epochs run and the epoch whose weights were kept;
 *   <li>{@value #RECIPE}: JSON object of the training recipe (optimiser, learning rate, batch, ...);
 *   <li>{@value #FEATURES}: JSON array of the input column names, in the order the model reads them;
 *   <li>{@value #TOOL}: what wrote the file.
 * </ul>
 *
 * <p>Reading is forgiving: a value that is missing or unreadable counts as not recorded, so a file written
 * by other code still loads.
 *
 * @param tool what wrote the file, e.g. {@code topiary train}; null if not recorded
 * @param data the data source; null if not recorded
 * @param target the CSV target column; null for the default (last) column or not recorded
 * @param splitSeed the seed of the training/validation/test split; null if not recorded
 * @param fractions the split's shares; null if not recorded
 * @param epochs the epochs trained; null if not recorded
 * @param bestEpoch the epoch whose weights were kept; null if not recorded
 * @param recipe the training recipe as a JSON-able map; null if not recorded
 * @param featureNames the input column names in input order; null if not recorded
 */
public record Provenance(String tool, String data, String target, Long splitSeed, Split.Fractions fractions,
    Integer epochs, Integer bestEpoch, Map<String, Object> recipe, List<String> featureNames) {

  /** Metadata key of the data source. */
  public static final String DATA = "topiary.data";
  /** Metadata key of the CSV target column. */
  public static final String TARGET = "topiary.data.target";
  /** Metadata key of the split seed. */
  public static final String SPLIT_SEED = "topiary.split.seed";
  /** Metadata key of the split shares. */
  public static final String SPLIT_FRACTIONS = "topiary.split.fractions";
  /** Metadata key of the epochs trained. */
  public static final String EPOCHS = "topiary.training.epochs";
  /** Metadata key of the epoch whose weights were kept. */
  public static final String BEST_EPOCH = "topiary.training.best_epoch";
  /** Metadata key of the training recipe JSON. */
  public static final String RECIPE = "topiary.training.recipe";
  /** Metadata key of the input column names (a JSON array). */
  public static final String FEATURES = "topiary.features";
  /** Metadata key of what wrote the file. */
  public static final String TOOL = "topiary.tool";

  /** Nothing recorded. */
  public static final Provenance NONE = new Provenance(null, null, null, null, null, null, null, null, null);

  /** Copies the recipe and the names into unmodifiable collections. */
  public Provenance {
    recipe = recipe == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
    featureNames = featureNames == null ? null : List.copyOf(featureNames);
  }

  /** This record with the input column names. */
  public Provenance withFeatureNames(List<String> names) {
    return new Provenance(tool, data, target, splitSeed, fractions, epochs, bestEpoch, recipe, names);
  }

  /** This record with what wrote the file. */
  public Provenance withTool(String what) {
    return new Provenance(what, data, target, splitSeed, fractions, epochs, bestEpoch, recipe, featureNames);
  }

  /** This record with the data source, its target column (may be null) and the split. */
  public Provenance withSplit(String source, String targetColumn, long seed, Split.Fractions shares) {
    return new Provenance(tool, source, targetColumn, seed, shares, epochs, bestEpoch, recipe, featureNames);
  }

  /** This record with the training recipe and its epoch counts (each may be null). */
  public Provenance withTraining(Integer epochsRun, Integer kept, Map<String, Object> trainingRecipe) {
    return new Provenance(tool, data, target, splitSeed, fractions, epochsRun, kept, trainingRecipe, featureNames);
  }

  /** True when the split of the data is recorded (data source and seed). */
  public boolean recordsSplit() {
    return data != null && splitSeed != null;
  }

  /** The metadata entries of the recorded fields, in a fixed order. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, TOOL, tool);
    put(m, DATA, data);
    put(m, TARGET, target);
    put(m, SPLIT_SEED, splitSeed == null ? null : splitSeed.toString());
    put(m, SPLIT_FRACTIONS, fractions == null ? null : fractionsText(fractions));
    put(m, EPOCHS, epochs == null ? null : epochs.toString());
    put(m, BEST_EPOCH, bestEpoch == null ? null : bestEpoch.toString());
    put(m, RECIPE, recipe == null ? null : Json.write(recipe));
    put(m, FEATURES, featureNames == null ? null : Json.write(featureNames));
    return m;
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /**
   * The provenance recorded in {@code metadata}; fields missing or unreadable are null. Never throws on
   * content.
   */
  public static Provenance fromMetadata(Map<String, String> metadata) {
    Long seed = null;
    try {
      seed = metadata.containsKey(SPLIT_SEED) ? Long.parseLong(metadata.get(SPLIT_SEED).trim()) : null;
    } catch (NumberFormatException e) {
      seed = null;
    }
    Split.Fractions f = null;
    if (metadata.containsKey(SPLIT_FRACTIONS)) {
      try {
        f = parseFractions(metadata.get(SPLIT_FRACTIONS));
      } catch (IllegalArgumentException e) {
        f = null;
      }
    }
    return new Provenance(metadata.get(TOOL), metadata.get(DATA), metadata.get(TARGET), seed, f,
        positive(metadata.get(EPOCHS)), positive(metadata.get(BEST_EPOCH)), recipe(metadata.get(RECIPE)),
        names(metadata.get(FEATURES)));
  }

  private static Integer positive(String text) {
    if (text == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(text.trim());
      return v >= 0 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> recipe(String text) {
    try {
      return text != null && Json.parse(text) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> names(String text) {
    try {
      if (text == null || !(Json.parse(text) instanceof List<?> l)) {
        return null;
      }
      List<String> out = new ArrayList<>(l.size());
      for (Object o : l) {
        if (!(o instanceof String s)) {
          return null;
        }
        out.add(s);
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The shares as text, {@code 0.7,0.15,0.15}. */
  public static String fractionsText(Split.Fractions f) {
    return String.format(Locale.ROOT, "%s,%s,%s", trim(f.train()), trim(f.validation()), trim(f.test()));
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /**
   * Parses {@code 0.7,0.15,0.15}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Split.Fractions parseFractions(String text) {
    String[] p = text.split(",");
    if (p.length != 3) {
      throw new IllegalArgumentException("expected three shares TRAIN,VALIDATION,TEST such as 0.7,0.15,0.15,"
          + " found '" + text + "'");
    }
    try {
      return new Split.Fractions(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
          Double.parseDouble(p[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected three numbers such as 0.7,0.15,0.15, found '" + text + "'");
    }
  }

  /**
   * Checks that data's columns are the ones the model was trained on, in the same order. Does nothing when
   * either side has no names.
   *
   * @param modelNames the names the model records, or null
   * @param dataNames the data's column names, or null
   * @param dataName names the data in the message
   * @throws FeatureMismatchException naming the first column that differs, or the counts
   */
  public static void checkFeatures(List<String> modelNames, List<String> dataNames, String dataName) {
    if (modelNames == null || dataNames == null || modelNames.equals(dataNames)) {
      return;
    }
    if (modelNames.size() != dataNames.size()) {
      throw new FeatureMismatchException(dataName + " has " + dataNames.size() + " feature columns, the model"
          + " was trained on " + modelNames.size() + " (" + abbreviated(modelNames) + ")");
    }
    List<String> missing = new ArrayList<>(modelNames);
    missing.removeAll(dataNames);
    if (!missing.isEmpty()) {
      List<String> extra = new ArrayList<>(dataNames);
      extra.removeAll(modelNames);
      throw new FeatureMismatchException(dataName + " lacks the column" + (missing.size() == 1 ? " " : "s ")
          + abbreviated(missing) + " the model was trained on, and has " + abbreviated(extra) + " instead");
    }
    for (int j = 0; j < modelNames.size(); j++) {
      if (!modelNames.get(j).equals(dataNames.get(j))) {
        throw new FeatureMismatchException(dataName + ": feature column " + (j + 1) + " is '" + dataNames.get(j)
            + "' but the model reads '" + modelNames.get(j) + "' there (same columns, other order)");
      }
    }
  }

  private static String abbreviated(List<String> names) {
    List<String> shown = names.size() > 8 ? names.subList(0, 8) : names;
    return "'" + String.join("', '", shown) + "'" + (names.size() > shown.size() ? ", ..." : "");
  }
}
