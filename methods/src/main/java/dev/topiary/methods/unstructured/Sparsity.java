package dev.topiary.methods.unstructured;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;

/**
 * Counting what unstructured pruning leaves. A pruned weight is a weight that is exactly zero: the matrices
 * keep their shapes, so parameters are reported as non-zero weights plus biases, and the FLOPs of dense
 * inference do not change (see the package documentation).
 */
public final class Sparsity {

  private Sparsity() {}

  /** Number of weights (biases excluded) in every dense layer. */
  public static long weights(Network network) {
    long n = 0;
    for (DenseLayer d : network.denseLayers()) {
      n += d.weight().length;
    }
    return n;
  }

  /** Number of weights that are not exactly zero. */
  public static long nonZeroWeights(Network network) {
    long n = 0;
    for (DenseLayer d : network.denseLayers()) {
      for (float w : d.weight()) {
        if (w != 0f) {
          n++;
        }
      }
    }
    return n;
  }

  /** Non-zero weights plus every bias: the parameters a sparse format would store. */
  public static long nonZeroParameters(Network network) {
    long biases = 0;
    for (DenseLayer d : network.denseLayers()) {
      biases += d.bias().length;
    }
    return nonZeroWeights(network) + biases;
  }

  /** The fraction of weights that are zero. */
  public static double of(Network network) {
    long w = weights(network);
    return w == 0 ? 0.0 : 1.0 - (double) nonZeroWeights(network) / w;
  }

  /**
   * The weight sparsity at which non-zero weights plus biases are {@code keepFraction} of the network's
   * parameters (clamped to [0, 1]).
   */
  public static double forParameterFraction(Network network, double keepFraction) {
    long total = network.parameterCount();
    long weights = weights(network);
    double remove = total - Math.round(keepFraction * total);
    return Math.max(0.0, Math.min(1.0, remove / weights));
  }
}
