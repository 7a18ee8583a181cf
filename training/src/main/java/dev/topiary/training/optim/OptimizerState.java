package dev.topiary.training.optim;

/** The mutable state of one optimiser run (momenta, step count) over a fixed list of tensors. */
public interface OptimizerState {

  /** Updates every parameter in place from its gradient with learning rate {@code lr}. */
  void step(float lr);

  /** Number of steps taken. */
  long steps();

  /**
   * Sets the state of the given elements of tensor {@code tensor} to zero, so that they carry no
   * momentum (used for masked, frozen parameters).
   */
  void clear(int tensor, int[] indices);
}
