package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;

/**
 * Fits the standardisations a network should carry before training. The trainer and evaluator read raw
 * data and pass it through the network's scalings; for regression the network then learns standardised
 * targets (zero mean, unit variance per output), which is what the default recipe's learning rate and
 * initialisation assume, and its output scaling maps predictions back to raw units.
 */
public final class Scaling {

  private Scaling() {}

  /**
   * The network with input and (for regression) output standardisations fitted on {@code train} only.
   * Layers are shared, not copied.
   */
  public static Network fit(Network network, Dataset train) {
    if (train.features() != network.inputSize()) {
      throw new IllegalArgumentException("data set " + train.name() + " has " + train.features()
          + " features, the network reads " + network.inputSize());
    }
    Standardization in = Standardization.fit(train.x(), train.rows(), train.features());
    Standardization out = train.task().isClassification()
        ? null
        : Standardization.fit(train.targets(), train.rows(), train.task().outputs());
    return network.withScaling(in, out);
  }
}
