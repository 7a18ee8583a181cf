package dev.topiary.core.model;

import java.util.Random;

/** Weight initialisers; every draw comes from a caller-supplied seeded {@link Random}. */
public enum Init {
  /** He (Kaiming) normal: N(0, 2/in), for ReLU-family activations (He et al. 2015). */
  HE,
  /** Glorot (Xavier) uniform: U(−a, a) with a = √(6/(in+out)), for tanh and sigmoid (Glorot &amp; Bengio 2010). */
  XAVIER;

  /** Fills a [out, in] weight array. */
  public void fill(float[] w, int in, int out, Random random) {
    switch (this) {
      case HE: {
        double sd = Math.sqrt(2.0 / in);
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) (random.nextGaussian() * sd);
        }
        break;
      }
      case XAVIER: {
        double a = Math.sqrt(6.0 / (in + out));
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) ((random.nextDouble() * 2.0 - 1.0) * a);
        }
        break;
      }
      default:
        throw new AssertionError(this);
    }
  }

  /** The initialiser that suits an activation: He for the ReLU family, Glorot otherwise. */
  public static Init forActivation(dev.topiary.kernels.Activation a) {
    switch (a) {
      case RELU: case LEAKY_RELU: case GELU: case SILU: return HE;
      default: return XAVIER;
    }
  }
}
