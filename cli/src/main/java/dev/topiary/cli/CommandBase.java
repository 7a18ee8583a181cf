package dev.topiary.cli;

import dev.topiary.core.json.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every Topiary subcommand shares: {@code --json} and {@code --quiet}, the output and error
 * streams of the command line it runs in, and its progress display. A subcommand implements
 * {@link #execute()} and throws on failure; {@link Failures} turns the exception into the message and the
 * exit status.
 */
abstract class CommandBase implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--json", order = 1000, description = "Print the figures as one JSON object on standard output.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, order = 1001, description = "Show no progress on standard error.")
  boolean quiet;

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
      progress = new Progress(err(), quiet, live);
    }
    return progress;
  }

  /** Prints {@code figures} as one JSON object on standard output. */
  void printJson(Map<String, Object> figures) {
    out().println(Json.writePretty(figures));
    out().flush();
  }
}
