package dev.topiary.spark;

/**
 * A row with a missing feature (null, NaN, infinite, or too large for a float) where missing features are
 * refused: the model records no imputation (no {@code topiary.imputation} in its metadata), or the scorer's
 * {@code handleInvalid} is "error". On a cluster it reaches the driver as the cause of the failed job's
 * {@code SparkException}; its message names the partition, the row and the column, and says why the row
 * is refused.
 */
public final class MissingFeatureException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A missing value; {@code message} says where it is, what it is and why it is refused. */
  public MissingFeatureException(String message) {
    super(message);
  }
}
