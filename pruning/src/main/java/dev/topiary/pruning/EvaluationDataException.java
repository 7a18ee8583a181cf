package dev.topiary.pruning;

/**
 * Evaluation data that unit statistics cannot be gathered on: a width that does not match the model, fewer
 * than two rows (a standard deviation needs at least two), or values that make the statistics non-finite.
 */
public class EvaluationDataException extends PruningException {

  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public EvaluationDataException(String message) {
    super(message);
  }
}
