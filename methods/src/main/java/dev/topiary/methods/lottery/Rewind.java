package dev.topiary.methods.lottery;

/** What the surviving weights are reset to between lottery-ticket rounds. */
public enum Rewind {
  /** Weight rewinding: the surviving weights go back to the stored iterate (initial or early). */
  WEIGHTS,
  /**
   * Learning-rate rewinding (Renda et al. 2020): the weights stay where training left them, and only the
   * learning-rate schedule starts again from the beginning.
   */
  LEARNING_RATE
}
