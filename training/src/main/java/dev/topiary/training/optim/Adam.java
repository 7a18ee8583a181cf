package dev.topiary.training.optim;

import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;

/**
 * Adam (Kingma &amp; Ba 2015) and AdamW (Loshchilov &amp; Hutter 2019), one fused {@link Kernels#adam}
 * call per tensor. At step t:
 * <pre>
 *   g ← ∇ + λ·w                      (Adam only: L2 decay enters the moments)
 *   m ← β₁·m + (1−β₁)·g,   v ← β₂·v + (1−β₂)·g²
 *   w ← w − η·( m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε)  + λ·w )    (the λ·w term for AdamW only)
 * </pre>
 *
 * @param learningRate η &gt; 0
 * @param beta1 β₁ in [0, 1)
 * @param beta2 β₂ in [0, 1)
 * @param epsilon ε &gt; 0
 * @param weightDecay λ ≥ 0
 * @param decoupled true for AdamW (decay applied to the weights), false for Adam with L2 in the gradient
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
    boolean decoupled) implements Optimizer {

  /** Checks the ranges. */
  public Adam {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("Adam learning rate must be finite and > 0, found " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam epsilon must be > 0, found " + epsilon);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, found " + weightDecay);
    }
  }

  @Override
  public Adam withLearningRate(double lr) {
    return new Adam(lr, beta1, beta2, epsilon, weightDecay, decoupled);
  }

  @Override
  public OptimizerState start(float[][] parameters, float[][] gradients) {
    return new State(parameters, gradients);
  }

  private final class State extends BufferedState {
    private final float[][] m;
    private final float[][] v;

    State(float[][] p, float[][] g) {
      super(p, g, 2);
      this.m = buffer(0);
      this.v = buffer(1);
    }

    @Override
    public void step(float lr) {
      step(lr, Parallelism.sequential());
    }

    @Override
    public void step(float lr, Parallelism parallelism) {
      steps++;
      for (int i = 0; i < p.length; i++) {
        Kernels.adam(p[i].length, p[i], 0, g[i], 0, m[i], 0, v[i], 0, lr, (float) beta1, (float) beta2,
            (float) epsilon, (float) weightDecay, decoupled, steps, parallelism);
      }
    }
  }
}
