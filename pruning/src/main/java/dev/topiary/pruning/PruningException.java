package dev.topiary.pruning;

/**
 * Base of the typed errors the pruning module raises: an input the pruning logic cannot work with (a
 * plan that does not fit its network, evaluation data that does not fit the model, statistics that are
 * not finite). The message names the layer, unit or data set concerned and what was expected.
 */
public class PruningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public PruningException(String message) {
    super(message);
  }
}
