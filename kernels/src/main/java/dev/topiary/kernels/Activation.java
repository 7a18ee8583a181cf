package dev.topiary.kernels;

/**
 * Element-wise activation functions of a dense layer.
 *
 * <p>Each constant carries a plain double-precision definition ({@link #apply(double)} and
 * {@link #derivative(double)}) that documents the function exactly and serves as the reference the
 * float kernels are tested against. The kernels themselves are in {@link Kernels#activate} and
 * {@link Kernels#activationBackward}.
 */
public enum Activation {
  /** f(z) = z. */
  IDENTITY,
  /** f(z) = max(0, z); the derivative at 0 is taken as 0. */
  RELU,
  /** f(z) = z for z &gt; 0, else {@value #LEAKY_SLOPE}·z. */
  LEAKY_RELU,
  /** f(z) = tanh(z). */
  TANH,
  /** f(z) = 1 / (1 + e^(−z)). */
  SIGMOID,
  /**
   * GELU in its tanh form: 0.5·z·(1 + tanh(u)), u = √(2/π)·(z + 0.044715·z³); evaluated as the equal
   * z·σ(2u), which keeps its relative accuracy where 1 + tanh(u) cancels (z ≪ 0).
   */
  GELU,
  /** SiLU (swish): z·sigmoid(z). */
  SILU;

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final float LEAKY_SLOPE = 0.01f;

  /** √(2/π), the constant of the tanh form of GELU. */
  public static final double GELU_C = 0.7978845608028654;

  /** The cubic coefficient of the tanh form of GELU. */
  public static final double GELU_A = 0.044715;

  /** The function in double precision. */
  public double apply(double z) {
    switch (this) {
      case IDENTITY: return z;
      case RELU: return z > 0 ? z : 0.0;
      case LEAKY_RELU: return z > 0 ? z : LEAKY_SLOPE * z;
      case TANH: return Math.tanh(z);
      case SIGMOID: return 1.0 / (1.0 + Math.exp(-z));
      case GELU: return z / (1.0 + Math.exp(-2.0 * GELU_C * (z + GELU_A * z * z * z)));
      case SILU: return z / (1.0 + Math.exp(-z));
      default: throw new AssertionError(this);
    }
  }

  /** The derivative f'(z) in double precision. */
  public double derivative(double z) {
    switch (this) {
      case IDENTITY: return 1.0;
      case RELU: return z > 0 ? 1.0 : 0.0;
      case LEAKY_RELU: return z > 0 ? 1.0 : LEAKY_SLOPE;
      case TANH: { double t = Math.tanh(z); return 1.0 - t * t; }
      case SIGMOID: { double s = 1.0 / (1.0 + Math.exp(-z)); return s * (1.0 - s); }
      case GELU: {
        // 0.5(1 + tanh u) + 0.5z(1 − tanh²u)u' = σ(2u) + 2z·σ(2u)·σ(−2u)·u', free of cancellation.
        double u = GELU_C * (z + GELU_A * z * z * z);
        double s = 1.0 / (1.0 + Math.exp(-2.0 * u));
        double sNeg = 1.0 / (1.0 + Math.exp(2.0 * u));
        double du = GELU_C * (1.0 + 3.0 * GELU_A * z * z);
        return s + 2.0 * z * s * sNeg * du;
      }
      case SILU: { double s = 1.0 / (1.0 + Math.exp(-z)); return s * (1.0 + z * (1.0 - s)); }
      default: throw new AssertionError(this);
    }
  }

  /** Parses a name such as {@code relu}, {@code leaky_relu} or {@code LEAKY-RELU}, ignoring case. */
  public static Activation parse(String name) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
          + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT));
    }
  }
}
