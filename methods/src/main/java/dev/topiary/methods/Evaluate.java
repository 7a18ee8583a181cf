package dev.topiary.methods;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;

/** Scores a network on a data set with a metric, through the network's own batched inference. */
public final class Evaluate {

  private Evaluate() {}

  /**
   * The metric of {@code network}'s predictions on {@code data} (raw inputs; probabilities for
   * classification, values in target units for regression).
   *
   * @throws IllegalArgumentException if the data's width or task does not match the network
   */
  public static double metric(Network network, Dataset data, Metric metric) {
    if (data.features() != network.inputSize()) {
      throw new IllegalArgumentException("data set " + data.name() + " has " + data.features()
          + " features, the model reads " + network.inputSize());
    }
    if (data.task().kind() != network.task().kind() || data.task().outputs() != network.outputSize()) {
      throw new IllegalArgumentException("data set " + data.name() + " is " + describe(data)
          + ", the model predicts " + describeTask(network));
    }
    if (!metric.appliesTo(network.task())) {
      throw new IllegalArgumentException("metric " + metric.id() + " does not apply to " + describeTask(network));
    }
    return metric.compute(network.predict(data.x(), data.rows()), data);
  }

  private static String describe(Dataset d) {
    return d.task().isClassification() ? "classification with " + d.task().classes() + " classes"
        : "regression with " + d.task().outputs() + " output(s)";
  }

  private static String describeTask(Network n) {
    return n.task().isClassification() ? "classification with " + n.task().classes() + " classes"
        : "regression with " + n.outputSize() + " output(s)";
  }
}
