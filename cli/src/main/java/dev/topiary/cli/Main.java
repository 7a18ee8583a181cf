package dev.topiary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code topiary} command. */
@Command(
    name = "topiary",
    mixinStandardHelpOptions = true,
    version = "topiary 0.1.0",
    description = "Find the small network inside a big one: train, measure, prune, fold, fine-tune.",
    subcommands = {CommandLine.HelpCommand.class, CompareCommand.class, StudyCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
