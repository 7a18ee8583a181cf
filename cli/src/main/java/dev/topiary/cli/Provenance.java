package dev.topiary.cli;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.Split;
import dev.topiary.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a model file records about how it was made, in its safetensors metadata, so that later commands
 * can recreate the same split of the same data (and so not test on rows the model trained on):
 *
 * <ul>
 *   <li>{@value #DATA}: the data source, {@code builtin:NAME} or an absolute path;
 *   <li>{@value #TARGET}: the CSV target column, when one was given;
 *   <li>{@value #SPLIT_SEED} and {@value #SPLIT_FRACTIONS}: the split's seed and its training,
 *       validation and test shares ({@code 0.7,0.15,0.15});
 *   <li>{@value #EPOCHS} and {@value #BEST_EPOCH}: epochs run and the epoch whose weights were kept;
 *   <li>{@value #RECIPE}: JSON of the training recipe (optimizer, learning rate, batch, epochs, patience,
 *       and what early stopping watched when not the loss);
 *   <li>{@value #PRUNING}: JSON summary of a pruning run (method, ε, sizes and scores before and after);
 *   <li>{@value #TOOL}: the command that wrote the file;
 *   <li>{@value dev.topiary.core.data.Imputation#METADATA_KEY}: the values that fill missing cells
 *       ({@code --missing mean}), carried through pruning.
 * </ul>
 *
 * Reading is forgiving: a value that is missing or unreadable counts as not recorded.
 */
final class Provenance {

  static final String DATA = "topiary.data";
  static final String TARGET = "topiary.data.target";
  static final String SPLIT_SEED = "topiary.split.seed";
  static final String SPLIT_FRACTIONS = "topiary.split.fractions";
  static final String EPOCHS = "topiary.training.epochs";
  static final String BEST_EPOCH = "topiary.training.best_epoch";
  static final String RECIPE = "topiary.training.recipe";
  static final String PRUNING = "topiary.pruning";
  static final String TOOL = "topiary.tool";

  private Provenance() {}

  /** The metadata of a freshly trained model. */
  static Map<String, String> ofTraining(String tool, String data, String target, long splitSeed,
      Split.Fractions fractions, int epochs, int bestEpoch, Map<String, Object> recipe) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(TOOL, tool);
    m.put(DATA, data);
    if (target != null) {
      m.put(TARGET, target);
    }
    m.put(SPLIT_SEED, Long.toString(splitSeed));
    m.put(SPLIT_FRACTIONS, fractionsText(fractions));
    m.put(EPOCHS, Integer.toString(epochs));
    m.put(BEST_EPOCH, Integer.toString(bestEpoch));
    m.put(RECIPE, Json.write(recipe));
    return m;
  }

  static String fractionsText(Split.Fractions f) {
    return String.format(Locale.ROOT, "%s,%s,%s", trim(f.train()), trim(f.validation()), trim(f.test()));
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** Parses {@code 0.7,0.15,0.15}. */
  static Split.Fractions parseFractions(String text) {
    String[] p = text.split(",");
    if (p.length != 3) {
      throw new IllegalArgumentException("expected three shares TRAIN,VALIDATION,TEST such as 0.7,0.15,0.15, found '"
          + text + "'");
    }
    try {
      return new Split.Fractions(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
          Double.parseDouble(p[2].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected three numbers such as 0.7,0.15,0.15, found '" + text + "'");
    }
  }

  static String data(Map<String, String> md) {
    return md.get(DATA);
  }

  static String target(Map<String, String> md) {
    return md.get(TARGET);
  }

  static Long splitSeed(Map<String, String> md) {
    try {
      return md.containsKey(SPLIT_SEED) ? Long.parseLong(md.get(SPLIT_SEED).trim()) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Split.Fractions fractions(Map<String, String> md) {
    try {
      return md.containsKey(SPLIT_FRACTIONS) ? parseFractions(md.get(SPLIT_FRACTIONS)) : Split.Fractions.DEFAULT;
    } catch (IllegalArgumentException e) {
      return Split.Fractions.DEFAULT;
    }
  }

  static Integer epochs(Map<String, String> md) {
    try {
      int e = Integer.parseInt(md.getOrDefault(EPOCHS, "").trim());
      return e >= 1 ? e : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Map<?, ?> recipe(Map<String, String> md) {
    try {
      return md.containsKey(RECIPE) && Json.parse(md.get(RECIPE)) instanceof Map<?, ?> m ? m : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Training provenance of {@code md} (everything but the pruning summary and the tool), to carry over. */
  static Map<String, String> carried(Map<String, String> md) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : new String[] {DATA, TARGET, SPLIT_SEED, SPLIT_FRACTIONS, EPOCHS, BEST_EPOCH, RECIPE,
        Imputation.METADATA_KEY}) {
      if (md.containsKey(k)) {
        m.put(k, md.get(k));
      }
    }
    return m;
  }

  /**
   * Which split of {@code canonicalData} to use for a model: the one the model records when it was trained
   * on the same data, else the given seed, else the default seed.
   *
   * @param seed the split seed
   * @param fractions the split shares
   * @param origin in words: {@code recorded in the model}, {@code --seed} or {@code default seed}
   * @param recorded true when the model records this split of this data
   */
  record SplitPlan(long seed, Split.Fractions fractions, String origin, boolean recorded) {}

  static SplitPlan splitFor(Map<String, String> md, String canonicalData, Long seedOption, long defaultSeed) {
    Long recorded = canonicalData.equals(data(md)) ? splitSeed(md) : null;
    Split.Fractions f = recorded != null ? fractions(md) : Split.Fractions.DEFAULT;
    if (seedOption != null) {
      boolean same = seedOption.equals(recorded);
      return new SplitPlan(seedOption, f, same ? "seed " + seedOption + ", as recorded in the model"
          : "seed " + seedOption + " from --seed", same);
    }
    if (recorded != null) {
      return new SplitPlan(recorded, f, "seed " + recorded + ", as recorded in the model", true);
    }
    return new SplitPlan(defaultSeed, f, "default seed " + defaultSeed
        + " (the model records no split of this data)", false);
  }
}
