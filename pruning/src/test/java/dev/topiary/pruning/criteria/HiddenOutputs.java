package dev.topiary.pruning.criteria;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.List;

/**
 * Every hidden layer's outputs over all rows, computed in the same batches as a single-threaded
 * statistics pass with {@code batchRows}, so the float values are bit for bit the ones the statistics saw
 * and counts (zeros, histogram bins) can be compared exactly.
 */
final class HiddenOutputs {

  private HiddenOutputs() {}

  /** [hidden layer index][row × width]. */
  static float[][] of(Network net, float[] x, int rows, int batchRows) {
    ForwardPass pass = new ForwardPass(net, Math.min(batchRows, rows));
    List<HiddenLayer> hidden = pass.layout().hidden();
    float[][] all = new float[hidden.size()][];
    for (HiddenLayer h : hidden) {
      all[h.index()] = new float[rows * h.width()];
    }
    for (int start = 0; start < rows; start += pass.maxRows()) {
      int n = Math.min(pass.maxRows(), rows - start);
      int first = start;
      pass.run(x, start * net.inputSize(), n, (layer, h, k) ->
          System.arraycopy(h, 0, all[layer.index()], first * layer.width(), k * layer.width()));
    }
    return all;
  }

  /** Column j of a row-major [rows × w] block, in double. */
  static double[] column(float[] h, int rows, int w, int j) {
    double[] c = new double[rows];
    for (int i = 0; i < rows; i++) {
      c[i] = h[i * w + j];
    }
    return c;
  }
}
