package dev.topiary.training.loss;

import dev.topiary.kernels.Kernels;

/**
 * Softmax cross-entropy computed from logits in one fused, stable step: with ℓ = logSoftmax(z) (which
 * subtracts the row maximum), the loss of a row is −ℓ[y] and its gradient is softmax(z) − onehot(y),
 * divided by the batch size for the mean.
 */
final class SoftmaxCrossEntropy implements Loss {

  static final SoftmaxCrossEntropy INSTANCE = new SoftmaxCrossEntropy();

  private SoftmaxCrossEntropy() {}

  @Override
  public double evaluate(int rows, int cols, float[] output, int[] labels, float[] targets, float[] grad) {
    Loss.check(this, true, rows, cols, output, labels, targets, grad);
    Kernels.logSoftmaxRows(rows, cols, output, 0, grad, 0);
    double sum = 0.0;
    float inv = 1f / rows;
    for (int i = 0; i < rows; i++) {
      int y = labels[i];
      if (y < 0 || y >= cols) {
        throw new IllegalArgumentException(name() + ": row " + i + " has label " + y + " outside [0, " + cols + ")");
      }
      int r = i * cols;
      sum -= grad[r + y];
      for (int j = 0; j < cols; j++) {
        grad[r + j] = (float) Math.exp(grad[r + j]) * inv;
      }
      grad[r + y] -= inv;
    }
    return sum / rows;
  }

  @Override
  public boolean supports(dev.topiary.core.model.Task task) {
    return task.isClassification();
  }

  @Override
  public String name() {
    return "softmax-cross-entropy";
  }
}
