package dev.topiary.core.model;

/**
 * One stage of a {@link Network}: a {@link DenseLayer} or a {@link ResidualBlock}. Layers own their
 * parameter arrays, which training updates in place.
 */
public sealed interface Layer permits DenseLayer, ResidualBlock {

  /** Width of the input this layer reads. */
  int inputSize();

  /** Width of the output this layer writes. */
  int outputSize();

  /** Weights plus biases. */
  long parameterCount();

  /**
   * Floating-point operations per example: 2·out·in for each dense product (a multiply and an add per
   * weight), plus out for the bias add, plus out for the activation when it is not the identity, plus the
   * skip additions of a residual block.
   */
  long flops();

  /** A deep copy that shares no arrays with this layer. */
  Layer copy();
}
