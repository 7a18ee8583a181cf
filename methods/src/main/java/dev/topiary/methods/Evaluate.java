package dev.topiary.methods;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;

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
      throw new IllegalArgumentException("data set " + data.name() + " is " + describe(data.task())
          + ", the model predicts " + describe(network.task()));
    }
    if (!metric.appliesTo(network.task())) {
      throw new IllegalArgumentException("metric " + metric.id() + " does not apply to " + describe(network.task()));
    }
    return metric.compute(network.predict(data.x(), data.rows()), data);
  }

  private static String describe(Task t) {
    return t.isClassification() ? "classification with " + t.classes() + " classes"
        : "regression with " + t.outputs() + " output(s)";
  }
}
