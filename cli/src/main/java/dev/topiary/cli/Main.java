package dev.topiary.cli;

import dev.topiary.cli.bench.BenchCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code topiary} command: registers the subcommands and turns every failure into one
 * line on standard error and an exit status (see {@link Failures}).
 */
@Command(
    name = "topiary",
    mixinStandardHelpOptions = true,
    version = "topiary 0.1.0",
    description = "Find the small network inside a big one: train, measure, prune, fold, fine-tune.",
    subcommands = {
      DemoCommand.class, TrainCommand.class, PruneCommand.class, EvalCommand.class, InspectCommand.class,
      SweepCommand.class, CompareCommand.class, StudyCommand.class, BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%n",
    footer = {
      "Start with:  topiary demo",
      "",
      "SRC is builtin:NAME (iris, wine, breast_cancer, digits, penguins, diabetes,",
      "concrete), a CSV file (--target names the target column; the last by default)",
      "or idx:DIR (MNIST-style IDX files).",
      "",
      "Exit status: 0 on success; 2 when the input or the options are at fault (one",
      "line on stderr says why, and no existing output file is touched); 1 on an",
      "internal error (--verbose or TOPIARY_DEBUG=1 prints the stack trace)."
    })
public final class Main implements Runnable {

  /** Kept strongly reachable: a logger's level is lost when the logger is garbage-collected. */
  private static final Logger TOPIARY_LOG = Logger.getLogger("dev.topiary");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces of errors and the kernels' start-up log.")
  boolean verbose;

  /** Whether progress bars may redraw in place (standard error is a terminal). */
  final boolean liveProgress;

  private Main(boolean liveProgress) {
    this.liveProgress = liveProgress;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    installSignalReport();
    int status = INTERNAL_STATUS;
    try {
      status = run(System.out, System.err, args);
    } finally {
      finished = true;
    }
    System.exit(status);
  }

  private static final int INTERNAL_STATUS = 1;

  /** Set when the command has returned; a shutdown before that was asked for by a signal. */
  private static volatile boolean finished;

  /**
   * Installs the one line printed when SIGTERM or SIGINT stops a command (the JVM runs its shutdown hooks on
   * both; another hook deletes the temporary files of saves in progress, see
   * {@link dev.topiary.core.io.TempFiles}).
   */
  static void installSignalReport() {
    Runtime.getRuntime().addShutdownHook(new Thread(Main::reportSignal, "topiary-signal-report"));
  }

  private static void reportSignal() {
    if (!finished) {
      System.err.println("topiary: stopped by a signal (SIGTERM or SIGINT) before finishing; "
          + "no half-written file is left, files already saved stay");
      System.err.flush();
    }
  }

  /** Runs the command line on the process's standard streams and returns its exit status. */
  public static int run(String... args) {
    return run(System.out, System.err, args);
  }

  /**
   * Runs the command line with the given output and error streams and returns its exit status, without
   * exiting (for tests and embedding). Progress is drawn live only on the process's own standard error
   * when it is a terminal.
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    boolean verbose = debugRequested(args);
    TOPIARY_LOG.setLevel(verbose ? Level.INFO : Level.WARNING);
    PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cl = commandLine(err == System.err && Terminal.stderrIsTerminal())
        .setOut(o)
        .setErr(e)
        .setExecutionExceptionHandler((ex, line, parsed) -> Failures.report(ex, line.getErr(), verbose))
        .setParameterExceptionHandler((ex, given) -> Failures.reportUsage(ex, verbose));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError oom) {
      return Failures.report(oom, e, verbose);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** The command tree with its parsing rules, not yet bound to streams or error handlers. */
  static CommandLine commandLine(boolean liveProgress) {
    return new CommandLine(new Main(liveProgress))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setAbbreviatedOptionsAllowed(false);
  }

  /** --verbose anywhere on the line, or TOPIARY_DEBUG set to anything but empty or 0. */
  static boolean debugRequested(String[] args) {
    for (String a : args) {
      if (a.equals("--verbose")) {
        return true;
      }
      if (a.equals("--")) {
        break;
      }
    }
    String env = System.getenv("TOPIARY_DEBUG");
    return env != null && !env.isEmpty() && !env.equals("0");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
