package dev.topiary.pruning.pruner;

/**
 * When the statistics that decide each layer are measured.
 *
 * <p>The two differ because removal is mean replacement: a removed unit's output h_j becomes the constant
 * μ_j. The mean of every later pre-activation z = W·h + b is unchanged by this (E[μ_j] = E[h_j]), but its
 * variation loses the part the removed units carried (their variance and their covariance with the
 * units that stay), so later units' σ changes, usually downwards; and through the nonlinearity their
 * means change too (E[act(z)] ≠ act(E[z]) in general; only identity activations keep them). Under
 * {@link #ONE_SHOT} later layers are judged, and their means folded, as they were in the dense network;
 * under {@link #LAYER_BY_LAYER} as they are in the network that will actually run.
 */
public enum Schedule {
  /** Gather statistics once on the given network and decide every layer from them. */
  ONE_SHOT,
  /**
   * From the input towards the output, one prunable layer at a time: gather statistics on the network
   * pruned so far, decide that layer, apply the surgery, move on. One statistics pass per prunable layer.
   * A rule that compares layers ({@link dev.topiary.pruning.plan.ThresholdRule#isGlobal()}) cannot be
   * applied this way.
   */
  LAYER_BY_LAYER
}
