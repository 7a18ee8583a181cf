package dev.topiary.pruning.units;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hidden layers of a network in forward order, and which of them unit removal may touch.
 *
 * <p>Hidden units are the outputs of every dense layer but the last (the output layer is never pruned),
 * including the inner layers of residual blocks. A hidden layer is {@linkplain HiddenLayer.Role#PRUNABLE
 * prunable} when a single dense layer reads it:
 *
 * <ul>
 *   <li>a top-level dense layer followed by a top-level dense layer (its consumer);
 *   <li>an inner layer of a residual chain other than the last (its consumer is the next layer of the
 *       chain).
 * </ul>
 *
 * Not prunable: a top-level dense layer followed by a residual block (its units are coordinates of the
 * residual stream) and the last layer of a chain (its outputs f(h) are added to the skip one to one).
 */
public final class UnitLayout {

  private final List<HiddenLayer> hidden;
  private final List<Integer> blocks;
  private final int denseCount;

  private UnitLayout(List<HiddenLayer> hidden, List<Integer> blocks, int denseCount) {
    this.hidden = List.copyOf(hidden);
    this.blocks = List.copyOf(blocks);
    this.denseCount = denseCount;
  }

  /** The layout of {@code network}. */
  public static UnitLayout of(Network network) {
    List<Layer> layers = network.layers();
    List<HiddenLayer> hidden = new ArrayList<>();
    List<Integer> blocks = new ArrayList<>();
    int dense = 0;
    for (int t = 0; t < layers.size(); t++) {
      Layer l = layers.get(t);
      if (l instanceof DenseLayer d) {
        dense++;
        if (t == layers.size() - 1) {
          break; // the output layer
        }
        LayerAddress a = LayerAddress.top(t);
        if (layers.get(t + 1) instanceof DenseLayer) {
          hidden.add(new HiddenLayer(hidden.size(), a, d.outputSize(), d.activation(),
              HiddenLayer.Role.PRUNABLE, LayerAddress.top(t + 1)));
        } else {
          hidden.add(new HiddenLayer(hidden.size(), a, d.outputSize(), d.activation(),
              HiddenLayer.Role.FEEDS_RESIDUAL_STREAM, null));
        }
      } else if (l instanceof ResidualBlock r) {
        blocks.add(t);
        List<DenseLayer> chain = r.layers();
        for (int k = 0; k < chain.size(); k++) {
          dense++;
          DenseLayer d = chain.get(k);
          LayerAddress a = LayerAddress.inBlock(t, k);
          boolean last = k == chain.size() - 1;
          hidden.add(new HiddenLayer(hidden.size(), a, d.outputSize(), d.activation(),
              last ? HiddenLayer.Role.BLOCK_OUTPUT : HiddenLayer.Role.PRUNABLE,
              last ? null : LayerAddress.inBlock(t, k + 1)));
        }
      }
    }
    return new UnitLayout(hidden, blocks, dense);
  }

  /** Every hidden layer in forward order (index i is {@code hidden().get(i).index()}). */
  public List<HiddenLayer> hidden() {
    return hidden;
  }

  /** The hidden layers whose units may be removed, in forward order. */
  public List<HiddenLayer> prunable() {
    return hidden.stream().filter(HiddenLayer::prunable).toList();
  }

  /** The hidden layer at {@code address}, if the address names one. */
  public Optional<HiddenLayer> find(LayerAddress address) {
    return hidden.stream().filter(h -> h.address().equals(address)).findFirst();
  }

  /** Top-level indices of the residual blocks, in order. */
  public List<Integer> residualBlocks() {
    return blocks;
  }

  /** Number of dense layers including the output layer: the hidden layers plus one. */
  public int denseLayerCount() {
    return denseCount;
  }

  /** Total number of units in prunable layers. */
  public int prunableUnits() {
    return prunable().stream().mapToInt(HiddenLayer::width).sum();
  }
}
