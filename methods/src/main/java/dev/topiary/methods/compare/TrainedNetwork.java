package dev.topiary.methods.compare;

import dev.topiary.core.model.Network;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;

/**
 * The dense network of one seed, trained once and shared by every method (each works on copies).
 *
 * @param network the trained network; methods must not modify it
 * @param initial its weights before training
 * @param early its weights after {@code earlyStep} optimiser steps (the lottery-ticket rewind point)
 * @param earlyStep the step of {@code early}
 * @param training the training run that produced it
 * @param result what the run reported
 * @param seed the seed of initialisation and batch order
 */
public record TrainedNetwork(Network network, Network initial, Network early, long earlyStep,
    TrainingConfig training, TrainingResult result, long seed) {}
