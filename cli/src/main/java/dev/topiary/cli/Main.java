package dev.topiary.cli;

import dev.topiary.cli.bench.BenchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code topiary} command. */
@Command(
    name = "topiary",
    mixinStandardHelpOptions = true,
    version = "topiary 0.1.0",
    description = "Find the small network inside a big one: train, measure, prune, fold, fine-tune.",
    subcommands = {CommandLine.HelpCommand.class, BenchCommand.class, CompareCommand.class,
        StudyCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs the command line with its output and errors going to the given writers, and returns its exit
   * status: 0 on success, 2 for bad input (one line on {@code err}), 1 when the command fails (one line
   * on {@code err}; the stack trace too when the environment variable {@code TOPIARY_DEBUG} is set).
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(Main::badInput);
    cl.setExecutionExceptionHandler(Main::failure);
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int badInput(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    String command = cl.getCommandSpec().qualifiedName();
    String message = String.valueOf(ex.getMessage()).strip().replace('\n', ' ');
    cl.getErr().println(command + ": " + message + " (see '" + command + " --help')");
    cl.getErr().flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failure(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    String message = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getName();
    cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + message.replace('\n', ' '));
    if (System.getenv("TOPIARY_DEBUG") != null) {
      ex.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return cl.getCommandSpec().exitCodeOnExecutionException();
  }
}
