package dev.topiary.kernels.impl;

import dev.topiary.kernels.Activation;
import static dev.topiary.kernels.impl.MulAdd.fma;

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
 *   <li>GELU: ≤ 3 + 6|u|·min(1, 2/(1 + e^(2u))) ulp, u = √(2/π)(z + 0.044715z³) (≤ 2 + 4.9|u| where
 *       z < 0): the float rounding of u is amplified by e^(−2u) where z ≪ 0 and GELU is tiny, and fades
 *       where z ≫ 0 and GELU(z) is z;
 *   <li>derivatives: ≤ 16·2⁻²⁴ times the sum of the magnitudes of their terms;
 *   <li>softmax: relative error ≤ (8 + cols)·2⁻²⁴; log-softmax: absolute error ≤ 8·2⁻²⁴·(|x| + |lse| + cols).
 * </ul>
 * The bounds hold on both arithmetic paths ({@link MulAdd}): fused multiply-add, and a multiply then an
 * add where the hardware has no FMA. exp itself: Cody–Waite reduction and Cephes' degree-7 polynomial (≈ 1 ulp) on [−87.3, 88.72];
 * 0 below (results that would be subnormal flush to zero) and +∞ above, so z·σ(·) of inputs beyond
 * ±88.7 may return 0 where the exact value is below |z|·2⁻¹²⁶.
 */
final class VectorActivations {

  static final VectorSpecies<Float> S = FloatLanes.SPECIES;
  static final int V = S.length();
  /** Whether a·b + c is one fused multiply-add ({@link MulAdd#FUSED}); C2 folds every test of it. */
  private static final boolean FUSED = MulAdd.FUSED;
  /**
   * Whether vector compare, blend's mask, min and max are compiled ({@link CpuFeatures#vectorCompares()}),
   * and integer vectors of the kernels' shape ({@link FloatLanes#INTEGERS}), which the masks are on x86
   * and the exponentials use for 2ⁿ. Where they are not (x86 with SSE only, and 256-bit vectors on AVX
   * without AVX2), the loops that need them run their scalar twins over the whole range, which give the
   * same bits.
   */
  private static final boolean COMPARES = CpuFeatures.current().vectorCompares() && FloatLanes.INTEGERS;

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

  /** 2u' = 2√(2/π)(1 + 3·0.044715z²) as TWO_C + TWO_C_3A·z². */
  private static final float TWO_C = (float) (2 * Activation.GELU_C);
  private static final float TWO_C_3A = (float) (2 * Activation.GELU_C * 3 * Activation.GELU_A);
  private static final float MINUS_TWO_C = (float) (-2 * Activation.GELU_C);
  private static final float MINUS_TWO_C_A = (float) (-2 * Activation.GELU_C * Activation.GELU_A);

  // The same constants as vectors. The scalar-operand forms (x.add(1f)) broadcast on every use, and each
  // broadcast adds nodes to a compilation whose size decides whether C2 finishes inlining (see below).
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final FloatVector ZERO = FloatVector.zero(S);
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
  private static final FloatVector P2V = FloatVector.broadcast(S, P2);
  private static final FloatVector P3V = FloatVector.broadcast(S, P3);
  private static final FloatVector P4V = FloatVector.broadcast(S, P4);
  private static final FloatVector P5V = FloatVector.broadcast(S, P5);
  private static final FloatVector T0V = FloatVector.broadcast(S, T0);
  private static final FloatVector T1V = FloatVector.broadcast(S, T1);
  private static final FloatVector T2V = FloatVector.broadcast(S, T2);
  private static final FloatVector TANH_SMALL_V = FloatVector.broadcast(S, TANH_SMALL);
  private static final FloatVector T3V = FloatVector.broadcast(S, T3);
  private static final FloatVector T4V = FloatVector.broadcast(S, T4);
  private static final FloatVector P0V = FloatVector.broadcast(S, P0);
  private static final FloatVector P1V = FloatVector.broadcast(S, P1);
  private static final FloatVector EXP_LO_V = FloatVector.broadcast(S, EXP_LO);
  private static final FloatVector EXP_HI_V = FloatVector.broadcast(S, EXP_HI);
  private static final FloatVector LOG2E_V = FloatVector.broadcast(S, LOG2E);
  private static final FloatVector ROUND_SHIFT_V = FloatVector.broadcast(S, ROUND_SHIFT);
  private static final FloatVector INFINITY = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
  private static final FloatVector TWO_C_V = FloatVector.broadcast(S, TWO_C);
  private static final FloatVector TWO_C_3A_V = FloatVector.broadcast(S, TWO_C_3A);
  private static final FloatVector MINUS_TWO_C_V = FloatVector.broadcast(S, MINUS_TWO_C);
  private static final FloatVector MINUS_TWO_C_A_V = FloatVector.broadcast(S, MINUS_TWO_C_A);

  // How the loops are written, and why. A vector that crosses a call C2 does not inline is a heap
  // object, and C2 stops inlining ordinary methods once a compilation has grown past
  // NodeCountInliningCutoff or MaxInlineLevel; the Vector API's own methods are force-inlined past
  // those limits, ours are not, and one inlined exp already brings a loop near the node cutoff. So each
  // activation has its own loop method (the dispatcher switches over methods, never per vector), each
  // loop holds one vector body, and the body calls nothing of ours: exp is written out in every body
  // that needs it rather than called. Every loop with exp in it is also larger than FreqInlineSize
  // (325 bytecodes), so C2 never inlines it into a dispatcher, where two or three of them would
  // exhaust the budget midway through a body; the sigmoid, SiLU and GELU loops reach that size by
  // writing out the scalar exp of their tails too. Tails are scalar twins of the bodies (below): the
  // same operations in the same order, fma for fma, so an element gets the same bits in a body or a
  // tail. Nor is a·b + c a call: MulAdd's vector helper was exactly such an ordinary method, and in the
  // larger loops (more so with a multiply and an add in place of each fma) C2 reached the node cutoff
  // midway and left some of its calls in place, boxing a vector per iteration in some JVMs and not in
  // others. Each body spells out FUSED ? a.fma(b, c) : a.mul(b).add(c) instead; FUSED is a constant, so
  // C2 parses one side only. SteadyStateAllocationTest checks all of this on every kernel.

  static float expScalar(float x) {
    float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
    float z = fma(xc, LOG2E, ROUND_SHIFT);
    float n = z - ROUND_SHIFT;
    float r = fma(n, -LN2_HI, xc);
    r = fma(n, -LN2_LO, r);
    float p = fma(fma(fma(fma(fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
    p = p * (r * r) + r + 1f;
    float e = Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(z) << 23));
    return x < EXP_LO ? 0f : x > EXP_HI ? Float.POSITIVE_INFINITY : e;
  }

  static float tanhScalar(float x) {
    float a = Math.abs(x);
    float a2 = a * a;
    float t;
    if (a < TANH_SMALL) {
      float q = fma(fma(fma(fma(a2, T4, T3), a2, T2), a2, T1), a2, T0);
      t = fma(q * a2, a, a);
    } else {
      t = 1f - 2f / (expScalar(a + a) + 1f);
    }
    return x < 0f ? -t : t;
  }

  /** −2u = −2√(2/π)(z + 0.044715z³), as z·(k₁ + k₂z²) with three roundings. */
  private static float minusTwoU(float z) {
    return fma(z * z, MINUS_TWO_C_A, MINUS_TWO_C) * z;
  }

  /** 1 − σ = e/(1 + e) for e = e^(−x), as 1/(1 + 1/e): accurate when σ is close to 1, and 0/∞-safe. */
  private static float oneMinusSigmoid(float e) {
    return 1f / (1f / e + 1f);
  }

  /** h[i] = act(z[i]) for n elements; the switch picks a loop specialised to the activation. */
  static void activate(Activation act, int n, float[] z, int zOff, float[] h, int hOff) {
    switch (act) {
      case IDENTITY:
        if (z != h || zOff != hOff) {
          System.arraycopy(z, zOff, h, hOff, n);
        }
        break;
      case RELU: relu(n, z, zOff, null, 0, h, hOff); break;
      case LEAKY_RELU: leakyRelu(n, z, zOff, null, 0, h, hOff); break;
      case TANH: tanh(n, z, zOff, h, hOff); break;
      case SIGMOID: sigmoid(n, z, zOff, h, hOff); break;
      case GELU: gelu(n, z, zOff, h, hOff); break;
      case SILU: silu(n, z, zOff, h, hOff); break;
      default: throw new AssertionError(act);
    }
  }

  /**
   * Y = act(Y + bias) row by row (bias may be null). The piecewise-linear activations fuse the bias into
   * their loop; the others add it in a first pass over the row, which costs little next to exp and keeps
   * their loops to one body, and then run over the whole block at once when its rows are contiguous.
   */
  static void biasActivate(Activation act, int rows, int cols, float[] bias, int bOff, float[] y,
      int yOff, int ld) {
    if (act == Activation.RELU || act == Activation.LEAKY_RELU
        || act == Activation.IDENTITY || bias != null) {
      for (int r = 0; r < rows; r++) {
        int yi = yOff + r * ld;
        if (act == Activation.RELU) {
          relu(cols, y, yi, bias, bOff, y, yi);
        } else if (act == Activation.LEAKY_RELU) {
          leakyRelu(cols, y, yi, bias, bOff, y, yi);
        } else if (bias != null) {
          addBias(cols, bias, bOff, y, yi);
        }
      }
    }
    if (act == Activation.RELU || act == Activation.LEAKY_RELU || act == Activation.IDENTITY) {
      return;
    }
    if (ld == cols) {
      activate(act, rows * cols, y, yOff, y, yOff);
    } else {
      for (int r = 0; r < rows; r++) {
        activate(act, cols, y, yOff + r * ld, y, yOff + r * ld);
      }
    }
  }

  private static void addBias(int n, float[] bias, int bOff, float[] y, int yOff) {
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, bias, bOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += bias[bOff + i];
    }
  }

  /** h = max-style ReLU of z (+ bias): x if x > 0, else 0 (NaN gives 0, as in the scalar kernels). */
  private static void relu(int n, float[] z, int zOff, float[] bias, int bOff, float[] h, int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    if (bias == null) {
      for (; i < nb; i += V) {
        FloatVector x = FloatVector.fromArray(S, z, zOff + i);
        ZERO.blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(h, hOff + i);
      }
      for (; i < n; i++) {
        float x = z[zOff + i];
        h[hOff + i] = x > 0f ? x : 0f;
      }
    } else {
      for (; i < nb; i += V) {
        FloatVector x = FloatVector.fromArray(S, z, zOff + i).add(FloatVector.fromArray(S, bias, bOff + i));
        ZERO.blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(h, hOff + i);
      }
      for (; i < n; i++) {
        float x = z[zOff + i] + bias[bOff + i];
        h[hOff + i] = x > 0f ? x : 0f;
      }
    }
  }

  private static void leakyRelu(int n, float[] z, int zOff, float[] bias, int bOff, float[] h,
      int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    if (bias == null) {
      for (; i < nb; i += V) {
        FloatVector x = FloatVector.fromArray(S, z, zOff + i);
        x.mul(Activation.LEAKY_SLOPE).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(h, hOff + i);
      }
      for (; i < n; i++) {
        float x = z[zOff + i];
        h[hOff + i] = x > 0f ? x : x * Activation.LEAKY_SLOPE;
      }
    } else {
      for (; i < nb; i += V) {
        FloatVector x = FloatVector.fromArray(S, z, zOff + i).add(FloatVector.fromArray(S, bias, bOff + i));
        x.mul(Activation.LEAKY_SLOPE).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(h, hOff + i);
      }
      for (; i < n; i++) {
        float x = z[zOff + i] + bias[bOff + i];
        h[hOff + i] = x > 0f ? x : x * Activation.LEAKY_SLOPE;
      }
    }
  }

  /** tanh: the odd polynomial below TANH_SMALL, 1 − 2/(e^(2a) + 1) above, the sign put back. */
  private static void tanh(int n, float[] z, int zOff, float[] h, int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector a = x.abs();
      FloatVector a2 = a.mul(a);
      FloatVector q = FUSED ? a2.fma(T4V, T3V) : a2.mul(T4V).add(T3V);
      q = FUSED ? q.fma(a2, T2V) : q.mul(a2).add(T2V);
      q = FUSED ? q.fma(a2, T1V) : q.mul(a2).add(T1V);
      q = FUSED ? q.fma(a2, T0V) : q.mul(a2).add(T0V);
      q = q.mul(a2);
      FloatVector small = FUSED ? q.fma(a, a) : q.mul(a).add(a);
      FloatVector u = a.add(a);
      // e = e^u, the exp of expScalar written out for u = 2|x| ≥ 0: no underflow, and where u > EXP_HI the
      // clamped e ≈ 3.4e38 gives the same t = 1 as e = ∞ would
      FloatVector xc = u.min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats();
      FloatVector large = ONE.sub(TWO.div(e.add(ONE)));
      FloatVector t = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL_V));
      t.blend(t.neg(), x.compare(VectorOperators.LT, ZERO)).intoArray(h, hOff + i);
    }
    for (; i < n; i++) {
      h[hOff + i] = tanhScalar(z[zOff + i]);
    }
  }

  /** σ(z) = 1/(1 + e^(−z)). */
  private static void sigmoid(int n, float[] z, int zOff, float[] h, int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector u = x.neg();
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      ONE.div(e.add(ONE)).intoArray(h, hOff + i);
    }
    for (; i < n; i++) {
      float x = z[zOff + i];
      float u = -x;
      // e = expScalar(u), written out (see "How the loops are written")
      float sxc = Math.min(Math.max(u, EXP_LO), EXP_HI);
      float sz = fma(sxc, LOG2E, ROUND_SHIFT);
      float sn = sz - ROUND_SHIFT;
      float sr = fma(sn, -LN2_HI, sxc);
      sr = fma(sn, -LN2_LO, sr);
      float sp = fma(fma(fma(fma(fma(sr, P0, P1), sr, P2), sr, P3), sr, P4), sr, P5);
      sp = sp * (sr * sr) + sr + 1f;
      float e = u < EXP_LO ? 0f : u > EXP_HI ? Float.POSITIVE_INFINITY
          : Float.intBitsToFloat(Float.floatToRawIntBits(sp) + (Float.floatToRawIntBits(sz) << 23));
      h[hOff + i] = 1f / (e + 1f);
    }
  }

  /**
   * GELU as z·σ(2u) = z/(1 + e^(−2u)): the same function as 0.5·z·(1 + tanh u), without its
   * cancellation for z ≪ 0.
   */
  private static void gelu(int n, float[] z, int zOff, float[] h, int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector x2 = x.mul(x);
      FloatVector u = (FUSED ? x2.fma(MINUS_TWO_C_A_V, MINUS_TWO_C_V)
          : x2.mul(MINUS_TWO_C_A_V).add(MINUS_TWO_C_V)).mul(x);
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      x.div(e.add(ONE)).intoArray(h, hOff + i);
    }
    for (; i < n; i++) {
      float x = z[zOff + i];
      float u = minusTwoU(x);
      // e = expScalar(u), written out (see "How the loops are written")
      float sxc = Math.min(Math.max(u, EXP_LO), EXP_HI);
      float sz = fma(sxc, LOG2E, ROUND_SHIFT);
      float sn = sz - ROUND_SHIFT;
      float sr = fma(sn, -LN2_HI, sxc);
      sr = fma(sn, -LN2_LO, sr);
      float sp = fma(fma(fma(fma(fma(sr, P0, P1), sr, P2), sr, P3), sr, P4), sr, P5);
      sp = sp * (sr * sr) + sr + 1f;
      float e = u < EXP_LO ? 0f : u > EXP_HI ? Float.POSITIVE_INFINITY
          : Float.intBitsToFloat(Float.floatToRawIntBits(sp) + (Float.floatToRawIntBits(sz) << 23));
      h[hOff + i] = x / (e + 1f);
    }
  }

  /** SiLU z·σ(z) = z/(1 + e^(−z)). */
  private static void silu(int n, float[] z, int zOff, float[] h, int hOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector u = x.neg();
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      x.div(e.add(ONE)).intoArray(h, hOff + i);
    }
    for (; i < n; i++) {
      float x = z[zOff + i];
      float u = -x;
      // e = expScalar(u), written out (see "How the loops are written")
      float sxc = Math.min(Math.max(u, EXP_LO), EXP_HI);
      float sz = fma(sxc, LOG2E, ROUND_SHIFT);
      float sn = sz - ROUND_SHIFT;
      float sr = fma(sn, -LN2_HI, sxc);
      sr = fma(sn, -LN2_LO, sr);
      float sp = fma(fma(fma(fma(fma(sr, P0, P1), sr, P2), sr, P3), sr, P4), sr, P5);
      sp = sp * (sr * sr) + sr + 1f;
      float e = u < EXP_LO ? 0f : u > EXP_HI ? Float.POSITIVE_INFINITY
          : Float.intBitsToFloat(Float.floatToRawIntBits(sp) + (Float.floatToRawIntBits(sz) << 23));
      h[hOff + i] = x / (e + 1f);
    }
  }

  /**
   * dz[i] = dh[i]·act'(z[i]); tanh and sigmoid derive from h = act(z), the others from z. 1 − s is
   * computed as 1/(1 + 1/e) with e = e^(−x) for the sigmoid-based derivatives, so it keeps its relative
   * accuracy when s is close to 1.
   */
  static void backward(Activation act, int n, float[] z, int zOff, float[] h, int hOff, float[] dh,
      int dhOff, float[] dz, int dzOff) {
    switch (act) {
      case IDENTITY:
        if (dh != dz || dhOff != dzOff) {
          System.arraycopy(dh, dhOff, dz, dzOff, n);
        }
        break;
      case RELU: reluBackward(n, z, zOff, dh, dhOff, dz, dzOff); break;
      case LEAKY_RELU: leakyReluBackward(n, z, zOff, dh, dhOff, dz, dzOff); break;
      case TANH: tanhBackward(n, h, hOff, dh, dhOff, dz, dzOff); break;
      case SIGMOID: sigmoidBackward(n, h, hOff, dh, dhOff, dz, dzOff); break;
      case GELU: geluBackward(n, z, zOff, dh, dhOff, dz, dzOff); break;
      case SILU: siluBackward(n, z, zOff, dh, dhOff, dz, dzOff); break;
      default: throw new AssertionError(act);
    }
  }

  private static void reluBackward(int n, float[] z, int zOff, float[] dh, int dhOff, float[] dz,
      int dzOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector g = FloatVector.fromArray(S, dh, dhOff + i);
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      ZERO.blend(g, x.compare(VectorOperators.GT, 0f)).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      dz[dzOff + i] = z[zOff + i] > 0f ? dh[dhOff + i] : 0f;
    }
  }

  private static void leakyReluBackward(int n, float[] z, int zOff, float[] dh, int dhOff, float[] dz,
      int dzOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector g = FloatVector.fromArray(S, dh, dhOff + i);
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      g.mul(Activation.LEAKY_SLOPE).blend(g, x.compare(VectorOperators.GT, 0f)).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      float g = dh[dhOff + i];
      dz[dzOff + i] = z[zOff + i] > 0f ? g : g * Activation.LEAKY_SLOPE;
    }
  }

  /** tanh' = 1 − t², from t = tanh z. */
  private static void tanhBackward(int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz,
      int dzOff) {
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector t = FloatVector.fromArray(S, h, hOff + i);
      FloatVector nt = t.neg();
      FloatVector d = FUSED ? nt.fma(t, ONE) : nt.mul(t).add(ONE);
      FloatVector.fromArray(S, dh, dhOff + i).mul(d).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      float t = h[hOff + i];
      dz[dzOff + i] = dh[dhOff + i] * fma(-t, t, 1f);
    }
  }

  /** σ' = s(1 − s), from s = σ(z). */
  private static void sigmoidBackward(int n, float[] h, int hOff, float[] dh, int dhOff, float[] dz,
      int dzOff) {
    int nb = S.loopBound(n);
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector s = FloatVector.fromArray(S, h, hOff + i);
      FloatVector.fromArray(S, dh, dhOff + i).mul(s).mul(ONE.sub(s)).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      float s = h[hOff + i];
      dz[dzOff + i] = dh[dhOff + i] * s * (1f - s);
    }
  }

  /** d/dz [z·σ(2u)] = σ(2u) + 2z·σ(2u)(1 − σ(2u))·u', u' = √(2/π)(1 + 3·0.044715z²). */
  private static void geluBackward(int n, float[] z, int zOff, float[] dh, int dhOff, float[] dz, int dzOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector x2 = x.mul(x);
      FloatVector du2 = FUSED ? x2.fma(TWO_C_3A_V, TWO_C_V) : x2.mul(TWO_C_3A_V).add(TWO_C_V);
      FloatVector u = (FUSED ? x2.fma(MINUS_TWO_C_A_V, MINUS_TWO_C_V)
          : x2.mul(MINUS_TWO_C_A_V).add(MINUS_TWO_C_V)).mul(x);
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      FloatVector s = ONE.div(e.add(ONE));
      FloatVector oneMinusS = ONE.div(ONE.div(e).add(ONE));
      FloatVector d = s.mul(x.mul(oneMinusS).mul(du2).add(ONE));
      FloatVector.fromArray(S, dh, dhOff + i).mul(d).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      float x = z[zOff + i];
      float du2 = fma(x * x, TWO_C_3A, TWO_C);
      float e = expScalar(minusTwoU(x));
      float s = 1f / (e + 1f);
      dz[dzOff + i] = dh[dhOff + i] * (s * (x * oneMinusSigmoid(e) * du2 + 1f));
    }
  }

  /** d/dz [z·σ(z)] = σ(z)·(1 + z(1 − σ(z))). */
  private static void siluBackward(int n, float[] z, int zOff, float[] dh, int dhOff, float[] dz, int dzOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    int i = 0;
    for (; i < nb; i += V) {
      FloatVector x = FloatVector.fromArray(S, z, zOff + i);
      FloatVector u = x.neg();
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      FloatVector s = ONE.div(e.add(ONE));
      FloatVector oneMinusS = ONE.div(ONE.div(e).add(ONE));
      FloatVector.fromArray(S, dh, dhOff + i).mul(s).mul(x.mul(oneMinusS).add(ONE)).intoArray(dz, dzOff + i);
    }
    for (; i < n; i++) {
      float x = z[zOff + i];
      float e = expScalar(-x);
      float s = 1f / (e + 1f);
      dz[dzOff + i] = dh[dhOff + i] * s * (x * oneMinusSigmoid(e) + 1f);
    }
  }

  /**
   * Row-wise softmax (or log-softmax) of contiguous rows, shifted by the row maximum. Each pass over a
   * row is a method of its own, so the one with exp in it compiles with room to spare.
   */
  static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff, boolean log) {
    for (int row = 0; row < rows; row++) {
      int xi = xOff + row * cols;
      int yi = yOff + row * cols;
      float max = rowMax(cols, x, xi);
      float sum = expShifted(cols, x, xi, max, log ? null : y, yi);
      if (log) {
        shiftRow(cols, x, xi, max + (float) Math.log(sum), y, yi);
      } else {
        scaleRow(cols, 1f / sum, y, yi);
      }
    }
  }

  private static float rowMax(int n, float[] x, int xOff) {
    float max = Float.NEGATIVE_INFINITY;
    int j = 0;
    if (COMPARES) {
      int nb = S.loopBound(n);
      FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (; j < nb; j += V) {
        vmax = vmax.max(FloatVector.fromArray(S, x, xOff + j));
      }
      max = vmax.reduceLanes(VectorOperators.MAX);
    }
    for (; j < n; j++) {
      max = Math.max(max, x[xOff + j]);
    }
    return max;
  }

  /** Σ e^(x[j] − shift), each term also stored in y unless y is null. */
  private static float expShifted(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
    int nb = COMPARES ? S.loopBound(n) : 0;
    FloatVector vshift = FloatVector.broadcast(S, shift);
    // The sum is a scalar carried by the loop: with a vector accumulator next to the exp body, C2 was
    // seen to leave vectors boxed in this loop on JDK 17.
    float sum = 0f;
    int j = 0;
    for (; j < nb; j += V) {
      FloatVector u = FloatVector.fromArray(S, x, xOff + j).sub(vshift);
      // e = e^u, the exp of expScalar written out
      FloatVector xc = u.max(EXP_LO_V).min(EXP_HI_V);
      FloatVector ez = FUSED ? xc.fma(LOG2E_V, ROUND_SHIFT_V) : xc.mul(LOG2E_V).add(ROUND_SHIFT_V);
      FloatVector en = ez.sub(ROUND_SHIFT_V);
      FloatVector r = FUSED ? en.fma(NEG_LN2_HI, xc) : en.mul(NEG_LN2_HI).add(xc);
      r = FUSED ? en.fma(NEG_LN2_LO, r) : en.mul(NEG_LN2_LO).add(r);
      FloatVector p = FUSED ? r.fma(P0V, P1V) : r.mul(P0V).add(P1V);
      p = FUSED ? p.fma(r, P2V) : p.mul(r).add(P2V);
      p = FUSED ? p.fma(r, P3V) : p.mul(r).add(P3V);
      p = FUSED ? p.fma(r, P4V) : p.mul(r).add(P4V);
      p = FUSED ? p.fma(r, P5V) : p.mul(r).add(P5V);
      p = p.mul(r.mul(r)).add(r).add(ONE);
      FloatVector e = p.reinterpretAsInts().add(ez.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
          .reinterpretAsFloats().blend(ZERO, u.compare(VectorOperators.LT, EXP_LO_V))
          .blend(INFINITY, u.compare(VectorOperators.GT, EXP_HI_V));
      if (y != null) {
        e.intoArray(y, yOff + j);
      }
      sum += e.reduceLanes(VectorOperators.ADD);
    }
    for (; j < n; j++) {
      float e = expScalar(x[xOff + j] - shift);
      if (y != null) {
        y[yOff + j] = e;
      }
      sum += e;
    }
    return sum;
  }

  /** y[j] = x[j] − shift. */
  private static void shiftRow(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
    int nb = S.loopBound(n);
    int j = 0;
    for (; j < nb; j += V) {
      FloatVector.fromArray(S, x, xOff + j).sub(shift).intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] = x[xOff + j] - shift;
    }
  }

  /** y[j] *= factor. */
  private static void scaleRow(int n, float factor, float[] y, int yOff) {
    int nb = S.loopBound(n);
    int j = 0;
    for (; j < nb; j += V) {
      FloatVector.fromArray(S, y, yOff + j).mul(factor).intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] *= factor;
    }
  }
}
