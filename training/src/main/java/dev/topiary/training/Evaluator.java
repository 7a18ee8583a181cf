package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.gates.UnitGates;
import dev.topiary.training.loss.Loss;

/**
 * Measures loss, accuracy, R² and MSE of a network on a data set in batches, with the training forward
 * pass (so that gates apply exactly as in training). Raw data in: the network's input and output
 * standardisations are applied as in {@link Trainer}. Reusable for any network of the same shape; not
 * thread-safe.
 */
public final class Evaluator {

  private final Workspace workspace;
  private final Batches batches;
  private final int maxRows;
  private final double[] sse;
  private final double[] mean;
  private final double[] sst;

  /** An evaluator for networks shaped like {@code network}, running up to {@code maxRows} rows at a time. */
  public Evaluator(Network network, int maxRows) {
    this(new Workspace(network, maxRows), network);
  }

  /** An evaluator sharing a workspace (for example a trainer's). */
  Evaluator(Workspace workspace, Network network) {
    this.workspace = workspace;
    this.maxRows = workspace.maxRows();
    this.batches = new Batches(network, maxRows);
    int outs = network.outputSize();
    sse = new double[outs];
    mean = new double[outs];
    sst = new double[outs];
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
    boolean classification = network.task().isClassification();
    double lossSum = 0.0;
    long correct = 0;
    java.util.Arrays.fill(sse, 0.0);
    if (!classification) {
      targetSpread(data.targets(), n, outs);
    }
    Standardization outScale = network.outputScaling();
    for (int from = 0; from < n; from += maxRows) {
      int rows = Math.min(maxRows, n - from);
      batches.gather(data, null, from, rows);
      float[] out = workspace.forward(network, batches.x, 0, rows, gates);
      lossSum += rows * loss.evaluate(rows, outs, out, batches.labels, batches.targets,
          workspace.outputGradient());
      if (classification) {
        for (int i = 0; i < rows; i++) {
          int best = 0;
          for (int j = 1; j < outs; j++) {
            if (out[i * outs + j] > out[i * outs + best]) {
              best = j;
            }
          }
          if (best == batches.labels[i]) {
            correct++;
          }
        }
      } else {
        if (outScale != null) {
          outScale.invert(out, 0, rows);
        }
        float[] t = data.targets();
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < outs; j++) {
            double y = t[(from + i) * outs + j];
            double e = out[i * outs + j] - y;
            sse[j] += e * e;
          }
        }
      }
    }
    double meanLoss = lossSum / n;
    if (classification) {
      return new Evaluation(meanLoss, (double) correct / n, Double.NaN, Double.NaN);
    }
    double r2 = 0.0;
    double mse = 0.0;
    for (int j = 0; j < outs; j++) {
      r2 += sst[j] > 0 ? 1.0 - sse[j] / sst[j] : Double.NaN;
      mse += sse[j];
    }
    return new Evaluation(meanLoss, Double.NaN, r2 / outs, mse / ((double) n * outs));
  }

  /** Per output: the mean and the total sum of squares around it (two passes, for accuracy). */
  private void targetSpread(float[] t, int n, int outs) {
    java.util.Arrays.fill(mean, 0.0);
    java.util.Arrays.fill(sst, 0.0);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < outs; j++) {
        mean[j] += t[i * outs + j];
      }
    }
    for (int j = 0; j < outs; j++) {
      mean[j] /= n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < outs; j++) {
        double d = t[i * outs + j] - mean[j];
        sst[j] += d * d;
      }
    }
  }
}
