package dev.topiary.kernels.impl;

import dev.topiary.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activations, their derivatives and softmax with the Vector API.
 *
 * <p>The transcendental functions are built here from fma, min/max, compare/blend and integer shifts
 * rather than {@code lanewise(EXP)}: those operations are intrinsified on every platform from JDK 17
 * on, while the Vector API's EXP and TANH fall back to a scalar call per lane where no SVML-like
 * library is linked (AArch64 before JDK 24, for one).
 *
 * <p>Accuracy against {@link Activation}'s double-precision definitions, enforced by the kernel tests
 * (measured maxima over 12 million random inputs in brackets):
 * <ul>
 *   <li>tanh, sigmoid, SiLU: ≤ 3 ulp of the exact result (1.3, 2.5, 2.4 ulp);
 *   <li>GELU: ≤ 3 + 6|u| ulp, u = √(2/π)(z + 0.044715z³) (≤ 2 + 4.9|u|): the float rounding of u is
 *       amplified by e^(−2u) where z ≪ 0 and GELU is tiny;
 *   <li>derivatives: ≤ 16·2⁻²⁴ times the sum of the magnitudes of their terms;
 *   <li>softmax: relative error ≤ (8 + cols)·2⁻²⁴; log-softmax: absolute error ≤ 8·2⁻²⁴·(|x| + |lse| + cols).
 * </ul>
 * exp itself: Cody–Waite reduction and Cephes' degree-7 polynomial (≈ 1 ulp) on [−87.3, 88.72];
 * 0 below (results that would be subnormal flush to zero) and +∞ above, so z·σ(·) of inputs beyond
 * ±88.7 may return 0 where the exact value is below |z|·2⁻¹²⁶.
 */
final class VectorActivations {

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int V = S.length();

  private VectorActivations() {}

  // exp: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, ln2 split in a short high part and a low part),
  // e^r from a degree-7 polynomial 1 + r + r²·P(r) (Cephes' expf coefficients), 2^n added to the
  // exponent bits. n comes from the round-to-nearest trick: x·log2(e) + 1.5·2²³ leaves n in the low
  // mantissa bits, so shifting those bits left by 23 gives n already in the exponent field.
  private static final float EXP_LO = -87.3f;
  private static final float EXP_HI = 88.7228f;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float ROUND_SHIFT = 12582912f; // 1.5·2²³
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  // tanh(a) = a + a³·T(a²) for |a| < TANH_SMALL, a weighted least-squares fit (≤ 1 ulp in float).
  private static final float TANH_SMALL = 0.625f;
  private static final float T0 = -0.3333328366279602f;
  private static final float T1 = 0.13331490755081177f;
  private static final float T2 = -0.05374349281191826f;
  private static final float T3 = 0.020650571212172508f;
  private static final float T4 = -0.005717028398066759f;

  private static final float GELU_C = (float) Activation.GELU_C;
  private static final float GELU_3A = (float) (3 * Activation.GELU_A);
  private static final float MINUS_TWO_C = (float) (-2 * Activation.GELU_C);
  private static final float MINUS_TWO_C_A = (float) (-2 * Activation.GELU_C * Activation.GELU_A);

  private static FloatVector k(float c) {
    return FloatVector.broadcast(S, c);
  }

  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_LO).min(EXP_HI);
    FloatVector z = xc.fma(LOG2E, ROUND_SHIFT);
    FloatVector n = z.sub(ROUND_SHIFT);
    FloatVector r = n.fma(k(-LN2_HI), xc);
    r = n.fma(k(-LN2_LO), r);
    FloatVector p = r.fma(P0, P1).fma(r, k(P2)).fma(r, k(P3)).fma(r, k(P4)).fma(r, k(P5));
    p = p.mul(r.mul(r)).add(r).add(1f);
    IntVector scale = z.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
    FloatVector e = p.reinterpretAsInts().add(scale).reinterpretAsFloats();
    return e.blend(0f, x.compare(VectorOperators.LT, EXP_LO))
        .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
  }

  static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector a2 = a.mul(a);
    FloatVector small = a2.fma(T4, T3).fma(a2, k(T2)).fma(a2, k(T1)).fma(a2, k(T0)).mul(a2).fma(a, a);
    FloatVector e = exp(a.add(a));
    FloatVector large = ONE.sub(TWO.div(e.add(1f)));
    FloatVector t = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
    return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
  }

  static FloatVector sigmoid(FloatVector x) {
    return ONE.div(exp(x.neg()).add(1f));
  }

  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final FloatVector ZERO = FloatVector.zero(S);

  /** GELU as z·sigmoid(2u): the same function as 0.5·z·(1 + tanh u), without its cancellation for z ≪ 0. */
  static FloatVector gelu(FloatVector z) {
    return z.div(exp(minusTwoU(z)).add(1f));
  }

  /** −2u = −2√(2/π)(z + 0.044715z³), as z·(k₁ + k₂z²) with three roundings. */
  private static FloatVector minusTwoU(FloatVector z) {
    return z.mul(z).fma(MINUS_TWO_C_A, MINUS_TWO_C).mul(z);
  }

  /** 1 − σ = e/(1 + e) for e = e^(−x), as 1/(1 + 1/e): accurate when σ is close to 1, and 0/∞-safe. */
  private static FloatVector oneMinusSigmoid(FloatVector e) {
    return ONE.div(ONE.div(e).add(1f));
  }

  /** act(x) for one vector; every branch folds away where act is a constant of the caller's loop. */
  static FloatVector apply(Activation act, FloatVector x) {
    switch (act) {
      case IDENTITY:
        return x;
      case RELU:
        return ZERO.blend(x, x.compare(VectorOperators.GT, 0f));
      case LEAKY_RELU:
        return x.mul(Activation.LEAKY_SLOPE).blend(x, x.compare(VectorOperators.GT, 0f));
      case TANH:
        return tanh(x);
      case SIGMOID:
        return sigmoid(x);
      case GELU:
        return gelu(x);
      case SILU:
        return x.div(exp(x.neg()).add(1f));
      default:
        throw new AssertionError(act);
    }
  }

  /** Scalar twin of {@link #apply} for loop tails, through a one-lane detour so tails round alike. */
  private static float applyScalar(Activation act, float x, float[] lane) {
    // A vector-sized scratch keeps tails bit-identical to the vector body.
    java.util.Arrays.fill(lane, x);
    apply(act, FloatVector.fromArray(S, lane, 0)).intoArray(lane, 0);
    return lane[0];
  }

  /**
   * h[i] = act(z[i] + bias[i]) for n elements (bias may be null). The one loop behind activate and
   * biasActivate; the switch sits outside the loops so each loop is specialised.
   */
  static void activate(Activation act, int n, float[] z, int zOff, float[] bias, int bOff, float[] h,
      int hOff) {
    if (act == Activation.IDENTITY && bias == null) {
      if (z != h || zOff != hOff) {
        System.arraycopy(z, zOff, h, hOff, n);
      }
      return;
    }
    switch (act) {
      case IDENTITY: loop(Activation.IDENTITY, n, z, zOff, bias, bOff, h, hOff); break;
      case RELU: loop(Activation.RELU, n, z, zOff, bias, bOff, h, hOff); break;
      case LEAKY_RELU: loop(Activation.LEAKY_RELU, n, z, zOff, bias, bOff, h, hOff); break;
      case TANH: loop(Activation.TANH, n, z, zOff, bias, bOff, h, hOff); break;
      case SIGMOID: loop(Activation.SIGMOID, n, z, zOff, bias, bOff, h, hOff); break;
      case GELU: loop(Activation.GELU, n, z, zOff, bias, bOff, h, hOff); break;
      case SILU: loop(Activation.SILU, n, z, zOff, bias, bOff, h, hOff); break;
      default: throw new AssertionError(act);
    }
  }

  private static void loop(Activation act, int n, float[] z, int zOff, float[] bias, int bOff, float[] h,
      int hOff) {
    int nb = S.loopBound(n);
    int i = 0;
    if (bias != null) {
      for (; i < nb; i += V) {
        FloatVector x = FloatVector.fromArray(S, z, zOff + i).add(FloatVector.fromArray(S, bias, bOff + i));
        apply(act, x).intoArray(h, hOff + i);
      }
    } else {
      for (; i < nb; i += V) {
        apply(act, FloatVector.fromArray(S, z, zOff + i)).intoArray(h, hOff + i);
      }
    }
    if (i < n) {
      float[] lane = new float[V];
      for (; i < n; i++) {
        float x = bias != null ? z[zOff + i] + bias[bOff + i] : z[zOff + i];
        h[hOff + i] = applyScalar(act, x, lane);
      }
    }
  }

  /** dz[i] = dh[i]·act'(z[i]); tanh and sigmoid derive from h = act(z), the others from z. */
  static void backward(Activation act, int n, float[] z, int zOff, float[] h, int hOff, float[] dh,
      int dhOff, float[] dz, int dzOff) {
    if (act == Activation.IDENTITY) {
      if (dh != dz || dhOff != dzOff) {
        System.arraycopy(dh, dhOff, dz, dzOff, n);
      }
      return;
    }
    switch (act) {
      case RELU: backwardLoop(Activation.RELU, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      case LEAKY_RELU: backwardLoop(Activation.LEAKY_RELU, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      case TANH: backwardLoop(Activation.TANH, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      case SIGMOID: backwardLoop(Activation.SIGMOID, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      case GELU: backwardLoop(Activation.GELU, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      case SILU: backwardLoop(Activation.SILU, n, z, zOff, h, hOff, dh, dhOff, dz, dzOff); break;
      default: throw new AssertionError(act);
    }
  }

  private static void backwardLoop(Activation act, int n, float[] z, int zOff, float[] h, int hOff,
      float[] dh, int dhOff, float[] dz, int dzOff) {
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector g = FloatVector.fromArray(S, dh, dhOff + i);
      FloatVector zi = act == Activation.TANH || act == Activation.SIGMOID
          ? FloatVector.fromArray(S, h, hOff + i) : FloatVector.fromArray(S, z, zOff + i);
      derivativeTimes(act, zi, g).intoArray(dz, dzOff + i);
    }
    if (i < n) {
      float[] lane = new float[V];
      float[] grad = new float[V];
      for (; i < n; i++) {
        java.util.Arrays.fill(lane, act == Activation.TANH || act == Activation.SIGMOID ? h[hOff + i] : z[zOff + i]);
        java.util.Arrays.fill(grad, dh[dhOff + i]);
        derivativeTimes(act, FloatVector.fromArray(S, lane, 0), FloatVector.fromArray(S, grad, 0))
            .intoArray(lane, 0);
        dz[dzOff + i] = lane[0];
      }
    }
  }

  /**
   * g·act'(x), where x is h = act(z) for tanh and sigmoid and z otherwise. 1 − s is computed as s·e^(−x)
   * for the sigmoid-based derivatives, so it keeps its relative accuracy when s is close to 1.
   */
  private static FloatVector derivativeTimes(Activation act, FloatVector x, FloatVector g) {
    switch (act) {
      case RELU:
        return ZERO.blend(g, x.compare(VectorOperators.GT, 0f));
      case LEAKY_RELU:
        return g.mul(Activation.LEAKY_SLOPE).blend(g, x.compare(VectorOperators.GT, 0f));
      case TANH:
        return g.mul(x.neg().fma(x, ONE));
      case SIGMOID:
        return g.mul(x).mul(ONE.sub(x));
      case SILU: {
        FloatVector e = exp(x.neg());
        FloatVector s = ONE.div(e.add(1f));
        return g.mul(s).mul(x.mul(oneMinusSigmoid(e)).add(1f));
      }
      case GELU: {
        FloatVector du = x.mul(x).fma(GELU_3A, 1f).mul(GELU_C);
        FloatVector e = exp(minusTwoU(x));
        FloatVector s = ONE.div(e.add(1f));
        // d/dz [z·σ(2u)] = σ(2u) + 2z·σ(2u)(1 − σ(2u))·u'
        return g.mul(s.mul(x.add(x).mul(oneMinusSigmoid(e)).mul(du).add(1f)));
      }
      default:
        throw new AssertionError(act);
    }
  }

  /** Row-wise softmax (or log-softmax) of contiguous rows, shifted by the row maximum. */
  static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, boolean log) {
    int nb = S.loopBound(cols);
    float[] lane = null;
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      int yi = yOff + r * cols;
      FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      int j = 0;
      for (; j < nb; j += V) {
        vmax = vmax.max(FloatVector.fromArray(S, x, xi + j));
      }
      float max = vmax.reduceLanes(VectorOperators.MAX);
      for (; j < cols; j++) {
        max = Math.max(max, x[xi + j]);
      }
      FloatVector shift = FloatVector.broadcast(S, max);
      FloatVector vsum = FloatVector.zero(S);
      j = 0;
      for (; j < nb; j += V) {
        FloatVector e = exp(FloatVector.fromArray(S, x, xi + j).sub(shift));
        if (!log) {
          e.intoArray(y, yi + j);
        }
        vsum = vsum.add(e);
      }
      float sum = vsum.reduceLanes(VectorOperators.ADD);
      if (j < cols) {
        if (lane == null) {
          lane = new float[V];
        }
        for (; j < cols; j++) {
          java.util.Arrays.fill(lane, x[xi + j] - max);
          exp(FloatVector.fromArray(S, lane, 0)).intoArray(lane, 0);
          if (!log) {
            y[yi + j] = lane[0];
          }
          sum += lane[0];
        }
      }
      if (log) {
        float lse = max + (float) Math.log(sum);
        FloatVector vl = FloatVector.broadcast(S, lse);
        j = 0;
        for (; j < nb; j += V) {
          FloatVector.fromArray(S, x, xi + j).sub(vl).intoArray(y, yi + j);
        }
        for (; j < cols; j++) {
          y[yi + j] = x[xi + j] - lse;
        }
      } else {
        float inv = 1f / sum;
        j = 0;
        for (; j < nb; j += V) {
          FloatVector.fromArray(S, y, yi + j).mul(inv).intoArray(y, yi + j);
        }
        for (; j < cols; j++) {
          y[yi + j] *= inv;
        }
      }
    }
  }
}
