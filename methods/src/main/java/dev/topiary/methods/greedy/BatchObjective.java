package dev.topiary.methods.greedy;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.loss.Loss;
import java.util.List;

/**
 * The mini-batch greedy selection judges candidates on: its raw inputs, and the loss and metric of a
 * network output on it. The loss is the training loss (softmax cross-entropy on logits, or MSE on
 * standardised targets); the metric is computed as {@link dev.topiary.methods.Evaluate} does (on
 * probabilities, or on predictions mapped back to raw units).
 */
final class BatchObjective {

  final int rows;
  final float[] x;
  private final int outputs;
  private final boolean classification;
  private final int[] labels;
  private final float[] rawTargets;
  private final float[] lossTargets;
  private final Standardization outputScaling;
  private final Loss loss;
  private final Metric metric;
  private final float[] grad;
  private final float[] scratch;

  BatchObjective(Network network, Dataset data, int[] pick, Metric metric) {
    Dataset batch = data.subset(pick, data.name() + "/greedy-batch");
    this.rows = batch.rows();
    this.x = batch.x();
    this.outputs = network.outputSize();
    this.classification = network.task().isClassification();
    this.labels = batch.labels();
    this.rawTargets = batch.targets();
    this.outputScaling = network.outputScaling();
    if (!classification && outputScaling != null) {
      lossTargets = rawTargets.clone();
      outputScaling.apply(rawTargets, 0, lossTargets, 0, rows);
    } else {
      lossTargets = rawTargets;
    }
    this.loss = Loss.forTask(network.task());
    this.metric = metric;
    this.grad = new float[rows * outputs];
    this.scratch = new float[rows * outputs];
  }

  /** The mean training loss of {@code out} ([rows × outputs] logits or standardised values). */
  double loss(float[] out) {
    return loss.evaluate(rows, outputs, out, labels, lossTargets, grad);
  }

  /** The metric of {@code out}. */
  double metric(float[] out) {
    System.arraycopy(out, 0, scratch, 0, rows * outputs);
    if (classification) {
      Kernels.softmaxRows(rows, outputs, scratch, 0, scratch, 0);
      return metric.compute(scratch, labels, outputs);
    }
    if (outputScaling != null) {
      outputScaling.invert(scratch, 0, rows);
    }
    return metric.compute(scratch, rawTargets, outputs);
  }

  /**
   * Runs the layers above a consumer: applies dense layer {@code c}'s activation to its pre-activation
   * {@code z} (in place) and then dense layers c+1 … last, returning the network's output. Buffers come
   * from {@code work}, two arrays of at least rows × (widest layer) floats.
   */
  static float[] above(List<DenseLayer> dense, int c, float[] z, int rows, float[][] work) {
    DenseLayer consumer = dense.get(c);
    Kernels.activate(consumer.activation(), rows * consumer.outputSize(), z, 0, z, 0);
    float[] cur = z;
    for (int l = c + 1; l < dense.size(); l++) {
      DenseLayer d = dense.get(l);
      float[] y = work[(l - c) & 1];
      if (y == cur) {
        y = work[(l - c + 1) & 1];
      }
      Kernels.dense(rows, d.inputSize(), d.outputSize(), cur, 0, d.weight(), 0, d.bias(), 0, d.activation(),
          y, 0);
      cur = y;
    }
    return cur;
  }
}
