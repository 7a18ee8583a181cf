package dev.topiary.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be read: not safetensors, corrupt, truncated, or not a Topiary model. The
 * message starts with the file and says what is wrong and where (tensor name, metadata key, expected
 * versus found), e.g. {@code model.safetensors: tensor layers.1.weight: shape [7, 5] does not match the
 * topology, which needs [7, 6]}.
 *
 * <p>A checked {@link IOException}, so that callers that already handle a missing or unreadable file
 * handle a bad one in the same place, and can still tell the two apart.
 */
public final class ModelFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** A problem with {@code file}, described by {@code problem}. */
  public ModelFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** The same, with the exception that revealed it. */
  public ModelFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String problem() {
    return problem;
  }
}
