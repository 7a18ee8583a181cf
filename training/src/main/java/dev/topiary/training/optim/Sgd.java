package dev.topiary.training.optim;

import dev.topiary.kernels.Kernels;

/**
 * Stochastic gradient descent with momentum, in the form PyTorch uses (no dampening):
 * <pre>
 *   g ← ∇ + λ·w                  (L2 weight decay, coupled)
 *   v ← μ·v + g
 *   d ← g + μ·v  (Nesterov)   or   d ← v  (heavy ball)
 *   w ← w − η·d
 * </pre>
 * With μ = 0 this is plain SGD, w ← w − η·g. The gradient arrays are used as scratch and hold d after a
 * step.
 *
 * @param learningRate η &gt; 0
 * @param momentum μ in [0, 1)
 * @param nesterov whether to use Nesterov's look-ahead form (needs μ &gt; 0)
 * @param weightDecay λ ≥ 0
 */
public record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay)
    implements Optimizer {

  /** Checks the ranges. */
  public Sgd {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("SGD learning rate must be finite and > 0, found " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("SGD momentum must be in [0, 1), found " + momentum);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, found " + weightDecay);
    }
  }

  @Override
  public Sgd withLearningRate(double lr) {
    return new Sgd(lr, momentum, nesterov, weightDecay);
  }

  @Override
  public OptimizerState start(float[][] parameters, float[][] gradients) {
    return new State(parameters, gradients);
  }

  private final class State extends BufferedState {
    private final float[][] v;

    State(float[][] p, float[][] g) {
      super(p, g, momentum > 0 ? 1 : 0);
      this.v = momentum > 0 ? buffer(0) : null;
    }

    @Override
    public void step(float lr) {
      float mu = (float) momentum;
      float wd = (float) weightDecay;
      for (int i = 0; i < p.length; i++) {
        int n = p[i].length;
        if (wd != 0f) {
          Kernels.axpy(n, wd, p[i], 0, g[i], 0);
        }
        if (mu == 0f) {
          Kernels.axpy(n, -lr, g[i], 0, p[i], 0);
          continue;
        }
        Kernels.scale(n, mu, v[i], 0);
        Kernels.axpy(n, 1f, g[i], 0, v[i], 0);
        if (nesterov) {
          Kernels.axpy(n, mu, v[i], 0, g[i], 0);
          Kernels.axpy(n, -lr, g[i], 0, p[i], 0);
        } else {
          Kernels.axpy(n, -lr, v[i], 0, p[i], 0);
        }
      }
      steps++;
    }
  }
}
