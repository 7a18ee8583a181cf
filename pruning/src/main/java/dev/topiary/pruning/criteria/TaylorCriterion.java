package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.LayerGradients;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * First-order Taylor importance (Molchanov et al. 2017, "Pruning Convolutional Neural Networks for
 * Resource Efficient Inference"): removing unit j sets h_j to 0, which to first order changes example i's
 * loss by −g_ij·h_ij, g_ij = ∂ℓ_i/∂h_ij. Two forms, over the N examples of the data:
 *
 * <ul>
 *   <li>{@link Form#ABS_OF_MEAN} ({@code taylor}): score = |(1/N)·Σ_i h_ij·g_ij|, the magnitude of the
 *       first-order change of the mean loss when the unit is switched off for every example. Positive and
 *       negative per-example effects cancel, as they do in the mean loss.
 *   <li>{@link Form#MEAN_OF_ABS} ({@code taylor-abs}): score = (1/N)·Σ_i |h_ij·g_ij|, Molchanov's criterion
 *       for a unit with a single output position (their spatial average has one term): the mean magnitude
 *       of the per-example change, which does not let effects of opposite sign cancel.
 * </ul>
 *
 * Needs gradient statistics (back-propagation), which this module does not compute.
 *
 * @param form which of the two
 */
public record TaylorCriterion(Form form) implements UnitCriterion {

  /** Where the absolute value is taken. */
  public enum Form {
    /** |mean of h·g|. */
    ABS_OF_MEAN,
    /** Mean of |h·g|. */
    MEAN_OF_ABS
  }

  /** Checks the argument. */
  public TaylorCriterion {
    java.util.Objects.requireNonNull(form, "form");
  }

  @Override
  public String name() {
    return form == Form.ABS_OF_MEAN ? "taylor" : "taylor-abs";
  }

  @Override
  public boolean needsStatistics() {
    return false;
  }

  @Override
  public boolean needsGradients() {
    return true;
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerGradients g = context.requireGradients(name(), layer);
    double[] s = form == Form.ABS_OF_MEAN ? g.meanProduct() : g.meanAbsProduct();
    for (int j = 0; j < s.length; j++) {
      s[j] = Math.abs(s[j]);
    }
    return s;
  }
}
