package dev.topiary.pruning.units;

import dev.topiary.kernels.Activation;

/**
 * A dense layer whose outputs are hidden units (every dense layer but the network's last), with what
 * unit removal may do to it.
 *
 * @param index position among the hidden layers, in forward order (the order of
 *     {@link dev.topiary.core.model.Network#denseLayers()})
 * @param address where the layer sits in the network
 * @param width number of units
 * @param activation the layer's activation
 * @param role whether its units can be removed, and if not why
 * @param consumer the dense layer that reads these units and receives their folded means; null unless
 *     {@link Role#PRUNABLE}
 */
public record HiddenLayer(int index, LayerAddress address, int width, Activation activation, Role role,
    LayerAddress consumer) {

  /** What unit removal may do to a hidden layer. */
  public enum Role {
    /**
     * Units read by exactly one dense layer (the next top-level dense layer, or the next layer of the same
     * residual chain): removable with their means folded into that layer's bias.
     */
    PRUNABLE,
    /**
     * A top-level dense layer followed by a residual block: its units are coordinates of the residual
     * stream h, which every later block adds to (h + f(h)); replacing one by its mean would not make the
     * stream coordinate constant, so it is not removable unit by unit.
     */
    FEEDS_RESIDUAL_STREAM,
    /**
     * The last layer of a residual block's chain: its outputs are f(h), tied one to one to the skip
     * connection. Not removable unit by unit; the whole block can be removed instead.
     */
    BLOCK_OUTPUT
  }

  /** Checks that a consumer is given exactly for prunable layers. */
  public HiddenLayer {
    if ((role == Role.PRUNABLE) != (consumer != null)) {
      throw new IllegalArgumentException("a consumer is given exactly for prunable layers: " + address
          + " is " + role + " with consumer " + consumer);
    }
  }

  /** True when units of this layer may be removed. */
  public boolean prunable() {
    return role == Role.PRUNABLE;
  }
}
