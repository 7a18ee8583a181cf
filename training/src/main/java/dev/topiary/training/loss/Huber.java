package dev.topiary.training.loss;

/**
 * Huber loss with threshold δ: ½r² for |r| ≤ δ, δ·(|r| − ½δ) beyond, with r = z − y; mean over all
 * elements. Quadratic near the target, linear (bounded gradient ±δ) for outliers.
 */
final class Huber implements Loss {

  private final double delta;

  Huber(double delta) {
    if (!(delta > 0 && Double.isFinite(delta))) {
      throw new IllegalArgumentException("Huber delta must be finite and > 0, found " + delta);
    }
    this.delta = delta;
  }

  @Override
  public double evaluate(int rows, int cols, float[] output, int[] labels, float[] targets, float[] grad) {
    Loss.check(this, false, rows, cols, output, labels, targets, grad);
    int n = rows * cols;
    double inv = 1.0 / n;
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
      double r = (double) output[k] - targets[k];
      double a = Math.abs(r);
      if (a <= delta) {
        sum += 0.5 * r * r;
        grad[k] = (float) (r * inv);
      } else {
        sum += delta * (a - 0.5 * delta);
        grad[k] = (float) (Math.copySign(delta, r) * inv);
      }
    }
    return sum * inv;
  }

  @Override
  public boolean supports(dev.topiary.core.model.Task task) {
    return !task.isClassification();
  }

  @Override
  public String name() {
    return "huber(" + delta + ")";
  }
}
