package dev.topiary.methods.odf2nna;

import dev.topiary.pruning.plan.ThresholdRule;

/**
 * How ODF2NNA's ε is chosen: given ({@link Fixed}, in any of the modes of {@link ThresholdRule}) or
 * searched ({@link Auto}).
 */
public sealed interface EpsilonChoice permits EpsilonChoice.Fixed, EpsilonChoice.Auto {

  /** One line for reports. */
  String describe();

  /** A given rule: absolute ε, ε relative to each layer's largest σ, or a fraction of units. */
  record Fixed(ThresholdRule rule) implements EpsilonChoice {
    @Override
    public String describe() {
      return rule.describe();
    }
  }

  /**
   * The largest compression whose validation metric stays within {@code tolerance} of the original
   * network's (0: no loss at all). Pruning is monotone in ε (a larger ε removes a superset of units), so
   * the search is a bisection over the sorted distinct σ values: absolute ε over all layers, or, with
   * {@code relative}, ε relative to each layer's largest σ.
   *
   * @param tolerance the largest allowed degradation of the validation metric, in the metric's units
   *     (e.g. 0.01 = one point of accuracy), ≥ 0
   * @param relative search the relative-to-largest mode instead of the absolute one
   * @param afterFinetune judge each candidate by its validation metric after fine-tuning (what the user
   *     gets; one short fine-tuning per trial) rather than right after surgery (no training per trial,
   *     but blind to what fine-tuning recovers, so it removes less)
   */
  record Auto(double tolerance, boolean relative, boolean afterFinetune) implements EpsilonChoice {
    /** Checks the tolerance. */
    public Auto {
      if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException("tolerance must be finite and >= 0, found " + tolerance);
      }
    }

    @Override
    public String describe() {
      return "auto (" + (relative ? "relative" : "absolute") + " ε, validation tolerance " + tolerance
          + (afterFinetune ? ", judged after fine-tuning" : ", judged before fine-tuning") + ")";
    }
  }
}
