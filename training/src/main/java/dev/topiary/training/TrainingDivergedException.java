package dev.topiary.training;

/**
 * Training produced a non-finite loss or gradient norm. The network keeps the parameters of the last
 * finite step (no update is made from the offending batch).
 */
public final class TrainingDivergedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int batch;
  private final double loss;
  private final double gradientNorm;

  /** An exception for 1-based {@code epoch} and {@code batch} with the values that were not finite. */
  public TrainingDivergedException(int epoch, int batch, int batches, double loss, double gradientNorm) {
    super("training diverged at epoch " + epoch + ", batch " + batch + " of " + batches + ": loss " + loss
        + ", gradient norm " + gradientNorm + " (lower the learning rate or clip the gradient norm)");
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
    this.gradientNorm = gradientNorm;
  }

  /** The 1-based epoch. */
  public int epoch() {
    return epoch;
  }

  /** The 1-based batch within the epoch. */
  public int batch() {
    return batch;
  }

  /** The batch loss (possibly finite when only the gradient was not). */
  public double loss() {
    return loss;
  }

  /** The global gradient norm (possibly finite when only the loss was not). */
  public double gradientNorm() {
    return gradientNorm;
  }
}
