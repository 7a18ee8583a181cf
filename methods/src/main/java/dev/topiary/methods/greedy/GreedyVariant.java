package dev.topiary.methods.greedy;

/**
 * How a selected subset S of a layer's n units stands in for the whole layer while it is being chosen, and
 * in the network that is finally built.
 */
public enum GreedyVariant {
  /**
   * Ye et al. (2020): the next layer sees only the selected units, their outgoing weights scaled by n/|S|
   * so the pre-activation keeps the dense layer's scale: z = b + (n/|S|)·Σ_{j∈S} W[:, j]·h_j. The pruned
   * network keeps that scaling in its consumer's weights.
   */
  SCALED,
  /**
   * Mean replacement: every unselected unit is replaced by its mean over the selection batch, z = b +
   * Σ_{j∈S} W[:, j]·h_j + Σ_{j∉S} W[:, j]·μ_j; the pruned network folds those means into the consumer's
   * bias, as {@link dev.topiary.pruning.surgery.Surgery} does for every other criterion.
   */
  MEAN_REPLACEMENT
}
