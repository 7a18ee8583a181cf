package dev.topiary.training.loss;

/**
 * Binary cross-entropy from logits, one independent Bernoulli per output element, in the stable form
 * max(z, 0) − z·y + log(1 + e^(−|z|)) that never exponentiates a positive number. Its gradient is
 * sigmoid(z) − y. The mean runs over all rows × cols elements.
 *
 * <p>Targets are reals in [0, 1]; when labels are given instead, the target of column j in row i is 1 if
 * label i equals j, else 0 (one-vs-rest).
 */
final class BinaryCrossEntropy implements Loss {

  static final BinaryCrossEntropy INSTANCE = new BinaryCrossEntropy();

  private BinaryCrossEntropy() {}

  @Override
  public double evaluate(int rows, int cols, float[] output, int[] labels, float[] targets, float[] grad) {
    Loss.check(this, labels != null, rows, cols, output, labels, targets, grad);
    int n = rows * cols;
    double sum = 0.0;
    float inv = 1f / n;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int k = i * cols + j;
        double z = output[k];
        double y = labels != null ? (labels[i] == j ? 1.0 : 0.0) : targets[k];
        sum += Math.max(z, 0.0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        double s = z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
        grad[k] = (float) (s - y) * inv;
      }
    }
    return sum / n;
  }

  @Override
  public boolean supports(dev.topiary.core.model.Task task) {
    return true;
  }

  @Override
  public String name() {
    return "binary-cross-entropy";
  }
}
