package dev.topiary.core.model;

import dev.topiary.kernels.Activation;
import java.util.Random;

/**
 * A fully connected layer h = act(W·x + b) with W stored row-major as [out, in] (row j holds the incoming
 * weights of unit j, as in PyTorch's {@code nn.Linear}) and b of length out.
 *
 * <p>The parameter arrays are owned by the layer and exposed as they are ({@link #weight()},
 * {@link #bias()}) so that training and pruning can read and update them without copies. Their lengths
 * never change: pruning builds a new, smaller layer.
 */
public final class DenseLayer implements Layer {

  private final int in;
  private final int out;
  private final float[] weight;
  private final float[] bias;
  private final Activation activation;

  /**
   * A layer over the given arrays, which it takes ownership of (no copy).
   *
   * @throws IllegalArgumentException if the array lengths do not match [out, in] and [out]
   */
  public DenseLayer(int in, int out, float[] weight, float[] bias, Activation activation) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("a dense layer needs in >= 1 and out >= 1, found " + in + " -> " + out);
    }
    if (weight.length != (long) in * out) {
      throw new IllegalArgumentException(
          "weight has " + weight.length + " elements, expected [" + out + ", " + in + "] = " + (long) in * out);
    }
    if (bias.length != out) {
      throw new IllegalArgumentException("bias has " + bias.length + " elements, expected " + out);
    }
    this.in = in;
    this.out = out;
    this.weight = weight;
    this.bias = bias;
    this.activation = java.util.Objects.requireNonNull(activation, "activation");
  }

  /** A layer with all weights and biases zero. */
  public static DenseLayer zeros(int in, int out, Activation activation) {
    if (in >= 1 && out >= 1 && (long) in * out > MAX_WEIGHTS) {
      throw new IllegalArgumentException("a dense layer " + in + " -> " + out + " would hold " + (long) in * out
          + " weights, more than a Java array can hold (" + MAX_WEIGHTS + ")");
    }
    return new DenseLayer(in, out, new float[Math.max(0, in) * Math.max(0, out)], new float[Math.max(0, out)],
        activation);
  }

  /** The most weights one layer can hold: the largest Java array HotSpot allocates. */
  public static final long MAX_WEIGHTS = Integer.MAX_VALUE - 8;

  /**
   * A freshly initialised layer: weights drawn by {@code init} from {@code random}, biases zero.
   */
  public static DenseLayer initialised(int in, int out, Activation activation, Init init, Random random) {
    DenseLayer l = zeros(in, out, activation);
    init.fill(l.weight, in, out, random);
    return l;
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  /** The live [out, in] row-major weight array. */
  public float[] weight() {
    return weight;
  }

  /** The live bias array of length out. */
  public float[] bias() {
    return bias;
  }

  /** W[unit, input]. */
  public float weight(int unit, int input) {
    return weight[unit * in + input];
  }

  /** The activation applied after the affine map. */
  public Activation activation() {
    return activation;
  }

  @Override
  public long parameterCount() {
    return (long) in * out + out;
  }

  @Override
  public long flops() {
    return 2L * in * out + out + (activation == Activation.IDENTITY ? 0 : out);
  }

  @Override
  public DenseLayer copy() {
    return new DenseLayer(in, out, weight.clone(), bias.clone(), activation);
  }

  /** The same parameters with another activation (arrays shared). */
  public DenseLayer withActivation(Activation a) {
    return new DenseLayer(in, out, weight, bias, a);
  }

  @Override
  public String toString() {
    return "Dense(" + in + " -> " + out + ", " + activation.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
