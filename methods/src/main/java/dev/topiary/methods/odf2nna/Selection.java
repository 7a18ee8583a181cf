package dev.topiary.methods.odf2nna;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link EpsilonChoice.Tested} search chose the compression, for the report.
 *
 * @param schedule {@code one-shot} or {@code iterative}
 * @param folds cross-validation folds of the training split that added held-out rows (0: none)
 * @param heldOutRows the paired rows every comparison is made on
 * @param tolerance the estimated loss accepted
 * @param confidence the intervals' confidence level
 * @param trivial the original (candidate) against a trivial predictor (reference: the majority class, or
 *     the training mean) on the validation rows
 * @param guard why nothing was pruned when the original is no better than the trivial predictor, else null
 * @param levels every rung of the ladder tried, in order
 * @param chosen the index in {@code levels} of the result, or -1 when no candidate passed (nothing removed)
 */
public record Selection(String schedule, int folds, int heldOutRows, double tolerance, double confidence,
    PairedComparison trivial, String guard, List<Level> levels, int chosen) {

  /** Copies the list. */
  public Selection {
    levels = List.copyOf(levels);
  }

  /**
   * One candidate compression.
   *
   * @param unitsRemoved the share of hidden units the rung removes (one-shot: of the original's units;
   *     iterative: in all, after this many steps)
   * @param parametersKept parameters of the candidate built from the network being pruned
   * @param comparison the candidate after fine-tuning against the original, pooled over the held-out rows
   * @param own with cross-validation, the delivered candidate (pruned from the model itself) against the
   *     model on the validation rows alone; null when the held-out rows are the validation rows only
   * @param constant whether the candidate predicts one class (or one value) for every held-out row
   * @param accepted whether it passed the rule
   */
  public record Level(double unitsRemoved, long parametersKept, PairedComparison comparison, PairedComparison own,
      boolean constant, boolean accepted) {}

  /** The chosen comparison, or null when nothing passed. */
  public PairedComparison chosenComparison() {
    return chosen < 0 ? null : levels.get(chosen).comparison();
  }

  /** JSON-ready. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schedule", schedule);
    m.put("folds", folds);
    m.put("held_out_rows", heldOutRows);
    m.put("tolerance", tolerance);
    m.put("confidence", confidence);
    if (trivial != null) {
      m.put("original_vs_trivial", trivial.toMap());
    }
    if (guard != null) {
      m.put("guard", guard);
    }
    List<Object> l = new ArrayList<>();
    for (Level v : levels) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("units_removed", v.unitsRemoved());
      e.put("parameters_kept", v.parametersKept());
      e.put("comparison", v.comparison().toMap());
      if (v.own() != null) {
        e.put("own_validation", v.own().toMap());
      }
      e.put("constant", v.constant());
      e.put("accepted", v.accepted());
      l.add(e);
    }
    m.put("levels", l);
    m.put("chosen", chosen);
    return m;
  }
}
