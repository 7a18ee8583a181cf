package dev.topiary.methods.complexity;

/**
 * How the data part of ∂E[L]/∂θ_B is estimated for a block gate. Unit gates always use the
 * straight-through derivative: there are too many of them for one extra pass each.
 */
public enum BlockEstimator {
  /**
   * ∂L/∂ξ_B at the sampled gates (back-propagation: Σ ∂L/∂out ⊙ f(h)). Free, biased: L is not linear in ξ_B.
   */
  STRAIGHT_THROUGH,
  /**
   * L(ξ_B = 1) − L(ξ_B = 0) on the same batch with the other gates as sampled: one extra forward pass per
   * block and batch, unbiased, since for independent gates ∂E[L]/∂θ_B = E[L | ξ_B=1] − E[L | ξ_B=0].
   */
  TWO_POINT
}
