package dev.topiary.core.model;

import java.util.List;

/**
 * A residual block h ↦ h + f(h), where f is a chain of dense layers that starts and ends at the block's
 * width d. The skip connection is what lets a whole block be removed (f ≡ 0 leaves h unchanged), which is
 * how complexity-aware training prunes layers. The last layer of f usually has the identity activation.
 */
public final class ResidualBlock implements Layer {

  private final List<DenseLayer> layers;

  /**
   * A block over the given chain, which it takes ownership of.
   *
   * @throws IllegalArgumentException if the chain is empty, its widths do not connect, or it does not
   *     return to its input width
   */
  public ResidualBlock(List<DenseLayer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a residual block needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).inputSize() != layers.get(i - 1).outputSize()) {
        throw new IllegalArgumentException("residual block layer " + i + " reads "
            + layers.get(i).inputSize() + " values but layer " + (i - 1) + " writes "
            + layers.get(i - 1).outputSize());
      }
    }
    int d = layers.get(0).inputSize();
    if (layers.get(layers.size() - 1).outputSize() != d) {
      throw new IllegalArgumentException("a residual block must end at its input width " + d
          + ", but its last layer writes " + layers.get(layers.size() - 1).outputSize());
    }
    this.layers = List.copyOf(layers);
  }

  /** The chain f, in order. */
  public List<DenseLayer> layers() {
    return layers;
  }

  /** The block width d (input and output). */
  public int width() {
    return layers.get(0).inputSize();
  }

  @Override
  public int inputSize() {
    return width();
  }

  @Override
  public int outputSize() {
    return width();
  }

  @Override
  public long parameterCount() {
    return layers.stream().mapToLong(DenseLayer::parameterCount).sum();
  }

  @Override
  public long flops() {
    return layers.stream().mapToLong(DenseLayer::flops).sum() + width();
  }

  @Override
  public ResidualBlock copy() {
    return new ResidualBlock(layers.stream().map(DenseLayer::copy).toList());
  }

  @Override
  public String toString() {
    return "Residual" + layers;
  }
}
