package dev.topiary.training.loss;

/** Mean squared error (1/n)·Σ (z − y)² over all rows × cols elements; gradient (2/n)·(z − y). */
final class MeanSquaredError implements Loss {

  static final MeanSquaredError INSTANCE = new MeanSquaredError();

  private MeanSquaredError() {}

  @Override
  public double evaluate(int rows, int cols, float[] output, int[] labels, float[] targets, float[] grad) {
    Loss.check(this, false, rows, cols, output, labels, targets, grad);
    int n = rows * cols;
    float g = 2f / n;
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
      float r = output[k] - targets[k];
      sum += (double) r * r;
      grad[k] = g * r;
    }
    return sum / n;
  }

  @Override
  public boolean supports(dev.topiary.core.model.Task task) {
    return !task.isClassification();
  }

  @Override
  public String name() {
    return "mse";
  }
}
