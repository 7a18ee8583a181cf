package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.kernels.Kernels;

/**
 * A network's quality on a data set: the mean training loss, and any {@link Metric} of the outputs the
 * evaluation pass produced (class probabilities for classification, predictions in raw target units for
 * regression), computed on request.
 */
public final class Evaluation {

  private final double loss;
  private final float[] outputs;
  private final Dataset data;
  private boolean probabilities;

  /**
   * @param outputs [rows × outputs] logits for classification, raw-unit predictions for regression; owned
   *     by this evaluation from now on
   */
  Evaluation(double loss, float[] outputs, Dataset data) {
    this.loss = loss;
    this.outputs = outputs;
    this.data = data;
    this.probabilities = !data.task().isClassification();
  }

  /** The mean loss (targets standardised as in training). */
  public double loss() {
    return loss;
  }

  /**
   * The value of {@code metric} on the evaluated data.
   *
   * @throws IllegalArgumentException if the metric does not apply to the data's task
   */
  public double metric(Metric metric) {
    if (!probabilities) {
      int classes = data.task().outputs();
      Kernels.softmaxRows(data.rows(), classes, outputs, 0, outputs, 0);
      probabilities = true;
    }
    return metric.compute(outputs, data);
  }
}
