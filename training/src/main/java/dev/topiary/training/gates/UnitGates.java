package dev.topiary.training.gates;

import java.util.Random;

/**
 * Multiplicative gates on hidden units and residual blocks, the plug-in point for complexity-aware
 * training (Bernoulli unit and layer gates) and for any method that scales structures during training.
 *
 * <p>A gated dense layer l (an index into {@code Network.denseLayers()}) outputs y_j = g_j·act(z_j): the
 * gate vector multiplies each unit's activation, the same value for every row of a batch. A gated residual
 * block (an index into {@code Network.layers()}) outputs h + s·f(h). The trainer calls {@link #sample}
 * before every training batch, reads the gates during the forward pass, and after the backward pass hands
 * {@link #accumulateGradient} the gradient of the batch's mean loss with respect to every gate
 * (∂L/∂g_j = Σ over the rows of the batch of ∂L/∂y_ij · act(z_ij); ∂L/∂s = Σ ∂L/∂out · f(h)). Before a
 * validation pass it calls {@link #prepareEvaluation}.
 *
 * <p>Implementations own their arrays and may change the values between calls, but not while a pass
 * runs; they must draw random numbers only from the generator given to {@link #sample} so that training
 * stays reproducible from its seed.
 */
public interface UnitGates {

  /**
   * The gate vector of dense layer {@code denseLayer}, of that layer's output width, or null when the
   * layer is not gated. Read during the forward and backward passes.
   */
  float[] unitGates(int denseLayer);

  /**
   * Per-example gates of dense layer {@code denseLayer}: a [rows × width] row-major matrix (at least as
   * many rows as the batch) whose row i multiplies row i's activations, or null to use
   * {@link #unitGates} for every row. When it is not null it takes precedence for the forward and
   * backward passes; the gate gradient is then Σ over rows of ∂L/∂y_ij · act(z_ij), as for shared gates.
   * By default null.
   */
  default float[] unitGateRows(int denseLayer) {
    return null;
  }

  /** The gate of the residual block at {@code layer} in {@code Network.layers()}; 1 when not gated. */
  default float blockGate(int layer) {
    return 1f;
  }

  /** Draws the gates for the next training batch (e.g. Bernoulli samples with learned probabilities). */
  void sample(Random random);

  /** Sets the gates used for validation passes (e.g. their expectations); by default leaves them as they are. */
  default void prepareEvaluation() {}

  /** Receives ∂L/∂gate for the batch just back-propagated. The arrays are reused: copy what must be kept. */
  void accumulateGradient(GateGradients gradients);
}
