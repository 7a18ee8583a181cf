package dev.topiary.training;

import java.time.Duration;

/**
 * What happened in one epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's batches (regularisers included), weighted by rows
 * @param validationMetric the watched validation metric after the epoch, NaN without a validation set
 * @param validationLoss the validation loss after the epoch, NaN without a validation set
 * @param learningRate the learning rate of the epoch's last step
 * @param elapsed wall time since training started
 */
public record EpochReport(int epoch, double trainLoss, double validationMetric, double validationLoss,
    double learningRate, Duration elapsed) {}
