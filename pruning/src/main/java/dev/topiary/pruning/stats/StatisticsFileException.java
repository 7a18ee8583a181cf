package dev.topiary.pruning.stats;

import dev.topiary.pruning.PruningException;

/**
 * Unit statistics read from text ({@link UnitStatisticsJson#read}) that cannot be used: not such a
 * document, another format version, a malformed field, or statistics of another model (other hidden
 * layers, or other parameters). The message names the source and the first mismatch.
 */
public class StatisticsFileException extends PruningException {

  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public StatisticsFileException(String message) {
    super(message);
  }
}
