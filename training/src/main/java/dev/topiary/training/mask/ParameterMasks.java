package dev.topiary.training.mask;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.optim.OptimizerState;
import java.util.List;

/**
 * Per-parameter gradient masks for a network's dense layers (in {@link Network#denseLayers()} order), the
 * plug-in point for unstructured pruning and for frozen parameters.
 *
 * <p>A mask value m in [0, 1] multiplies the parameter's gradient before the optimiser sees it. The value
 * 0 means frozen: the parameter keeps exactly the value it had when training started — through momentum,
 * Adam moments and weight decay — because after every optimiser step its value is written back and its
 * optimiser state is cleared. A pruned weight is a weight set to zero and masked with 0; it stays exactly
 * zero. Layers without a mask train normally. Immutable; {@link #bind} starts a run.
 */
public final class ParameterMasks {

  private final float[][] weight;
  private final float[][] bias;

  private ParameterMasks(float[][] weight, float[][] bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** A builder for masks over a network of {@code network}'s shape, with no layer masked yet. */
  public static Builder builder(Network network) {
    return new Builder(network);
  }

  /**
   * Masks that freeze every weight of {@code network} that is exactly zero now (an unstructured pruning
   * pattern), leaving the non-zero weights and all biases free.
   */
  public static ParameterMasks zeroWeights(Network network) {
    Builder b = builder(network);
    List<DenseLayer> dense = network.denseLayers();
    for (int l = 0; l < dense.size(); l++) {
      float[] w = dense.get(l).weight();
      boolean[] trainable = new boolean[w.length];
      boolean any = false;
      for (int i = 0; i < w.length; i++) {
        trainable[i] = w[i] != 0f;
        any |= !trainable[i];
      }
      if (any) {
        b.weights(l, trainable);
      }
    }
    return b.build();
  }

  /** Number of dense layers the masks are shaped for. */
  public int denseLayers() {
    return weight.length;
  }

  /** A copy of the weight mask of dense layer l, or null if its weights are not masked. */
  public float[] weightMask(int l) {
    return weight[l] == null ? null : weight[l].clone();
  }

  /** A copy of the bias mask of dense layer l, or null if its biases are not masked. */
  public float[] biasMask(int l) {
    return bias[l] == null ? null : bias[l].clone();
  }

  /**
   * Starts applying the masks to {@code network}: records the current value of every frozen parameter.
   *
   * @throws IllegalArgumentException if the network's shape differs from the masks'
   */
  public Binding bind(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    if (dense.size() != weight.length) {
      throw new IllegalArgumentException(
          "masks are for " + weight.length + " dense layers, the network has " + dense.size());
    }
    for (int l = 0; l < dense.size(); l++) {
      DenseLayer d = dense.get(l);
      if (weight[l] != null && weight[l].length != d.weight().length) {
        throw new IllegalArgumentException("dense layer " + l + ": weight mask has " + weight[l].length
            + " values, the weight has " + d.weight().length);
      }
      if (bias[l] != null && bias[l].length != d.bias().length) {
        throw new IllegalArgumentException("dense layer " + l + ": bias mask has " + bias[l].length
            + " values, the bias has " + d.bias().length);
      }
    }
    return new Binding(dense);
  }

  /** The masks applied to one network during one run. */
  public final class Binding {
    private final float[][] params;
    private final float[][] masks;
    private final int[][] frozen;
    private final float[][] frozenValues;

    private Binding(List<DenseLayer> dense) {
      int n = 2 * dense.size();
      params = new float[n][];
      masks = new float[n][];
      frozen = new int[n][];
      frozenValues = new float[n][];
      for (int l = 0; l < dense.size(); l++) {
        params[2 * l] = dense.get(l).weight();
        params[2 * l + 1] = dense.get(l).bias();
        masks[2 * l] = weight[l];
        masks[2 * l + 1] = bias[l];
      }
      for (int t = 0; t < n; t++) {
        if (masks[t] == null) {
          continue;
        }
        int count = 0;
        for (float m : masks[t]) {
          if (m == 0f) {
            count++;
          }
        }
        frozen[t] = new int[count];
        frozenValues[t] = new float[count];
        int k = 0;
        for (int i = 0; i < masks[t].length; i++) {
          if (masks[t][i] == 0f) {
            frozen[t][k] = i;
            frozenValues[t][k] = params[t][i];
            k++;
          }
        }
      }
    }

    /** Multiplies every masked gradient by its mask (tensors in {@link Gradients#tensors()} order). */
    public void maskGradients(Gradients gradients) {
      for (int l = 0; l < gradients.denseLayers(); l++) {
        multiply(gradients.weight(l), masks[2 * l]);
        multiply(gradients.bias(l), masks[2 * l + 1]);
      }
    }

    private void multiply(float[] g, float[] m) {
      if (m != null) {
        for (int i = 0; i < g.length; i++) {
          g[i] *= m[i];
        }
      }
    }

    /**
     * After an optimiser step: writes every frozen parameter's recorded value back and clears its optimiser
     * state (tensors in {@link Gradients#parameterTensors} order).
     */
    public void afterStep(OptimizerState state) {
      for (int t = 0; t < params.length; t++) {
        if (frozen[t] == null || frozen[t].length == 0) {
          continue;
        }
        int[] idx = frozen[t];
        float[] p = params[t];
        float[] v = frozenValues[t];
        for (int k = 0; k < idx.length; k++) {
          p[idx[k]] = v[k];
        }
        if (state != null) {
          state.clear(t, idx);
        }
      }
    }

    /** Number of frozen parameters. */
    public long frozenCount() {
      long c = 0;
      for (int[] f : frozen) {
        c += f == null ? 0 : f.length;
      }
      return c;
    }
  }

  /** Collects per-layer masks; validates sizes and values as they are added. */
  public static final class Builder {
    private final int[] weightSizes;
    private final int[] biasSizes;
    private final float[][] weight;
    private final float[][] bias;

    private Builder(Network network) {
      List<DenseLayer> dense = network.denseLayers();
      weightSizes = new int[dense.size()];
      biasSizes = new int[dense.size()];
      for (int l = 0; l < dense.size(); l++) {
        weightSizes[l] = dense.get(l).weight().length;
        biasSizes[l] = dense.get(l).bias().length;
      }
      weight = new float[dense.size()][];
      bias = new float[dense.size()][];
    }

    /** Masks the weights of dense layer l with values in [0, 1] (copied). */
    public Builder weights(int l, float[] mask) {
      weight[check(l, "weight", mask, weightSizes)] = mask.clone();
      return this;
    }

    /** Masks the weights of dense layer l: true trains, false freezes. */
    public Builder weights(int l, boolean[] trainable) {
      return weights(l, toFloats(trainable));
    }

    /** Masks the biases of dense layer l with values in [0, 1] (copied). */
    public Builder bias(int l, float[] mask) {
      bias[check(l, "bias", mask, biasSizes)] = mask.clone();
      return this;
    }

    /** Masks the biases of dense layer l: true trains, false freezes. */
    public Builder bias(int l, boolean[] trainable) {
      return bias(l, toFloats(trainable));
    }

    /** Freezes every weight and bias of dense layer l. */
    public Builder freezeLayer(int l) {
      checkLayer(l, weightSizes);
      weight[l] = new float[weightSizes[l]];
      bias[l] = new float[biasSizes[l]];
      return this;
    }

    /** The masks collected so far. */
    public ParameterMasks build() {
      return new ParameterMasks(weight.clone(), bias.clone());
    }

    private static float[] toFloats(boolean[] trainable) {
      float[] m = new float[trainable.length];
      for (int i = 0; i < m.length; i++) {
        m[i] = trainable[i] ? 1f : 0f;
      }
      return m;
    }

    private static void checkLayer(int l, int[] sizes) {
      if (l < 0 || l >= sizes.length) {
        throw new IndexOutOfBoundsException("dense layer " + l + " outside [0, " + sizes.length + ")");
      }
    }

    private static int check(int l, String what, float[] mask, int[] sizes) {
      checkLayer(l, sizes);
      if (mask.length != sizes[l]) {
        throw new IllegalArgumentException("dense layer " + l + ": " + what + " mask has " + mask.length
            + " values, expected " + sizes[l]);
      }
      for (int i = 0; i < mask.length; i++) {
        if (!(mask[i] >= 0f && mask[i] <= 1f)) {
          throw new IllegalArgumentException("dense layer " + l + ": " + what + " mask value " + mask[i]
              + " at index " + i + " is outside [0, 1]");
        }
      }
      return l;
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ParameterMasks[");
    for (int l = 0; l < weight.length; l++) {
      sb.append(l == 0 ? "" : ", ").append(weight[l] == null ? "-" : "w").append(bias[l] == null ? "" : "b");
    }
    return sb.append(']').toString();
  }
}
