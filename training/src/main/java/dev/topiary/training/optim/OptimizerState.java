package dev.topiary.training.optim;

import dev.topiary.kernels.Parallelism;

/** The mutable state of one optimiser run (momenta, step count) over a fixed list of tensors. */
public interface OptimizerState {

  /** Updates every parameter in place from its gradient with learning rate {@code lr}. */
  void step(float lr);

  /**
   * {@link #step(float)} on up to {@code parallelism.threads()} threads where the optimiser splits its
   * update (Adam and AdamW do; the others run on the calling thread). The result is the same on any
   * number of threads.
   */
  default void step(float lr, Parallelism parallelism) {
    step(lr);
  }

  /** Number of steps taken. */
  long steps();

  /**
   * Sets the state of the given elements of tensor {@code tensor} to zero, so that they carry no
   * momentum (used for masked, frozen parameters).
   */
  void clear(int tensor, int[] indices);

  /**
   * Takes over the state (momenta, moments, step count) of {@code previous}, a state of the same optimiser
   * over a larger network from which elements were removed: element k of tensor t here continues element
   * {@code sourceElement[t][k]} of tensor {@code sourceTensor[t]} of {@code previous}. Used when training
   * removes units and blocks physically, so that the optimiser's state follows the surviving weights.
   *
   * @throws IllegalArgumentException if {@code previous} is another kind of state, or a map has the wrong
   *     length or points outside {@code previous}'s tensors
   */
  void inherit(OptimizerState previous, int[] sourceTensor, int[][] sourceElement);
}
