package dev.topiary.core.io;

/**
 * Data does not have the input columns a model was trained on: the message names the columns that differ.
 * Thrown by {@link Provenance#checkFeatures}.
 */
public final class FeatureMismatchException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** An exception with the given one-line message. */
  public FeatureMismatchException(String message) {
    super(message);
  }
}
