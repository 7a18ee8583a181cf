package dev.topiary.training;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.kernels.Activation;
import java.util.List;

/**
 * A plain double-precision forward pass, losses and regularisers: the reference the float training code
 * is checked against. Parameters come as double tensors in the trainer's order (weight 0, bias 0, …) so
 * that finite differences can perturb them in double.
 */
final class Reference {

  /** The losses, by name. */
  enum LossKind { SOFTMAX_CE, BCE, MSE, HUBER }

  /** The regularisers, by name. */
  enum RegKind { NONE, L1, L2, GROUP_LASSO }

  static final double HUBER_DELTA = 0.7;

  /** Smallest distance from a kink (ReLU at 0, Huber at |r| = δ) seen in the last evaluation. */
  double kinkDistance;

  private Reference() {}

  static Reference create() {
    return new Reference();
  }

  /** The network's parameters as double tensors. */
  static double[][] params(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    double[][] p = new double[2 * dense.size()][];
    for (int l = 0; l < dense.size(); l++) {
      p[2 * l] = toDouble(dense.get(l).weight());
      p[2 * l + 1] = toDouble(dense.get(l).bias());
    }
    return p;
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /**
   * The network output for {@code rows} rows of x, with parameters p and gates (unitGates[l] null when
   * ungated; blockGates[layer] the block gate).
   */
  double[] forward(Network net, double[][] p, double[][] unitGates, double[] blockGates, double[] x, int rows) {
    double[] cur = x;
    int width = net.inputSize();
    int[] dense = {0};
    List<Layer> layers = net.layers();
    for (int s = 0; s < layers.size(); s++) {
      Layer layer = layers.get(s);
      if (layer instanceof DenseLayer d) {
        cur = dense(d, p, dense, unitGates, cur, rows);
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        double[] t = cur;
        for (DenseLayer d : r.layers()) {
          t = dense(d, p, dense, unitGates, t, rows);
        }
        double g = blockGates == null ? 1.0 : blockGates[s];
        double[] o = new double[cur.length];
        for (int i = 0; i < o.length; i++) {
          o[i] = cur[i] + g * t[i];
        }
        cur = o;
      }
      width = layer.outputSize();
    }
    assert cur.length == rows * width;
    return cur;
  }

  private double[] dense(DenseLayer d, double[][] p, int[] counter, double[][] unitGates, double[] x, int rows) {
    int l = counter[0]++;
    int in = d.inputSize();
    int out = d.outputSize();
    double[] w = p[2 * l];
    double[] b = p[2 * l + 1];
    Activation act = d.activation();
    double[] y = new double[rows * out];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < out; j++) {
        double z = b[j];
        for (int k = 0; k < in; k++) {
          z += w[j * in + k] * x[i * in + k];
        }
        if (act == Activation.RELU || act == Activation.LEAKY_RELU) {
          kinkDistance = Math.min(kinkDistance, Math.abs(z));
        }
        double a = act.apply(z);
        if (unitGates != null && unitGates[l] != null) {
          a *= unitGates[l][j];
        }
        y[i * out + j] = a;
      }
    }
    return y;
  }

  /** Mean loss of outputs z [rows × cols]. */
  double loss(LossKind kind, double[] z, int rows, int cols, int[] labels, double[] targets) {
    double s = 0.0;
    switch (kind) {
      case SOFTMAX_CE:
        for (int i = 0; i < rows; i++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < cols; j++) {
            m = Math.max(m, z[i * cols + j]);
          }
          double e = 0.0;
          for (int j = 0; j < cols; j++) {
            e += Math.exp(z[i * cols + j] - m);
          }
          s += m + Math.log(e) - z[i * cols + labels[i]];
        }
        return s / rows;
      case BCE:
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            double v = z[i * cols + j];
            double y = labels != null ? (labels[i] == j ? 1 : 0) : targets[i * cols + j];
            s += Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
          }
        }
        return s / (rows * cols);
      case MSE:
        for (int k = 0; k < rows * cols; k++) {
          double r = z[k] - targets[k];
          s += r * r;
        }
        return s / (rows * cols);
      case HUBER:
        for (int k = 0; k < rows * cols; k++) {
          double r = z[k] - targets[k];
          double a = Math.abs(r);
          kinkDistance = Math.min(kinkDistance, Math.abs(a - HUBER_DELTA));
          s += a <= HUBER_DELTA ? 0.5 * r * r : HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
        }
        return s / (rows * cols);
      default:
        throw new AssertionError(kind);
    }
  }

  /** Regulariser value; weights only, group lasso over every dense layer but the last. */
  double regularizer(RegKind kind, double lambda, Network net, double[][] p) {
    int layers = p.length / 2;
    double s = 0.0;
    for (int l = 0; l < layers; l++) {
      double[] w = p[2 * l];
      switch (kind) {
        case NONE:
          break;
        case L1:
          for (double v : w) {
            s += Math.abs(v);
            kinkDistance = Math.min(kinkDistance, Math.abs(v));
          }
          break;
        case L2:
          for (double v : w) {
            s += 0.5 * v * v;
          }
          break;
        case GROUP_LASSO:
          if (l < layers - 1) {
            int in = net.denseLayers().get(l).inputSize();
            for (int j = 0; j < w.length / in; j++) {
              double q = 0.0;
              for (int k = 0; k < in; k++) {
                q += w[j * in + k] * w[j * in + k];
              }
              s += Math.sqrt(q);
            }
          }
          break;
        default:
          throw new AssertionError(kind);
      }
    }
    return lambda * s;
  }
}
