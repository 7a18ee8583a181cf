package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topiary.kernels.impl.KernelProvider;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Activations, their derivatives, bias fusion and softmax against {@link Activation}'s double
 * definitions, within the accuracy bounds documented on the Vector implementation.
 */
class ActivationTest {

  /** Input ranges: ordinary, wide (saturation, exp under/overflow), and tiny (cancellation near 0). */
  private static final float[][] RANGES = {{-6f, 6f}, {-120f, 120f}, {-1e-3f, 1e-3f}, {-1f, 1f}};

  @Provide
  Arbitrary<KernelProvider> providers() {
    return Providers.providers();
  }

  @Provide
  Arbitrary<Activation> activations() {
    return Arbitraries.of(Activation.values());
  }

  /**
   * Absolute slack where results fall to the bottom of the float range: e^x overflows beyond x ≈ 88.72,
   * so z·σ(·) of such inputs flushes to zero instead of a value below |z|·2⁻¹²⁸.
   */
  static double tiny(double z) {
    return (1 + Math.abs(z)) * Float.MIN_NORMAL;
  }

  /** Allowed forward error in float ulps at the reference value. */
  static double forwardUlps(Activation act, double z) {
    switch (act) {
      case IDENTITY:
      case RELU:
        return 0;
      case LEAKY_RELU:
        return 0.5;
      case TANH:
      case SIGMOID:
      case SILU:
        return 3;
      case GELU: {
        // GELU(z) = z·σ(2u). An error δu in the float u moves ln GELU by 2(1 − σ(2u))·δu, and
        // |δu| ≤ 1.5|u| ulp: 6|u| ulp where z ≪ 0 (σ → 0), shrinking like e^(−2u) where z ≫ 0, where
        // GELU(z) → z and the result must be as accurate as the other activations.
        double u = geluU(z);
        double sensitivity = Math.min(1, 2 / (1 + Math.exp(2 * u)));
        return 3 + 6 * Math.abs(u) * sensitivity;
      }
      default:
        throw new AssertionError(act);
    }
  }

  static double geluU(double z) {
    return Activation.GELU_C * (z + Activation.GELU_A * z * z * z);
  }

  static void checkForward(String what, Activation act, double z, float got) {
    double ref = act.apply(z);
    double err = Math.abs(got - ref);
    double allowed = forwardUlps(act, z) * Math.ulp((float) ref) + tiny(z);
    if (!(err <= allowed)) {
      fail(what + " " + act + "(" + z + ") = " + got + ", reference " + ref + ", error "
          + Providers.ulps(got, ref) + " ulp");
    }
  }

  @Property(tries = 300, seed = "42")
  void activateMatchesDefinition(@ForAll("providers") KernelProvider impl,
      @ForAll("activations") Activation act, @ForAll @IntRange(min = 0, max = 100) int n,
      @ForAll @IntRange(min = 0, max = 3) int off, @ForAll @IntRange(min = 0, max = 3) int range,
      @ForAll boolean inPlace, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] z = Providers.random(rnd, n + off + 2, RANGES[range][0], RANGES[range][1]);
    float[] zc = z.clone();
    float[] h = inPlace ? z : new float[n + off + 3];
    int hOff = inPlace ? off : off + 1;
    impl.activate(act, n, z, off, h, hOff);
    for (int i = 0; i < n; i++) {
      checkForward(impl.name(), act, zc[off + i], h[hOff + i]);
    }
  }

  @Property(tries = 200, seed = "43")
  void biasActivateMatchesDefinition(@ForAll("providers") KernelProvider impl,
      @ForAll("activations") Activation act, @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll @IntRange(min = 0, max = 70) int cols, @ForAll @IntRange(min = 0, max = 5) int pad,
      @ForAll boolean withBias, @ForAll long seed) {
    Random rnd = new Random(seed);
    int ld = cols + pad;
    float[] y = Providers.random(rnd, 2 + rows * ld, -5f, 5f);
    float[] bias = withBias ? Providers.random(rnd, cols + 1, -1f, 1f) : null;
    float[] before = y.clone();
    impl.biasActivate(act, rows, cols, bias, 1, y, 2, ld);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int idx = 2 + i * ld + j;
        // The bias is added in float, as every implementation must, before the activation.
        float z = withBias ? before[idx] + bias[1 + j] : before[idx];
        checkForward(impl.name(), act, z, y[idx]);
      }
      for (int j = cols; j < ld && i < rows - 1; j++) {
        assertEquals(before[2 + i * ld + j], y[2 + i * ld + j], "wrote into the row padding");
      }
    }
  }

  @Property(tries = 300, seed = "44")
  void backwardMatchesDerivative(@ForAll("providers") KernelProvider impl,
      @ForAll("activations") Activation act, @ForAll @IntRange(min = 0, max = 100) int n,
      @ForAll @IntRange(min = 0, max = 3) int range, @ForAll boolean inPlace, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] z = Providers.random(rnd, n + 1, RANGES[range][0], RANGES[range][1]);
    float[] h = new float[n + 1];
    for (int i = 0; i < h.length; i++) {
      h[i] = (float) act.apply(z[i]);
    }
    float[] dh = Providers.random(rnd, n + 1, -2f, 2f);
    float[] dhc = dh.clone();
    float[] dz = inPlace ? dh : new float[n + 1];
    impl.activationBackward(act, n, z, 1, h, 1, dh, 1, dz, 1);
    for (int i = 1; i <= n; i++) {
      double zi = z[i];
      double ref = dhc[i] * act.derivative(zi);
      double err = Math.abs(dz[i] - ref);
      double allowed = 16 * Providers.EPS * Math.abs(dhc[i]) * termMagnitude(act, zi, h[i])
          + Math.abs(dhc[i]) * Math.pow(1 + Math.abs(zi), 2) * tiny(zi);
      if (!(err <= allowed)) {
        fail(impl.name() + " " + act + "'(" + zi + ")·" + dhc[i] + " = " + dz[i] + ", reference " + ref
            + ", error " + err + " > " + allowed);
      }
    }
  }

  /**
   * Sum of the magnitudes of the terms of act'(z), the scale of its rounding error; for tanh and
   * sigmoid it also covers the rounding of h = act(z) to float, from which the derivative is taken.
   */
  static double termMagnitude(Activation act, double z, float h) {
    switch (act) {
      case IDENTITY:
      case RELU:
      case LEAKY_RELU:
        return 1;
      case TANH:
        return 1 + 2 * h * h;
      case SIGMOID:
        return Math.abs(h) * (1 + Math.abs(h));
      case SILU: {
        double s = 1 / (1 + Math.exp(-z));
        return s * (1 + Math.abs(z) * (1 - s)) * 2;
      }
      case GELU: {
        double u = geluU(z);
        double s = 1 / (1 + Math.exp(-2 * u));
        double du = Activation.GELU_C * (1 + 3 * Activation.GELU_A * z * z);
        return (s + Math.abs(2 * z * s * (1 - s) * du)) * (1 + Math.abs(u));
      }
      default:
        throw new AssertionError(act);
    }
  }

  @Property(tries = 200, seed = "45")
  void softmaxRowsAreStableAndNormalised(@ForAll("providers") KernelProvider impl,
      @ForAll @IntRange(min = 1, max = 6) int rows, @ForAll @IntRange(min = 1, max = 70) int cols,
      @ForAll @IntRange(min = 0, max = 1) int range, @ForAll boolean log, @ForAll boolean inPlace,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    // Large offsets would overflow exp without the max shift.
    float shift = rnd.nextBoolean() ? 0f : 500f * (rnd.nextFloat() - 0.5f);
    float[] x = Providers.random(rnd, 1 + rows * cols, RANGES[range][0] + shift, RANGES[range][1] + shift);
    float[] xc = x.clone();
    float[] y = inPlace ? x : new float[1 + rows * cols];
    if (log) {
      impl.logSoftmaxRows(rows, cols, x, 1, y, 1);
    } else {
      impl.softmaxRows(rows, cols, x, 1, y, 1);
    }
    for (int r = 0; r < rows; r++) {
      int base = 1 + r * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, xc[base + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(xc[base + j] - max);
      }
      double lse = max + Math.log(sum);
      for (int j = 0; j < cols; j++) {
        double refLog = xc[base + j] - lse;
        if (log) {
          double allowed = 8 * Providers.EPS * (Math.abs(xc[base + j]) + Math.abs(lse) + cols);
          if (!(Math.abs(y[base + j] - refLog) <= allowed)) {
            fail(impl.name() + " log-softmax " + y[base + j] + " vs " + refLog);
          }
        } else {
          double ref = Math.exp(refLog);
          // exp of the shifted input (x − max is exact-ish) and a sum of cols terms.
          double allowed = (8 + cols) * Providers.EPS * ref + Float.MIN_NORMAL;
          if (!(Math.abs(y[base + j] - ref) <= allowed)) {
            fail(impl.name() + " softmax " + y[base + j] + " vs " + ref + " (x=" + xc[base + j] + ")");
          }
        }
      }
    }
  }

  /** A dense scan of the exp-based functions over their whole useful range. */
  @Test
  void denseScanStaysWithinBounds() {
    float[] z = new float[200_003];
    for (int i = 0; i < z.length; i++) {
      z[i] = -100f + 200f * i / (z.length - 1);
    }
    float[] h = new float[z.length];
    for (KernelProvider impl : Providers.all()) {
      for (Activation act : Activation.values()) {
        impl.activate(act, z.length, z, 0, h, 0);
        for (int i = 0; i < z.length; i++) {
          checkForward(impl.name() + " scan", act, z[i], h[i]);
        }
      }
    }
  }

  @Test
  void identityWithoutBiasLeavesTheValues() {
    for (KernelProvider impl : Providers.all()) {
      float[] y = {1f, -2f, 3f, 4f};
      impl.biasActivate(Activation.IDENTITY, 2, 2, null, 0, y, 0, 2);
      assertArrayEquals(new float[] {1f, -2f, 3f, 4f}, y);
    }
  }
}
