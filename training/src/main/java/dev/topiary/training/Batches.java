package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Parallelism;

/**
 * Gathers rows of a data set into contiguous batch buffers in the network's own spaces: inputs through
 * the network's input standardisation, regression targets through its output standardisation (so the
 * loss is computed on standardised targets, as the network's outputs are).
 */
final class Batches {

  final float[] x;
  final int[] labels;
  final float[] targets;
  private final int features;
  private final int outputs;
  private final Standardization in;
  private final Standardization out;

  Batches(Network network, int maxRows) {
    this.features = network.inputSize();
    this.outputs = network.outputSize();
    this.in = network.inputScaling();
    this.out = network.outputScaling();
    this.x = new float[maxRows * features];
    boolean classification = network.task().isClassification();
    this.labels = classification ? new int[maxRows] : null;
    this.targets = classification ? null : new float[maxRows * outputs];
  }

  /**
   * Rows {@code order[from .. from+rows)} of {@code data}, or rows {@code from ..} when order is null; the
   * inputs standardised on up to {@code parallelism.threads()} threads once copied (the same values on
   * any number).
   */
  void gather(Dataset data, int[] order, int from, int rows, Parallelism parallelism) {
    float[] dx = data.x();
    for (int i = 0; i < rows; i++) {
      int r = order == null ? from + i : order[from + i];
      System.arraycopy(dx, r * features, x, i * features, features);
      if (labels != null) {
        labels[i] = data.labels()[r];
      } else {
        float[] t = data.targets();
        if (out == null) {
          System.arraycopy(t, r * outputs, targets, i * outputs, outputs);
        } else {
          out.apply(t, r * outputs, targets, i * outputs, 1);
        }
      }
    }
    if (in != null) {
      in.apply(x, 0, x, 0, rows, parallelism);
    }
  }
}
