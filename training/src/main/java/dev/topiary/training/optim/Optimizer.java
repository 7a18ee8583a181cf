package dev.topiary.training.optim;

/**
 * An optimiser's hyper-parameters: an immutable value that {@linkplain #start starts} the mutable state
 * of one run over a fixed list of parameter tensors. The learning rate given here is the base rate; a
 * {@code Schedule} scales it step by step.
 */
public sealed interface Optimizer permits Sgd, Adam {

  /** The base learning rate. */
  double learningRate();

  /** The weight decay coefficient (0 for none); see each optimiser for how it enters the update. */
  double weightDecay();

  /** The same optimiser with another base learning rate. */
  Optimizer withLearningRate(double learningRate);

  /**
   * Fresh state (zero momentum, step 0) for updating {@code parameters[i]} from {@code gradients[i]}.
   * The arrays are held, not copied: each {@link OptimizerState#step} reads the gradient arrays as they
   * are then and updates the parameter arrays in place.
   *
   * @throws IllegalArgumentException if the lists differ in length or a pair differs in size
   */
  OptimizerState start(float[][] parameters, float[][] gradients);

  /** Plain SGD without momentum or weight decay. */
  static Sgd sgd(double learningRate) {
    return new Sgd(learningRate, 0, false, 0);
  }

  /** SGD with (heavy-ball or Nesterov) momentum and L2 weight decay. */
  static Sgd sgd(double learningRate, double momentum, boolean nesterov, double weightDecay) {
    return new Sgd(learningRate, momentum, nesterov, weightDecay);
  }

  /** Adam with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and no weight decay. */
  static Adam adam(double learningRate) {
    return new Adam(learningRate, 0.9, 0.999, 1e-8, 0, false);
  }

  /** AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019). */
  static Adam adamW(double learningRate, double weightDecay) {
    return new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay, true);
  }
}
