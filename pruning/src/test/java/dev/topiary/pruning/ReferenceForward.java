package dev.topiary.pruning;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.pruning.units.LayerAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A double-precision forward pass of one row, independent of the code under test, that can replace any
 * hidden unit's output by a given value (mean replacement) and any residual block's f(h) by a constant
 * or by zero. Alongside each value it carries a bound on the difference a float forward pass of the same
 * computation may have from it: each dot product of length k with operand magnitudes M adds (k+2)·u·M,
 * errors flow through the weights and through activations with Lipschitz constant at most 1.2 (GELU's and
 * SiLU's derivatives stay below 1.13), and a float activation adds a few ulps.
 */
public final class ReferenceForward {

  private static final double U = Math.ulp(1.0f) / 2; // float unit roundoff, 2^-24
  private static final double LIPSCHITZ = 1.2;

  private final Network network;
  private final Map<LayerAddress, double[]> unitValues = new HashMap<>(); // NaN = not replaced
  private final Map<Integer, double[]> blockValues = new HashMap<>(); // f(h) replaced by this constant
  private final Map<LayerAddress, Map<Integer, double[]>> affine = new HashMap<>(); // j -> {partner, a, c}

  /** A reference over {@code network} with nothing replaced. */
  public ReferenceForward(Network network) {
    this.network = network;
  }

  /** Replaces unit {@code j} of the layer at {@code a} by {@code value}. */
  public ReferenceForward replaceUnit(LayerAddress a, int j, double value) {
    double[] v = unitValues.computeIfAbsent(a, k -> {
      double[] n = new double[a.resolve(network).outputSize()];
      java.util.Arrays.fill(n, Double.NaN);
      return n;
    });
    v[j] = value;
    return this;
  }

  /**
   * Replaces unit {@code j} of the layer at {@code a} by slope·h_partner + constant, h_partner the
   * partner's own (unreplaced) output.
   */
  public ReferenceForward replaceUnitAffine(LayerAddress a, int j, int partner, double slope, double constant) {
    affine.computeIfAbsent(a, k -> new HashMap<>()).put(j, new double[] {partner, slope, constant});
    return this;
  }

  /** Replaces the f(h) of the residual block at top-level {@code t} by {@code value} (zeros to drop it). */
  public ReferenceForward replaceBlock(int t, double[] value) {
    blockValues.put(t, value.clone());
    return this;
  }

  /** Output values and their float error bounds for one raw input row. */
  public record Result(double[] value, double[] bound) {}

  /** Runs row {@code row} of {@code x}. */
  public Result run(float[] x, int row) {
    int in = network.inputSize();
    double[] h = new double[in];
    double[] e = new double[in];
    Standardization s = network.inputScaling();
    float[] mean = s == null ? null : s.mean();
    float[] scale = s == null ? null : s.scale();
    for (int j = 0; j < in; j++) {
      double v = x[row * in + j];
      if (s != null) {
        h[j] = (v - mean[j]) / scale[j];
        e[j] = 2 * U * Math.abs(h[j]) + 2 * U * Math.abs(v - mean[j]) / Math.abs(scale[j]);
      } else {
        h[j] = v;
      }
    }
    for (int t = 0; t < network.layers().size(); t++) {
      Layer l = network.layers().get(t);
      if (l instanceof DenseLayer d) {
        double[][] r = dense(d, LayerAddress.top(t), h, e);
        h = r[0];
        e = r[1];
      } else if (l instanceof ResidualBlock b) {
        double[] fh = h;
        double[] fe = e;
        for (int k = 0; k < b.layers().size(); k++) {
          double[][] r = dense(b.layers().get(k), LayerAddress.inBlock(t, k), fh, fe);
          fh = r[0];
          fe = r[1];
        }
        if (blockValues.containsKey(t)) {
          fh = blockValues.get(t);
          fe = new double[fh.length];
        }
        double[] nh = new double[h.length];
        double[] ne = new double[h.length];
        for (int j = 0; j < h.length; j++) {
          nh[j] = h[j] + fh[j];
          ne[j] = e[j] + fe[j] + U * Math.abs(nh[j]);
        }
        h = nh;
        e = ne;
      }
    }
    return new Result(h, e);
  }

  private double[][] dense(DenseLayer d, LayerAddress a, double[] x, double[] xe) {
    int in = d.inputSize();
    int out = d.outputSize();
    double[] h = new double[out];
    double[] e = new double[out];
    double[] replaced = unitValues.get(a);
    double gamma = (in + 2) * U;
    for (int i = 0; i < out; i++) {
      double z = d.bias()[i];
      double mag = Math.abs(z);
      double err = 0;
      for (int k = 0; k < in; k++) {
        double w = d.weight()[i * in + k];
        z += w * x[k];
        mag += Math.abs(w) * Math.abs(x[k]);
        err += Math.abs(w) * xe[k];
      }
      err += gamma * mag;
      double v = d.activation().apply(z);
      if (replaced != null && !Double.isNaN(replaced[i])) {
        h[i] = replaced[i];
        e[i] = 0;
      } else {
        h[i] = v;
        e[i] = (d.activation() == dev.topiary.kernels.Activation.IDENTITY ? 1.0 : LIPSCHITZ) * err
            + (d.activation() == dev.topiary.kernels.Activation.IDENTITY ? 0.0
                : 16 * U * (Math.abs(v) + Math.abs(z)));
      }
    }
    Map<Integer, double[]> lines = affine.get(a);
    if (lines != null) {
      double[] h0 = h.clone();
      double[] e0 = e.clone();
      for (Map.Entry<Integer, double[]> m : lines.entrySet()) {
        int p = (int) m.getValue()[0];
        h[m.getKey()] = m.getValue()[1] * h0[p] + m.getValue()[2];
        // The pruned network computes W'_p·h_p + (b + W_r·c) with W'_p = W_p + a·W_r: its dot products
        // see the magnitudes |a·h_p| and |c| separately, where the reference sees |a·h_p + c|. Charge
        // them here, as if they were an error of the replaced value, at a dot length up to 62.
        e[m.getKey()] = Math.abs(m.getValue()[1]) * e0[p]
            + 64 * U * (Math.abs(m.getValue()[1] * h0[p]) + Math.abs(m.getValue()[2]));
      }
    }
    return new double[][] {h, e};
  }

  /**
   * Asserts that {@code y} (float outputs of all rows) matches the reference on every row of {@code x},
   * within {@code factor} times the bound plus a tiny floor.
   */
  public void assertMatches(float[] x, int rows, float[] y, double factor, String what) {
    int out = network.outputSize();
    for (int i = 0; i < rows; i++) {
      Result r = run(x, i);
      for (int o = 0; o < out; o++) {
        double diff = Math.abs(y[i * out + o] - r.value()[o]);
        double tol = factor * r.bound()[o] + 1e-12;
        if (!(diff <= tol)) {
          throw new AssertionError(what + ": row " + i + " output " + o + ": float " + y[i * out + o]
              + " vs reference " + r.value()[o] + ", difference " + diff + " > tolerance " + tol);
        }
      }
    }
  }
}
