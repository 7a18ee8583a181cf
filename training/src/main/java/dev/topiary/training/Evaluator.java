package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.gates.UnitGates;
import dev.topiary.training.loss.Loss;

/**
 * Runs a network over a data set in batches with the training forward pass (so that gates apply exactly
 * as in training) and returns the mean loss with the outputs, from which {@link Evaluation#metric} computes
 * any {@link dev.topiary.core.metrics.Metric}. Raw data in: the network's input and output
 * standardisations are applied as in {@link Trainer}. Reusable for any network of the same shape; not
 * thread-safe.
 */
public final class Evaluator {

  private final Workspace workspace;
  private final Batches batches;
  private final int maxRows;

  /** An evaluator for networks shaped like {@code network}, running up to {@code maxRows} rows at a time. */
  public Evaluator(Network network, int maxRows) {
    this(new Workspace(network, maxRows), network);
  }

  /** An evaluator sharing a workspace (for example a trainer's). */
  Evaluator(Workspace workspace, Network network) {
    this.workspace = workspace;
    this.maxRows = workspace.maxRows();
    this.batches = new Batches(network, maxRows);
  }

  /**
   * Evaluates {@code network} on {@code data}.
   *
   * @param gates gates applied in the forward pass, or null
   * @throws IllegalArgumentException if the data set does not match the network
   */
  public Evaluation evaluate(Network network, Dataset data, Loss loss, UnitGates gates) {
    Trainer.checkData(network, data, loss, "evaluation");
    int n = data.rows();
    int outs = network.outputSize();
    Standardization outScale = network.task().isClassification() ? null : network.outputScaling();
    float[] outputs = new float[Math.multiplyExact(n, outs)];
    double lossSum = 0.0;
    for (int from = 0; from < n; from += maxRows) {
      int rows = Math.min(maxRows, n - from);
      batches.gather(data, null, from, rows, workspace.threads());
      float[] out = workspace.forward(network, batches.x, 0, rows, gates);
      lossSum += rows * loss.evaluate(rows, outs, out, batches.labels, batches.targets,
          workspace.outputGradient());
      System.arraycopy(out, 0, outputs, from * outs, rows * outs);
      if (outScale != null) {
        outScale.invert(outputs, from * outs, rows);
      }
    }
    return new Evaluation(lossSum / n, outputs, data);
  }
}
