package dev.topiary.cli;

import dev.topiary.core.json.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What every Topiary subcommand shares: {@code --json} and {@code --quiet} ({@link OutputOptions}), the
 * output and error streams of the command line it runs in, and its progress display. A subcommand
 * implements {@link #execute()} and throws on failure; {@link Failures} turns the exception into the one
 * line on standard error and the exit status, the same way for every command.
 */
abstract class CommandBase implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin OutputOptions output;

  private Progress progress;

  /** Does the work. */
  abstract void execute() throws Exception;

  @Override
  public final Integer call() throws Exception {
    execute();
    out().flush();
    if (progress != null) {
      progress.clear();
    }
    return 0;
  }

  /** True when {@code --json} was given. */
  boolean json() {
    return output.json;
  }

  /** True when no progress may be shown: {@code --quiet}. */
  boolean progressSilenced() {
    return output.quiet;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The progress display on standard error (silent with --quiet). */
  Progress progress() {
    if (progress == null) {
      Object root = spec.root().userObject();
      boolean live = root instanceof Main m && m.liveProgress;
      progress = new Progress(err(), progressSilenced(), live);
    }
    return progress;
  }

  /** Prints {@code figures} as one JSON object on standard output. */
  void printJson(Map<String, Object> figures) {
    out().println(Json.writePretty(figures));
    out().flush();
  }
}
