package dev.topiary.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Optimiser steps against their formulas, evaluated in double precision, and hand-worked examples. */
class OptimizerTest {

  private static final double U = Math.ulp(1f) / 2;

  @Property(tries = 100, seed = "20261101")
  void sgdFollowsItsFormula(@ForAll long seed, @ForAll @IntRange(min = 1, max = 37) int n,
      @ForAll @IntRange(min = 1, max = 6) int steps, @ForAll boolean nesterov, @ForAll boolean momentum,
      @ForAll boolean decay) {
    Random r = new Random(seed);
    double lr = 0.01 + 0.2 * r.nextDouble();
    double mu = momentum || nesterov ? 0.5 + 0.45 * r.nextDouble() : 0.0;
    double wd = decay ? 0.1 * r.nextDouble() : 0.0;
    Sgd sgd = Optimizer.sgd(lr, mu, nesterov, wd);
    float[] p = gaussian(r, n);
    float[] g = new float[n];
    OptimizerState state = sgd.start(new float[][] {p}, new float[][] {g});
    double[] w = toDouble(p);
    double[] v = new double[n];
    for (int s = 0; s < steps; s++) {
      float[] grad = gaussian(r, n);
      System.arraycopy(grad, 0, g, 0, n);
      state.step((float) lr);
      for (int i = 0; i < n; i++) {
        double gi = grad[i] + wd * w[i];
        v[i] = mu * v[i] + gi;
        double d = mu == 0 ? gi : nesterov ? gi + mu * v[i] : v[i];
        w[i] -= lr * d;
      }
      assertClose(w, p, 16 * U * (s + 1) * (1 + maxAbs(w) + maxAbs(v)));
    }
    assertEquals(steps, state.steps());
  }

  @Property(tries = 100, seed = "20261102")
  void adamAndAdamWFollowTheirFormulas(@ForAll long seed, @ForAll @IntRange(min = 1, max = 37) int n,
      @ForAll @IntRange(min = 1, max = 6) int steps, @ForAll boolean decoupled, @ForAll boolean decay) {
    Random r = new Random(seed);
    double lr = 0.001 + 0.05 * r.nextDouble();
    double b1 = 0.8 + 0.15 * r.nextDouble();
    double b2 = 0.9 + 0.099 * r.nextDouble();
    double eps = 1e-8;
    double wd = decay ? 0.1 * r.nextDouble() : 0.0;
    Adam adam = new Adam(lr, b1, b2, eps, wd, decoupled);
    float[] p = gaussian(r, n);
    float[] g = new float[n];
    OptimizerState state = adam.start(new float[][] {p}, new float[][] {g});
    double[] w = toDouble(p);
    double[] m = new double[n];
    double[] v = new double[n];
    for (int t = 1; t <= steps; t++) {
      float[] grad = gaussian(r, n);
      System.arraycopy(grad, 0, g, 0, n);
      state.step((float) lr);
      for (int i = 0; i < n; i++) {
        double gi = grad[i] + (decoupled ? 0 : wd * w[i]);
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        double mh = m[i] / (1 - Math.pow(b1, t));
        double vh = v[i] / (1 - Math.pow(b2, t));
        w[i] -= lr * (mh / (Math.sqrt(vh) + eps) + (decoupled ? wd * w[i] : 0));
      }
      // Each step moves a weight by at most about lr·(1/(1−β₁)) and rounds relative to that.
      assertClose(w, p, 64 * U * t * (1 + maxAbs(w)) / (1 - b1));
    }
  }

  @Example
  void sgdMomentumByHand() {
    float[] p = {1f};
    float[] g = {1f};
    OptimizerState s = Optimizer.sgd(0.1, 0.9, false, 0).start(new float[][] {p}, new float[][] {g});
    s.step(0.1f);
    assertEquals(0.9f, p[0], 1e-6f);
    g[0] = 1f;
    s.step(0.1f);
    assertEquals(0.71f, p[0], 1e-6f); // v = 0.9·1 + 1 = 1.9
  }

  @Example
  void sgdNesterovByHand() {
    float[] p = {1f};
    float[] g = {1f};
    OptimizerState s = Optimizer.sgd(0.1, 0.9, true, 0).start(new float[][] {p}, new float[][] {g});
    s.step(0.1f);
    assertEquals(0.81f, p[0], 1e-6f); // v = 1, d = 1 + 0.9·1
    g[0] = 1f;
    s.step(0.1f);
    assertEquals(0.539f, p[0], 1e-6f); // v = 1.9, d = 1 + 0.9·1.9 = 2.71
  }

  @Example
  void adamFirstStepMovesByTheLearningRate() {
    float[] p = {1f, -2f};
    float[] g = {0.5f, -3f};
    OptimizerState s = Optimizer.adam(0.1).start(new float[][] {p}, new float[][] {g});
    s.step(0.1f);
    // m̂ = g and v̂ = g², so the step is lr·g/|g| = ±lr.
    assertEquals(0.9f, p[0], 1e-6f);
    assertEquals(-1.9f, p[1], 1e-6f);
  }

  @Example
  void adamWDecaysTheWeightsApartFromTheGradient() {
    float[] p = {2f};
    float[] g = {0f};
    OptimizerState s = Optimizer.adamW(0.1, 0.5).start(new float[][] {p}, new float[][] {g});
    s.step(0.1f);
    assertEquals(2f - 0.1f * 0.5f * 2f, p[0], 1e-6f); // zero gradient: only lr·λ·w
  }

  @Example
  void rejectsBadHyperParametersAndMismatchedTensors() {
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(-1));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1, 1.0, false, 0));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1, 0, true, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1.0, 0.9, 1e-8, 0, true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizer.adam(0.1).start(new float[][] {new float[3]}, new float[][] {new float[2]}));
    assertEquals("tensor 0: parameter has 3 values, gradient has 2", e.getMessage());
  }

  private static float[] gaussian(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(double[] expected, float[] actual, double tol) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }
}
