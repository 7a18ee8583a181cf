package dev.topiary.methods.odf2nna;

import dev.topiary.pruning.plan.ThresholdRule;

/**
 * How ODF2NNA's ε is chosen: given ({@link Fixed}, in any of the modes of {@link ThresholdRule}), chosen
 * by a paired statistical test on held-out rows ({@link Tested}, the default), or by the earlier
 * bisection on the validation split alone ({@link Auto}).
 */
public sealed interface EpsilonChoice permits EpsilonChoice.Fixed, EpsilonChoice.Auto, EpsilonChoice.Tested {

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

  /**
   * The largest compression that passes the "no loss" rule on held-out rows: the candidate's metric,
   * after fine-tuning, is compared with the original's on the paired predictions of the same rows
   * ({@link PairedComparison}); it passes when the estimated loss is within {@code tolerance} and it is
   * not significantly worse at {@code confidence}, and when it does not predict a constant where the
   * original did not. With cross-validation, the network actually delivered must in addition pass the
   * same rule against the model on the validation rows alone: the pooled rows judge the recipe, and fold
   * networks that prune well must not hide a delivered network that does not.
   *
   * <p>The held-out rows are the validation split, and, when it has fewer than {@link #SMALL_VALIDATION}
   * rows, also the training split through k-fold cross-validation: for each fold the original recipe
   * trains a network on the other folds, which is pruned and fine-tuned the same way and judged on its
   * own held-out fold. Every training row is then predicted once by a model that never saw it.
   *
   * <p>Candidates form a ladder of growing compression. One-shot: remove the share q of all hidden units
   * with the lowest σ (one absolute ε over all layers, at σ's q-quantile) from the original, for q on a
   * fixed grid. Iterative: remove the share {@code stepShare} of the remaining units with the lowest σ,
   * fine-tune briefly, measure σ again, and repeat. Either way the metric is not monotone in the
   * compression, so the ladder is climbed step by step and the search stops after three consecutive
   * failures; the result is the most compressed candidate that passed.
   *
   * @param tolerance the largest estimated loss accepted, in the metric's units (0.005 = half a point of
   *     accuracy), ≥ 0; NaN for the metric's default ({@link #toleranceFor})
   * @param confidence the confidence level of the interval, in (0, 1)
   * @param folds folds of the training split for cross-validation when the validation split is small; 0
   *     judges on the validation split alone; 1 is not allowed
   * @param iterative the iterative schedule instead of one-shot removal
   * @param stepShare with {@code iterative}: the share of the remaining units each step removes, in (0, 1)
   */
  record Tested(double tolerance, double confidence, int folds, boolean iterative, double stepShare)
      implements EpsilonChoice {

    /** Validation splits smaller than this are complemented by cross-validation on the training split. */
    public static final int SMALL_VALIDATION = 2_000;

    /** Checks the ranges. */
    public Tested {
      if (!Double.isNaN(tolerance) && (!(tolerance >= 0) || Double.isInfinite(tolerance))) {
        throw new IllegalArgumentException("tolerance must be finite and >= 0 (or NaN: the metric's default), found "
            + tolerance);
      }
      if (!(confidence > 0 && confidence < 1)) {
        throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
      }
      if (folds < 0 || folds == 1 || folds > 20) {
        throw new IllegalArgumentException("folds must be 0 or between 2 and 20, found " + folds);
      }
      if (!(stepShare > 0 && stepShare < 1)) {
        throw new IllegalArgumentException("step share must be in (0, 1), found " + stepShare);
      }
    }

    /** The default tolerance for R²: a hundredth. */
    public static final double R2_TOLERANCE = 0.01;

    /** The default tolerance for every other metric: half a point of accuracy. */
    public static final double TOLERANCE = 0.005;

    /**
     * The defaults: the metric's default tolerance ({@link #toleranceFor}), confidence 0.95, 3 folds,
     * iterative steps of 25 % of the units.
     */
    public static Tested defaults() {
      return new Tested(Double.NaN, 0.95, 3, true, 0.25);
    }

    /**
     * The tolerance applied when judging by {@code metric}: the one given, or, when it is NaN, the
     * metric's default — {@value #R2_TOLERANCE} for R² and {@value #TOLERANCE} otherwise. The two match
     * the bands in which a pruned model counts as unchanged: half a point of accuracy, a hundredth of R²
     * (whose estimates on a few hundred rows move by a hundredth from one resample to the next).
     */
    public double toleranceFor(dev.topiary.core.metrics.Metric metric) {
      if (!Double.isNaN(tolerance)) {
        return tolerance;
      }
      return metric == dev.topiary.core.metrics.Metric.R2 ? R2_TOLERANCE : TOLERANCE;
    }

    /** With another tolerance. */
    public Tested withTolerance(double t) {
      return new Tested(t, confidence, folds, iterative, stepShare);
    }

    /** With another confidence level. */
    public Tested withConfidence(double c) {
      return new Tested(tolerance, c, folds, iterative, stepShare);
    }

    /** With another number of folds. */
    public Tested withFolds(int k) {
      return new Tested(tolerance, confidence, k, iterative, stepShare);
    }

    /** Iterative or one-shot. */
    public Tested withIterative(boolean i) {
      return new Tested(tolerance, confidence, folds, i, stepShare);
    }

    @Override
    public String describe() {
      return "auto (" + (iterative ? "iterative, " + Math.round(stepShare * 100) + " % of the units a step"
          : "one-shot") + "; no loss: estimated loss ≤ " + (Double.isNaN(tolerance) ? "the metric's tolerance"
          : tolerance) + " and not significantly worse at " + confidence + ")";
    }
  }
}
