package dev.topiary.training;

import dev.topiary.core.model.Task;

/** What a validation pass measures, for reports and early stopping. */
public enum ValidationMetric {
  /** The training loss on the validation set (lower is better). */
  LOSS(false),
  /** Fraction of rows whose largest output is the true class (classification; higher is better). */
  ACCURACY(true),
  /** Coefficient of determination 1 − SSE/SST, averaged over outputs (regression; higher is better). */
  R2(true),
  /** Mean squared error in the targets' raw units (regression; lower is better). */
  MSE(false);

  private final boolean higherIsBetter;

  ValidationMetric(boolean higherIsBetter) {
    this.higherIsBetter = higherIsBetter;
  }

  /** True when a larger value is better. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when the metric is defined for the task. */
  public boolean appliesTo(Task task) {
    switch (this) {
      case ACCURACY: return task.isClassification();
      case R2: case MSE: return !task.isClassification();
      default: return true;
    }
  }

  /** True when {@code candidate} beats {@code best} by more than {@code minDelta}. */
  public boolean improves(double candidate, double best, double minDelta) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
  }
}
