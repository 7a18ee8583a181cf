package dev.topiary.spark;

/**
 * A row with a missing feature (null, NaN or infinite) met by a model whose missing-value policy is
 * "error", the policy of every model file that records none. On a cluster it reaches the driver as the
 * cause of the failed job's {@code SparkException}; its message names the partition, the row and the
 * feature.
 */
public final class MissingFeatureException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A missing value, described by {@code what} (where it is and what it is). */
  public MissingFeatureException(String what) {
    super(what + "; the model records no missing-value policy, so every feature must be present and "
        + "finite (drop or impute such rows first)");
  }
}
