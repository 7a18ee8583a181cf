package dev.topiary.methods.complexity;

/** Sees each epoch of complexity-aware training as it ends (for progress lines with the live size). */
@FunctionalInterface
public interface ComplexityAwareListener {

  /** Called after each epoch with its figures; {@code of} is the number of epochs planned. */
  void onEpochEnd(ComplexityAwareResult.Epoch epoch, int of);
}
