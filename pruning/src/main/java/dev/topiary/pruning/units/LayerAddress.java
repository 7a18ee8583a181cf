package dev.topiary.pruning.units;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;

/**
 * Where a dense layer sits in a {@link Network}: the index of a top-level layer in
 * {@link Network#layers()} and, for a layer inside a {@link ResidualBlock}, its index in the block's chain.
 * Addresses refer to the network a plan was made for; removing units never changes them (removing a whole
 * residual block shifts the later top-level indices of the <em>new</em> network, not of the plan).
 *
 * @param layer index in {@link Network#layers()}
 * @param inner index inside the residual block's chain, or -1 for a top-level dense layer
 */
public record LayerAddress(int layer, int inner) implements Comparable<LayerAddress> {

  /** Checks that the indices are in their ranges. */
  public LayerAddress {
    if (layer < 0 || inner < -1) {
      throw new IllegalArgumentException("layer address needs layer >= 0 and inner >= -1, found "
          + layer + ", " + inner);
    }
  }

  /** The top-level dense layer {@code layer}. */
  public static LayerAddress top(int layer) {
    return new LayerAddress(layer, -1);
  }

  /** Layer {@code inner} of the chain of the residual block at top-level index {@code block}. */
  public static LayerAddress inBlock(int block, int inner) {
    if (inner < 0) {
      throw new IllegalArgumentException("inner index must be >= 0, found " + inner);
    }
    return new LayerAddress(block, inner);
  }

  /** True when this is a layer inside a residual block. */
  public boolean isInBlock() {
    return inner >= 0;
  }

  /**
   * The dense layer at this address in {@code network}.
   *
   * @throws IllegalArgumentException if the address does not name a dense layer of the network
   */
  public DenseLayer resolve(Network network) {
    if (layer >= network.layers().size()) {
      throw new IllegalArgumentException(this + " does not exist: the network has "
          + network.layers().size() + " layers");
    }
    Layer l = network.layers().get(layer);
    if (inner < 0) {
      if (l instanceof DenseLayer d) {
        return d;
      }
      throw new IllegalArgumentException(this + " is a residual block, not a dense layer");
    }
    if (l instanceof ResidualBlock r) {
      if (inner < r.layers().size()) {
        return r.layers().get(inner);
      }
      throw new IllegalArgumentException(this + " does not exist: the residual block has "
          + r.layers().size() + " layers");
    }
    throw new IllegalArgumentException(this + " does not exist: layers[" + layer + "] is a dense layer");
  }

  @Override
  public int compareTo(LayerAddress o) {
    return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(inner, o.inner);
  }

  /** {@code layers[2]} for a top-level layer, {@code layers[3].f[1]} for a layer inside a block. */
  @Override
  public String toString() {
    return inner < 0 ? "layers[" + layer + "]" : "layers[" + layer + "].f[" + inner + "]";
  }
}
