package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.LayerGradients;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Second-order saliency after Optimal Brain Damage (LeCun et al. 1989), at the level of a unit, with a
 * diagonal empirical-Fisher estimate of the Hessian.
 *
 * <p>Give unit j a multiplicative gate m_j, h_j ↦ m_j·h_j, at m_j = 1; removing the unit is the step
 * δm_j = −1. OBD's saliency of a parameter is ½·H·δ², H the diagonal of the Hessian of the loss; here the
 * parameter is the gate, and H_jj is estimated by the Fisher information of the gate, the mean over
 * examples of (∂ℓ_i/∂m_j)² = (g_ij·h_ij)², with g_ij = ∂ℓ_i/∂h_ij. So
 *
 * <pre>
 *   saliency_j = ½ · (1/N) · Σ_i (h_ij · g_ij)²
 * </pre>
 *
 * This unit-level form uses per-example products (a unit's output and its gradient vary together across
 * examples), rather than ½·F_jj·E[h_j²] with the two averaged separately, and needs no per-weight
 * statistics. Needs gradient statistics (back-propagation), which this module does not compute.
 */
public final class ObdCriterion implements UnitCriterion {

  /** The one instance; the criterion has no parameters. */
  public static final ObdCriterion INSTANCE = new ObdCriterion();

  private ObdCriterion() {}

  @Override
  public String name() {
    return "obd";
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
    double[] s = context.requireGradients(name(), layer).meanSquaredProduct();
    for (int j = 0; j < s.length; j++) {
      s[j] *= 0.5;
    }
    return s;
  }
}
