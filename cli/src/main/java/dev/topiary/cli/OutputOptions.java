package dev.topiary.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --quiet}: how a command prints. Every command that extends {@link CommandBase}
 * has them.
 */
final class OutputOptions {

  @Option(names = "--json", order = 1000, description = "Print the figures as one JSON object on standard output.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, order = 1001, description = "Show no progress on standard error.")
  boolean quiet;
}
