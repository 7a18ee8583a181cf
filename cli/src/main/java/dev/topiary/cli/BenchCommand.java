package dev.topiary.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code topiary bench}: measurements of the kernels and of models on this machine. */
@Command(name = "bench",
    header = "Measure speed on this machine.",
    mixinStandardHelpOptions = true,
    description = "Measure speed on this machine.",
    subcommands = {InferBench.class})
final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
