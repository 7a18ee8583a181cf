package dev.topiary.pruning;

/**
 * A pruning plan that cannot be applied: it names a layer that is not prunable, a unit index out of
 * range or twice, removes every unit of a layer, or removes units inside a residual block it also removes.
 */
public class InvalidPlanException extends PruningException {

  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public InvalidPlanException(String message) {
    super(message);
  }
}
