package dev.topiary.cli;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.Split;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line's side of a model's provenance: the keys and their parsing live in the library
 * ({@link dev.topiary.core.io.Provenance}, written by {@code ModelFiles.save} for any caller); this class
 * adds the pruning summary, carries {@value dev.topiary.core.data.Imputation#METADATA_KEY} (the values that
 * fill missing cells, {@code --missing mean}) through pruning, and decides which split of the data a
 * command should use.
 */
final class Provenance {

  static final String DATA = dev.topiary.core.io.Provenance.DATA;
  static final String TARGET = dev.topiary.core.io.Provenance.TARGET;
  static final String SPLIT_SEED = dev.topiary.core.io.Provenance.SPLIT_SEED;
  static final String SPLIT_FRACTIONS = dev.topiary.core.io.Provenance.SPLIT_FRACTIONS;
  static final String EPOCHS = dev.topiary.core.io.Provenance.EPOCHS;
  static final String BEST_EPOCH = dev.topiary.core.io.Provenance.BEST_EPOCH;
  static final String RECIPE = dev.topiary.core.io.Provenance.RECIPE;
  static final String FEATURES = dev.topiary.core.io.Provenance.FEATURES;
  /** JSON summary of a pruning run (method, ε, sizes and scores before and after). */
  static final String PRUNING = "topiary.pruning";
  static final String TOOL = dev.topiary.core.io.Provenance.TOOL;

  private Provenance() {}

  /** The metadata of a freshly trained model. */
  static Map<String, String> ofTraining(String tool, String data, String target, long splitSeed,
      Split.Fractions fractions, int epochs, int bestEpoch, Map<String, Object> recipe) {
    return ofTraining(tool, data, target, splitSeed, fractions, epochs, bestEpoch, recipe, null);
  }

  /** The metadata of a freshly trained model, with its input column names (may be null). */
  static Map<String, String> ofTraining(String tool, String data, String target, long splitSeed,
      Split.Fractions fractions, int epochs, int bestEpoch, Map<String, Object> recipe,
      List<String> featureNames) {
    return dev.topiary.core.io.Provenance.NONE.withTool(tool).withSplit(data, target, splitSeed, fractions)
        .withTraining(epochs, bestEpoch, recipe).withFeatureNames(featureNames).toMetadata();
  }

  static String fractionsText(Split.Fractions f) {
    return dev.topiary.core.io.Provenance.fractionsText(f);
  }

  /** Parses {@code 0.7,0.15,0.15}. */
  static Split.Fractions parseFractions(String text) {
    return dev.topiary.core.io.Provenance.parseFractions(text);
  }

  static String data(Map<String, String> md) {
    return md.get(DATA);
  }

  static String target(Map<String, String> md) {
    return md.get(TARGET);
  }

  static Long splitSeed(Map<String, String> md) {
    return dev.topiary.core.io.Provenance.fromMetadata(md).splitSeed();
  }

  static Split.Fractions fractions(Map<String, String> md) {
    Split.Fractions f = dev.topiary.core.io.Provenance.fromMetadata(md).fractions();
    return f == null ? Split.Fractions.DEFAULT : f;
  }

  static Integer epochs(Map<String, String> md) {
    Integer e = dev.topiary.core.io.Provenance.fromMetadata(md).epochs();
    return e != null && e >= 1 ? e : null;
  }

  static Map<?, ?> recipe(Map<String, String> md) {
    return dev.topiary.core.io.Provenance.fromMetadata(md).recipe();
  }

  /** The input column names the model records, or null. */
  static List<String> featureNames(Map<String, String> md) {
    return dev.topiary.core.io.Provenance.fromMetadata(md).featureNames();
  }

  /** Training provenance of {@code md} (everything but the pruning summary and the tool), to carry over. */
  static Map<String, String> carried(Map<String, String> md) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : new String[] {DATA, TARGET, SPLIT_SEED, SPLIT_FRACTIONS, EPOCHS, BEST_EPOCH, RECIPE, FEATURES,
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
  record SplitPlan(long seed, Split.Fractions fractions, String origin, boolean recorded) {

    /** The same split, with its test part replaced by every row of {@code src}. */
    SplitPlan withTestFrom(String src) {
      String base = recorded ? origin : origin.substring(0, origin.indexOf(" (") < 0 ? origin.length()
          : origin.indexOf(" ("));
      return new SplitPlan(seed, fractions, base + "; test rows from " + src, recorded);
    }
  }

  /** What a command says when it cuts a split the model does not record. */
  static final String UNRECORDED = "the model records no split of this data, so test figures may include"
      + " rows it was trained on; --test-data FILE names a held-out file";

  static SplitPlan splitFor(Map<String, String> md, String canonicalData, Long seedOption, long defaultSeed) {
    Long recorded = canonicalData.equals(data(md)) ? splitSeed(md) : null;
    Split.Fractions f = recorded != null ? fractions(md) : Split.Fractions.DEFAULT;
    if (seedOption != null) {
      boolean same = seedOption.equals(recorded);
      return new SplitPlan(seedOption, f, same ? "seed " + seedOption + ", as recorded in the model"
          : "seed " + seedOption + " from --seed (" + UNRECORDED + ")", same);
    }
    if (recorded != null) {
      return new SplitPlan(recorded, f, "seed " + recorded + ", as recorded in the model", true);
    }
    return new SplitPlan(defaultSeed, f, "default seed " + defaultSeed + " (" + UNRECORDED + ")", false);
  }
}
