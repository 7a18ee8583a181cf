package dev.topiary.core.model;

import dev.topiary.kernels.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random networks and a double-precision reference forward pass, shared by the core tests. */
public final class TestNetworks {

  private TestNetworks() {}

  /**
   * A random network from {@code seed}: 1 to 20 inputs, up to 3 hidden stages (dense layers or residual
   * blocks of 1 to 3 layers), random activations and widths (mostly not multiples of 16), a
   * classification or regression task, and random standardisations or none.
   */
  public static Network random(long seed) {
    Random r = new Random(seed);
    int input = 1 + r.nextInt(20);
    Activation[] acts = Activation.values();
    List<Layer> layers = new ArrayList<>();
    int width = input;
    int stages = r.nextInt(4);
    for (int s = 0; s < stages; s++) {
      if (r.nextInt(3) == 0 && s > 0) {
        List<DenseLayer> f = new ArrayList<>();
        int depth = 1 + r.nextInt(3);
        int w = width;
        for (int j = 0; j < depth; j++) {
          int out = j == depth - 1 ? width : 1 + r.nextInt(24);
          Activation a = j == depth - 1 ? Activation.IDENTITY : acts[r.nextInt(acts.length)];
          f.add(dense(w, out, a, r));
          w = out;
        }
        layers.add(new ResidualBlock(f));
      } else {
        int out = 1 + r.nextInt(24);
        layers.add(dense(width, out, acts[r.nextInt(acts.length)], r));
        width = out;
      }
    }
    Task task;
    if (r.nextBoolean()) {
      int k = 2 + r.nextInt(4);
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        labels.add(i == 1 ? "class \"\u00e9\\" + i + "\"" : "c" + i);
      }
      task = Task.classification(labels);
    } else {
      task = Task.regression(1 + r.nextInt(3));
    }
    layers.add(dense(width, task.outputs(), Activation.IDENTITY, r));
    Standardization in = r.nextBoolean() ? scaling(input, r) : null;
    Standardization out = !task.isClassification() && r.nextBoolean() ? scaling(task.outputs(), r) : null;
    return new Network(input, layers, task, in, out);
  }

  /** A dense layer with N(0, 1/in) weights and N(0, 0.1²) biases. */
  public static DenseLayer dense(int in, int out, Activation a, Random r) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    double sd = 1.0 / Math.sqrt(in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * sd);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (r.nextGaussian() * 0.1);
    }
    return new DenseLayer(in, out, w, b, a);
  }

  /** A standardisation with means in [−5, 5) and scales of either sign with |scale| in [0.25, 4). */
  public static Standardization scaling(int columns, Random r) {
    float[] mean = new float[columns];
    float[] scale = new float[columns];
    for (int j = 0; j < columns; j++) {
      mean[j] = (float) (r.nextDouble() * 10 - 5);
      scale[j] = (float) ((0.25 + r.nextDouble() * 3.75) * (r.nextInt(5) == 0 ? -1 : 1));
    }
    return new Standardization(mean, scale);
  }

  /** Uniform inputs in [−3, 3) around each column's mean, [rows × cols]. */
  public static float[] inputs(Network n, int rows, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * n.inputSize()];
    float[] mean = n.inputScaling() == null ? new float[n.inputSize()] : n.inputScaling().mean();
    for (int i = 0; i < x.length; i++) {
      x[i] = mean[i % n.inputSize()] + (float) (r.nextDouble() * 6 - 3);
    }
    return x;
  }

  /**
   * The network's last-layer outputs (logits or standardised regression values) in double precision,
   * [rows × outputs], and in {@code bound} (same shape, may be null) a scale for the float rounding
   * error of each output: the same pass on absolute values, where each activation is bounded by
   * 1.2·|z| + 1 (|act(z)| ≤ 1.13·|z| + 1 for every activation here, and all are 1.13-Lipschitz).
   */
  public static double[] reference(Network n, float[] x, int xOff, int rows, double[] bound) {
    int k = n.outputSize();
    double[] out = new double[rows * k];
    for (int i = 0; i < rows; i++) {
      double[] h = new double[n.inputSize()];
      double[] m = new double[n.inputSize()];
      for (int j = 0; j < h.length; j++) {
        double v = x[xOff + i * h.length + j];
        if (n.inputScaling() != null) {
          v = (v - n.inputScaling().mean()[j]) / n.inputScaling().scale()[j];
        }
        h[j] = v;
        m[j] = Math.abs(v) + 1;
      }
      for (Layer l : n.layers()) {
        if (l instanceof DenseLayer d) {
          double[][] hm = denseRef(d, h, m);
          h = hm[0];
          m = hm[1];
        } else {
          double[] t = h;
          double[] tm = m;
          for (DenseLayer d : ((ResidualBlock) l).layers()) {
            double[][] hm = denseRef(d, t, tm);
            t = hm[0];
            tm = hm[1];
          }
          for (int j = 0; j < h.length; j++) {
            t[j] += h[j];
            tm[j] += m[j];
          }
          h = t;
          m = tm;
        }
      }
      System.arraycopy(h, 0, out, i * k, k);
      if (bound != null) {
        System.arraycopy(m, 0, bound, i * k, k);
      }
    }
    return out;
  }

  private static double[][] denseRef(DenseLayer d, double[] x, double[] mx) {
    double[] y = new double[d.outputSize()];
    double[] my = new double[d.outputSize()];
    for (int o = 0; o < y.length; o++) {
      double s = d.bias()[o];
      double ms = Math.abs(d.bias()[o]);
      for (int i = 0; i < x.length; i++) {
        s += (double) d.weight(o, i) * x[i];
        ms += Math.abs(d.weight(o, i)) * mx[i];
      }
      y[o] = d.activation().apply(s);
      my[o] = 1.2 * ms + 1;
    }
    return new double[][] {y, my};
  }

  /** Σ over every dense layer of its fan-in plus 8: the length of the float sums an output depends on. */
  public static int sumLength(Network n) {
    int s = 8;
    for (DenseLayer d : n.denseLayers()) {
      s += d.inputSize() + 8;
    }
    return s;
  }
}
