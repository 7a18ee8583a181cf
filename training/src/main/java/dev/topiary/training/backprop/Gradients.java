package dev.topiary.training.backprop;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import java.util.Arrays;
import java.util.List;

/**
 * The gradient of a scalar objective with respect to every parameter of a network: for each dense layer
 * (in {@link Network#denseLayers()} order, residual blocks' inner layers included) a weight gradient
 * shaped like the weight, [out, in] row-major, and a bias gradient of length out. Allocated once per
 * network shape; each backward pass overwrites it.
 */
public final class Gradients {

  private final int[] in;
  private final int[] out;
  private final float[][] weight;
  private final float[][] bias;

  /** Zero gradients shaped like the parameters of {@code network}. */
  public Gradients(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    int n = dense.size();
    in = new int[n];
    out = new int[n];
    weight = new float[n][];
    bias = new float[n][];
    for (int l = 0; l < n; l++) {
      DenseLayer d = dense.get(l);
      in[l] = d.inputSize();
      out[l] = d.outputSize();
      weight[l] = new float[in[l] * out[l]];
      bias[l] = new float[out[l]];
    }
  }

  /** Number of dense layers. */
  public int denseLayers() {
    return weight.length;
  }

  /** Input width of dense layer l. */
  public int inputSize(int l) {
    return in[l];
  }

  /** Output width of dense layer l. */
  public int outputSize(int l) {
    return out[l];
  }

  /** The live [out, in] weight gradient of dense layer l. */
  public float[] weight(int l) {
    return weight[l];
  }

  /** The live bias gradient of dense layer l. */
  public float[] bias(int l) {
    return bias[l];
  }

  /** True when every array has the shape of the corresponding parameter of {@code network}. */
  public boolean fits(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    if (dense.size() != weight.length) {
      return false;
    }
    for (int l = 0; l < weight.length; l++) {
      if (dense.get(l).inputSize() != in[l] || dense.get(l).outputSize() != out[l]) {
        return false;
      }
    }
    return true;
  }

  /** Sets every gradient to zero. */
  public void clear() {
    for (int l = 0; l < weight.length; l++) {
      Arrays.fill(weight[l], 0f);
      Arrays.fill(bias[l], 0f);
    }
  }

  /** Σ g² over every weight and bias gradient, accumulated in double. */
  public double sumOfSquares() {
    double s = 0.0;
    for (int l = 0; l < weight.length; l++) {
      s += Kernels.sumOfSquares(weight[l].length, weight[l], 0);
      s += Kernels.sumOfSquares(bias[l].length, bias[l], 0);
    }
    return s;
  }

  /** Multiplies every gradient by {@code factor}. */
  public void scale(float factor) {
    for (int l = 0; l < weight.length; l++) {
      Kernels.scale(weight[l].length, factor, weight[l], 0);
      Kernels.scale(bias[l].length, factor, bias[l], 0);
    }
  }

  /**
   * The gradient arrays as optimiser tensors, in the order weight 0, bias 0, weight 1, bias 1, … — the
   * order of {@link #parameterTensors(Network)}.
   */
  public float[][] tensors() {
    float[][] t = new float[2 * weight.length][];
    for (int l = 0; l < weight.length; l++) {
      t[2 * l] = weight[l];
      t[2 * l + 1] = bias[l];
    }
    return t;
  }

  /** The live parameter arrays of {@code network} in the order of {@link #tensors()}. */
  public static float[][] parameterTensors(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    float[][] t = new float[2 * dense.size()][];
    for (int l = 0; l < dense.size(); l++) {
      t[2 * l] = dense.get(l).weight();
      t[2 * l + 1] = dense.get(l).bias();
    }
    return t;
  }
}
