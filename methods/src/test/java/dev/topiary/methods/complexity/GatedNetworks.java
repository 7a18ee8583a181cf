package dev.topiary.methods.complexity;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random residual networks and a double-precision reference of the gated forward pass. */
final class GatedNetworks {

  private GatedNetworks() {}

  private static final Activation[] ACTS = {Activation.RELU, Activation.TANH, Activation.GELU,
      Activation.LEAKY_RELU, Activation.SIGMOID, Activation.IDENTITY};

  /**
   * A random network: inputs 1–9, an optional gated top-level dense layer, a stem to a stream of width 1–11,
   * 0–3 residual blocks of 1–3 layers (inner widths 1–9), a head for a 2- to 4-class task.
   */
  static Network random(long seed) {
    Random r = new Random(seed);
    int in = 1 + r.nextInt(9);
    List<Layer> layers = new ArrayList<>();
    int width = in;
    if (r.nextBoolean()) {
      int h = 1 + r.nextInt(9);
      layers.add(Fixtures.dense(r, width, h, ACTS[r.nextInt(ACTS.length)]));
      width = h;
    }
    int d = 1 + r.nextInt(11);
    layers.add(Fixtures.dense(r, width, d, ACTS[r.nextInt(ACTS.length)]));
    int blocks = r.nextInt(4);
    for (int b = 0; b < blocks; b++) {
      int m = 1 + r.nextInt(3);
      List<DenseLayer> f = new ArrayList<>();
      int w = d;
      for (int k = 0; k < m; k++) {
        int out = k == m - 1 ? d : 1 + r.nextInt(9);
        f.add(Fixtures.dense(r, w, out, k == m - 1 && m > 1 ? Activation.IDENTITY : ACTS[r.nextInt(ACTS.length)]));
        w = out;
      }
      layers.add(new ResidualBlock(f));
    }
    int k = 2 + r.nextInt(3);
    layers.add(Fixtures.dense(r, d, k, Activation.IDENTITY));
    return new Network(in, layers, Task.classification(Fixtures.names(k)), null, null);
  }

  /**
   * The logits of {@code network} on row x with gates applied, in double precision: unit gates multiply each
   * gated unit's activation, block gates the branch's output.
   *
   * @param units gate of each unit per dense layer (null: all 1)
   * @param blocks gate per top-level layer (ignored for dense layers)
   */
  static double[] forward(Network network, float[] x, int off, double[][] units, double[] blocks) {
    double[] h = new double[network.inputSize()];
    for (int i = 0; i < h.length; i++) {
      h[i] = x[off + i];
    }
    int d = 0;
    List<Layer> layers = network.layers();
    for (int s = 0; s < layers.size(); s++) {
      if (layers.get(s) instanceof DenseLayer l) {
        h = dense(l, h, units[d]);
        d++;
      } else {
        ResidualBlock r = (ResidualBlock) layers.get(s);
        double[] f = h;
        for (DenseLayer l : r.layers()) {
          f = dense(l, f, units[d]);
          d++;
        }
        double[] out = new double[h.length];
        for (int i = 0; i < h.length; i++) {
          out[i] = h[i] + blocks[s] * f[i];
        }
        h = out;
      }
    }
    return h;
  }

  private static double[] dense(DenseLayer l, double[] x, double[] gate) {
    double[] y = new double[l.outputSize()];
    for (int j = 0; j < y.length; j++) {
      double z = l.bias()[j];
      for (int i = 0; i < l.inputSize(); i++) {
        z += (double) l.weight(j, i) * x[i];
      }
      y[j] = l.activation().apply(z) * (gate == null ? 1.0 : gate[j]);
    }
    return y;
  }

  /** Σ |w| over each dense layer's row, the largest over the network, for a tolerance. */
  static double scale(Network network) {
    double s = 1;
    for (DenseLayer l : network.denseLayers()) {
      for (int j = 0; j < l.outputSize(); j++) {
        double row = Math.abs(l.bias()[j]);
        for (int i = 0; i < l.inputSize(); i++) {
          row += Math.abs(l.weight(j, i));
        }
        s = Math.max(s, row);
      }
    }
    return s;
  }
}
