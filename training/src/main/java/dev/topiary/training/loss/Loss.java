package dev.topiary.training.loss;

/**
 * A training loss over a batch of network outputs: its mean value and its gradient with respect to every
 * output, both for the same batch.
 *
 * <p>The batch is {@code rows} contiguous rows of {@code cols} outputs (logits for the classification
 * losses, standardised values for the regression ones). Targets come as class indices ({@code labels},
 * one per row) or as a row-major [rows × cols] block of reals ({@code targets}); each loss says which it
 * reads. The gradient written is that of the value returned, so that back-propagation of it yields the
 * gradient of the mean loss.
 */
public interface Loss {

  /**
   * Computes the mean loss of the batch and writes ∂(mean loss)/∂output into {@code grad}.
   *
   * @param output [rows × cols] row-major, starting at index 0
   * @param labels one class index per row, or null for losses that read {@code targets}
   * @param targets [rows × cols] row-major reals, or null for losses that read {@code labels}
   * @param grad [rows × cols] destination of the gradient (also used as scratch); may not alias output
   * @return the mean loss, accumulated in double
   */
  double evaluate(int rows, int cols, float[] output, int[] labels, float[] targets, float[] grad);

  /**
   * True when the loss applies to the task: softmax cross-entropy to classification (labels), MSE and
   * Huber to regression (real targets), binary cross-entropy to both.
   */
  boolean supports(dev.topiary.core.model.Task task);

  /** A short name for reports, such as {@code softmax-cross-entropy}. */
  String name();

  /** Softmax cross-entropy from logits, for K-class classification. */
  static Loss softmaxCrossEntropy() {
    return SoftmaxCrossEntropy.INSTANCE;
  }

  /** Binary cross-entropy from logits: one independent Bernoulli per output column. */
  static Loss binaryCrossEntropy() {
    return BinaryCrossEntropy.INSTANCE;
  }

  /** Mean squared error (no ½ factor), mean over all rows × cols elements. */
  static Loss meanSquaredError() {
    return MeanSquaredError.INSTANCE;
  }

  /** Huber loss with threshold {@code delta} &gt; 0, mean over all elements. */
  static Loss huber(double delta) {
    return new Huber(delta);
  }

  /** The natural loss of a task kind: softmax cross-entropy for classification, MSE for regression. */
  static Loss forTask(dev.topiary.core.model.Task task) {
    return task.isClassification() ? softmaxCrossEntropy() : meanSquaredError();
  }

  /**
   * Checks the shared preconditions and names the offending argument.
   *
   * @param needsLabels whether the loss reads labels (else real targets)
   */
  static void check(Loss loss, boolean needsLabels, int rows, int cols, float[] output, int[] labels,
      float[] targets, float[] grad) {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(loss.name() + ": batch must be at least 1 x 1, found "
          + rows + " x " + cols);
    }
    long n = (long) rows * cols;
    if (output.length < n || grad.length < n) {
      throw new IllegalArgumentException(loss.name() + ": output and gradient need " + n
          + " values, found " + output.length + " and " + grad.length);
    }
    if (output == grad) {
      throw new IllegalArgumentException(loss.name() + ": gradient may not alias the output");
    }
    if (needsLabels) {
      if (labels == null || labels.length < rows) {
        throw new IllegalArgumentException(loss.name() + ": needs one label per row (" + rows + ")");
      }
    } else if (targets == null || targets.length < n) {
      throw new IllegalArgumentException(loss.name() + ": needs " + n + " real targets");
    }
  }
}
