package dev.topiary.cli;

/**
 * The user's input or options cannot be worked with: the message is the one line the command prints
 * (after {@code topiary: }), and the exit status is 2.
 */
final class InputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  InputException(String message) {
    super(message);
  }

  InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
