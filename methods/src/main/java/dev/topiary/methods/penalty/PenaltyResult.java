package dev.topiary.methods.penalty;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.pruner.PruningResult;

/**
 * What penalty-based pruning produced.
 *
 * @param penalized the network after penalised training, before removal
 * @param pruning the removal of the low-norm units (its network is the smaller one, before fine-tuning)
 * @param network the final network: the smaller one, fine-tuned when a fine-tuning run was given
 * @param penaltyEpochs epochs of penalised training
 * @param finetuneEpochs epochs of fine-tuning after removal
 */
public record PenaltyResult(Network penalized, PruningResult pruning, Network network, int penaltyEpochs,
    int finetuneEpochs) {}
