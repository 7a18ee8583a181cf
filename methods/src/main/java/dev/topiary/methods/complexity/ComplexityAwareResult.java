package dev.topiary.methods.complexity;

import dev.topiary.core.model.Network;
import java.time.Duration;
import java.util.List;

/**
 * What complexity-aware training produced.
 *
 * @param network the final network: an ordinary network with no gates (removed structures gone, the rest
 *     at ξ = 1)
 * @param initialParameters parameters of the network training started from
 * @param initialFlops FLOPs per example of the network training started from
 * @param unitsRemoved units removed (not counting those of removed blocks)
 * @param blocksRemoved residual blocks removed
 * @param epochs one entry per epoch
 * @param wallTime time spent in training
 */
public record ComplexityAwareResult(Network network, long initialParameters, long initialFlops, int unitsRemoved,
    int blocksRemoved, List<Epoch> epochs, Duration wallTime) {

  /** Copies the list. */
  public ComplexityAwareResult {
    epochs = List.copyOf(epochs);
  }

  /**
   * One epoch.
   *
   * @param epoch 1-based
   * @param loss mean training loss (gates sampled)
   * @param validationLoss validation loss of the deterministic network θ ≥ ½, NaN without validation set
   * @param validationAccuracy its accuracy for classification, else NaN
   * @param parameters parameters of the network at the end of the epoch (what is physically left)
   * @param flops FLOPs per example at the end of the epoch
   * @param expectedFlops E[FLOPs] under θ at the end of the epoch
   * @param seconds time since the start
   */
  public record Epoch(int epoch, double loss, double validationLoss, double validationAccuracy, long parameters,
      long flops, double expectedFlops, double seconds) {}
}
