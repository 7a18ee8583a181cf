package dev.topiary.training.regularize;

import dev.topiary.core.model.Network;
import dev.topiary.training.backprop.Gradients;

/**
 * An extra term R(θ) added to the training loss, a function of the parameters only. The trainer adds
 * {@link #value} to each batch's mean loss and {@link #addGradient} to its gradient, before masks and
 * clipping. Implementations may keep scratch buffers and are then not thread-safe.
 */
public interface Regularizer {

  /** R(θ) for the network's current parameters. */
  double value(Network network);

  /** Adds ∂R/∂θ to {@code gradients} (shaped for the network). */
  void addGradient(Network network, Gradients gradients);

  /** L1: λ·Σ|w| over every weight (biases excluded); subgradient λ·sign(w), 0 at w = 0. */
  static Regularizer l1(double lambda) {
    return new L1(lambda);
  }

  /** L2: (λ/2)·Σw² over every weight (biases excluded); gradient λ·w. */
  static Regularizer l2(double lambda) {
    return new L2(lambda);
  }

  /**
   * Group lasso over hidden units: λ·Σ_units ‖W[j, :]‖₂, the Euclidean norm of each hidden unit's
   * incoming weights, over every dense layer but the network's output layer. It drives whole units to
   * zero (Yuan &amp; Lin 2006; Wen et al. 2016). Gradient λ·W[j, :]/‖W[j, :]‖₂, 0 for a zero row.
   */
  static Regularizer groupLasso(double lambda) {
    return new GroupLasso(lambda);
  }

  /** Checks a coefficient. */
  static double checkLambda(String what, double lambda) {
    if (!(lambda >= 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException(what + " coefficient must be finite and >= 0, found " + lambda);
    }
    return lambda;
  }
}
