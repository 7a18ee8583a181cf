package dev.topiary.cli;

import dev.topiary.core.data.DataFormatException;
import dev.topiary.core.io.ModelFormatException;
import dev.topiary.core.json.JsonException;
import dev.topiary.pruning.PruningException;
import dev.topiary.training.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * Turns what went wrong into the one line a user reads and an exit status: {@value #INPUT} when the
 * input or the options are at fault (missing or malformed files, data that does not fit the model,
 * training that diverged, values out of range), {@value #INTERNAL} for anything else, which is a bug and
 * says so. The stack trace follows only when debugging was asked for.
 */
final class Failures {

  /** Exit status when the input or the options are at fault. */
  static final int INPUT = 2;
  /** Exit status of an internal error. */
  static final int INTERNAL = 1;

  private Failures() {}

  /** Reports a failure of a running command. */
  static int report(Throwable ex, PrintWriter err, boolean verbose) {
    Throwable t = ex;
    while ((t instanceof UncheckedIOException || t instanceof CommandLine.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = describe(t);
    int status = message == null ? INTERNAL : INPUT;
    if (message == null) {
      message = "internal error: " + t + (verbose ? "" : " (run with --verbose for the stack trace)");
    }
    err.println("topiary: " + oneLine(message));
    if (verbose) {
      t.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /** Reports a command line that could not be parsed (unknown option, missing or bad value). */
  static int reportUsage(CommandLine.ParameterException ex, boolean verbose) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String cause = ex.getCause() != null && ex.getCause().getMessage() != null
        && !(ex.getCause() instanceof CommandLine.TypeConversionException) ? ex.getCause().getMessage() : null;
    String message = cause != null && ex.getMessage().contains(cause) ? ex.getMessage()
        : cause != null ? ex.getMessage() + ": " + cause : ex.getMessage();
    if (message.startsWith("Error: ")) {
      message = message.substring("Error: ".length());
    }
    err.println("topiary: " + oneLine(message) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return INPUT;
  }

  /** The message of an input error, or null when {@code t} is not one. */
  static String describe(Throwable t) {
    if (t instanceof TrainingDivergedException d) {
      // The library names the remedies; the command line names its options for them.
      return d.getMessage().replace("(lower the learning rate or clip the gradient norm)",
          "(lower --lr, or clip the gradient norm with --clip-norm)");
    }
    if (t instanceof InputException || t instanceof DataFormatException || t instanceof ModelFormatException
        || t instanceof TrainingDivergedException || t instanceof PruningException
        || t instanceof IllegalArgumentException || t instanceof JsonException) {
      return t.getMessage();
    }
    if (t instanceof NoSuchFileException n) {
      return n.getReason() != null ? n.getFile() + ": " + n.getReason() : "no such file or directory: " + n.getFile();
    }
    if (t instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    if (t instanceof NotDirectoryException n) {
      return "not a directory: " + n.getFile();
    }
    if (t instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile();
    }
    if (t instanceof FileSystemException f) {
      return f.getMessage();
    }
    if (t instanceof IOException io) {
      return "I/O error: " + io.getMessage();
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory; give Java more with TOPIARY_JAVA_OPTS=-Xmx4g";
    }
    return null;
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
