package dev.topiary.methods.unstructured;

import dev.topiary.core.model.Network;
import java.util.List;

/**
 * What an unstructured schedule produced.
 *
 * @param network the fine-tuned masked network: the same shapes as the input, pruned weights exactly zero
 * @param sparsity the fraction of weights that are zero
 * @param nonZeroParameters non-zero weights plus biases
 * @param roundSparsity the sparsity reached after each pruning round, in order
 * @param finetuneEpochs epochs of masked training after pruning, over all rounds
 */
public record UnstructuredResult(Network network, double sparsity, long nonZeroParameters,
    List<Double> roundSparsity, int finetuneEpochs) {

  /** Copies the list. */
  public UnstructuredResult {
    roundSparsity = List.copyOf(roundSparsity);
  }
}
