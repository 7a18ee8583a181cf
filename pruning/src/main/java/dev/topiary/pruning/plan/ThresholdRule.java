package dev.topiary.pruning.plan;

import dev.topiary.pruning.criteria.LayerScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decides how many units of each prunable layer go, given their scores (higher = keep). With the variance
 * criterion this is ODF2NNA's rule "keep unit j if σ_j &gt; ε"; the paper does not say on which scale ε
 * lives, so ε can be given four ways:
 *
 * <ul>
 *   <li>{@link Absolute}: remove every unit with score ≤ ε, the same ε in every layer;
 *   <li>{@link RelativeToMax}: in each layer remove every unit with score ≤ r·max(score of that layer),
 *       so the threshold follows each layer's scale;
 *   <li>{@link LayerFraction}: remove ⌊p·n_l⌋ units of lowest score from each layer of width n_l;
 *   <li>{@link GlobalFraction}: remove ⌊p·N⌋ units of lowest score over all N prunable units, compared
 *       across layers on the raw score (layers whose outputs have larger scales keep more units).
 * </ul>
 *
 * <p>Every rule keeps at least {@code min(minUnits, n_l)} units in each layer (default 1): when it would
 * remove more, the units with the highest scores stay. Ties are broken in favour of the lower index: among
 * equal scores the unit with the higher index goes first. The output layer is never among the scored
 * layers (see {@link dev.topiary.pruning.units.UnitLayout}), so no rule touches it.
 */
public sealed interface ThresholdRule
    permits ThresholdRule.Absolute, ThresholdRule.RelativeToMax, ThresholdRule.LayerFraction,
        ThresholdRule.GlobalFraction {

  /** The least number of units any layer keeps (fewer only if the layer is narrower). */
  int minUnits();

  /** A one-line description for reports, e.g. {@code score <= 0.05 (absolute)}. */
  String describe();

  /** The same rule with another minimum number of units per layer. */
  ThresholdRule withMinUnits(int minUnits);

  /** True when the decision for a layer depends on other layers' scores. */
  default boolean isGlobal() {
    return false;
  }

  /** Decides, for each scored layer in order, which units go. */
  List<LayerSelection> select(List<LayerScores> layers);

  /** Remove units with score ≤ {@code epsilon}, keeping at least one per layer. */
  static Absolute absolute(double epsilon) {
    return new Absolute(epsilon, 1);
  }

  /** Remove units with score ≤ {@code ratio}·(largest score of the layer), keeping at least one. */
  static RelativeToMax relativeToMax(double ratio) {
    return new RelativeToMax(ratio, 1);
  }

  /** Remove ⌊fraction·n_l⌋ lowest-scored units from each layer, keeping at least one. */
  static LayerFraction fractionPerLayer(double fraction) {
    return new LayerFraction(fraction, 1);
  }

  /** Remove ⌊fraction·N⌋ lowest-scored units over all layers together, keeping at least one per layer. */
  static GlobalFraction fractionOverall(double fraction) {
    return new GlobalFraction(fraction, 1);
  }

  /**
   * Remove every unit with score ≤ ε.
   *
   * @param epsilon the threshold, any finite value (a negative one removes nothing: scores such as σ are
   *     never negative)
   * @param minUnits the least number of units a layer keeps, at least 1
   */
  record Absolute(double epsilon, int minUnits) implements ThresholdRule {
    /** Checks the ranges. */
    public Absolute {
      if (!Double.isFinite(epsilon)) {
        throw new IllegalArgumentException("epsilon must be finite, found " + epsilon);
      }
      checkMinUnits(minUnits);
    }

    @Override
    public String describe() {
      return "score <= " + epsilon + " (absolute)";
    }

    @Override
    public Absolute withMinUnits(int m) {
      return new Absolute(epsilon, m);
    }

    @Override
    public List<LayerSelection> select(List<LayerScores> layers) {
      return layers.stream().map(s -> belowThreshold(s, epsilon, minUnits)).toList();
    }
  }

  /**
   * Remove every unit whose score is ≤ ratio·max_l, max_l the largest score of its layer. A ratio below
   * 1 always keeps the best unit of a layer whose maximum is positive.
   *
   * @param ratio finite, ≥ 0
   * @param minUnits the least number of units a layer keeps, at least 1
   */
  record RelativeToMax(double ratio, int minUnits) implements ThresholdRule {
    /** Checks the ranges. */
    public RelativeToMax {
      if (!(ratio >= 0) || !Double.isFinite(ratio)) {
        throw new IllegalArgumentException("ratio must be finite and >= 0, found " + ratio);
      }
      checkMinUnits(minUnits);
    }

    @Override
    public String describe() {
      return "score <= " + ratio + " x layer maximum (relative)";
    }

    @Override
    public RelativeToMax withMinUnits(int m) {
      return new RelativeToMax(ratio, m);
    }

    @Override
    public List<LayerSelection> select(List<LayerScores> layers) {
      return layers.stream().map(s -> belowThreshold(s, ratio * s.max(), minUnits)).toList();
    }
  }

  /**
   * Remove the ⌊fraction·n_l⌋ units of lowest score from each layer (rounded down, so no layer loses more
   * than the fraction), then keep the minimum.
   *
   * @param fraction in [0, 1]
   * @param minUnits the least number of units a layer keeps, at least 1
   */
  record LayerFraction(double fraction, int minUnits) implements ThresholdRule {
    /** Checks the ranges. */
    public LayerFraction {
      checkFraction(fraction);
      checkMinUnits(minUnits);
    }

    @Override
    public String describe() {
      return "lowest " + fraction + " of each layer (fraction per layer)";
    }

    @Override
    public LayerFraction withMinUnits(int m) {
      return new LayerFraction(fraction, m);
    }

    @Override
    public List<LayerSelection> select(List<LayerScores> layers) {
      List<LayerSelection> out = new ArrayList<>();
      for (LayerScores s : layers) {
        int n = s.width();
        int wanted = count(fraction, n);
        int k = Math.min(wanted, n - Math.min(minUnits, n));
        Integer[] order = ascendingImportance(s);
        int[] removed = new int[k];
        double threshold = Double.NaN;
        for (int i = 0; i < k; i++) {
          removed[i] = order[i];
          threshold = s.score(order[i]);
        }
        Arrays.sort(removed);
        out.add(new LayerSelection(s, removed, threshold, wanted > k));
      }
      return out;
    }
  }

  /**
   * Remove the ⌊fraction·N⌋ units of lowest raw score over all N scored units, skipping units of a layer
   * that is down to its minimum (so the count is met whenever the minima allow). Ties across layers go
   * to the later layer first.
   *
   * @param fraction in [0, 1]
   * @param minUnits the least number of units a layer keeps, at least 1
   */
  record GlobalFraction(double fraction, int minUnits) implements ThresholdRule {
    /** Checks the ranges. */
    public GlobalFraction {
      checkFraction(fraction);
      checkMinUnits(minUnits);
    }

    @Override
    public String describe() {
      return "lowest " + fraction + " of all units (fraction overall)";
    }

    @Override
    public GlobalFraction withMinUnits(int m) {
      return new GlobalFraction(fraction, m);
    }

    @Override
    public boolean isGlobal() {
      return true;
    }

    @Override
    public List<LayerSelection> select(List<LayerScores> layers) {
      List<long[]> units = new ArrayList<>(); // {layer, unit}
      for (int l = 0; l < layers.size(); l++) {
        for (int j = 0; j < layers.get(l).width(); j++) {
          units.add(new long[] {l, j});
        }
      }
      units.sort(Comparator.<long[]>comparingDouble(u -> layers.get((int) u[0]).score((int) u[1]))
          .thenComparing(u -> -u[0])
          .thenComparing(u -> -u[1]));
      int target = count(fraction, units.size());
      int[] left = layers.stream().mapToInt(LayerScores::width).toArray();
      boolean[][] gone = new boolean[layers.size()][];
      boolean[] skipped = new boolean[layers.size()];
      double[] threshold = new double[layers.size()];
      Arrays.fill(threshold, Double.NaN);
      for (int l = 0; l < layers.size(); l++) {
        gone[l] = new boolean[layers.get(l).width()];
      }
      int removed = 0;
      for (long[] u : units) {
        if (removed == target) {
          break;
        }
        int l = (int) u[0];
        int n = layers.get(l).width();
        if (left[l] <= Math.min(minUnits, n)) {
          skipped[l] = true;
          continue;
        }
        gone[l][(int) u[1]] = true;
        left[l]--;
        threshold[l] = layers.get(l).score((int) u[1]);
        removed++;
      }
      List<LayerSelection> out = new ArrayList<>();
      for (int l = 0; l < layers.size(); l++) {
        int[] r = new int[layers.get(l).width() - left[l]];
        int k = 0;
        for (int j = 0; j < gone[l].length; j++) {
          if (gone[l][j]) {
            r[k++] = j;
          }
        }
        out.add(new LayerSelection(layers.get(l), r, threshold[l], skipped[l]));
      }
      return out;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Shared by the rules; private to this interface.

  private static LayerSelection belowThreshold(LayerScores s, double epsilon, int minUnits) {
    int n = s.width();
    int keep = Math.min(minUnits, n);
    int below = 0;
    for (int j = 0; j < n; j++) {
      if (s.score(j) <= epsilon) {
        below++;
      }
    }
    if (n - below >= keep) {
      int[] removed = new int[below];
      int k = 0;
      for (int j = 0; j < n; j++) {
        if (s.score(j) <= epsilon) {
          removed[k++] = j;
        }
      }
      return new LayerSelection(s, removed, epsilon, false);
    }
    // Too many below ε: keep the `keep` most important units.
    Integer[] order = ascendingImportance(s);
    int[] removed = new int[n - keep];
    for (int i = 0; i < removed.length; i++) {
      removed[i] = order[i];
    }
    Arrays.sort(removed);
    return new LayerSelection(s, removed, epsilon, true);
  }

  /** Unit indices from least to most worth keeping: by score, ties with the higher index first. */
  private static Integer[] ascendingImportance(LayerScores s) {
    Integer[] order = new Integer[s.width()];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(s::score).thenComparing(j -> -j));
    return order;
  }

  private static int count(double fraction, int n) {
    // The small slack keeps products like 0.29·100 = 28.999999999999996 at 29.
    return (int) Math.floor(fraction * n + 1e-9);
  }

  private static void checkFraction(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], found " + fraction);
    }
  }

  private static void checkMinUnits(int minUnits) {
    if (minUnits < 1) {
      throw new IllegalArgumentException("minUnits must be >= 1 (a layer is never emptied), found " + minUnits);
    }
  }
}
