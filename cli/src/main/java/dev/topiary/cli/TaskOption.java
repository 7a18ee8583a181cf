package dev.topiary.cli;

import dev.topiary.core.data.LoadOptions;
import picocli.CommandLine.Option;

/** {@code --task classification|regression}: what the target is, for commands that train from data. */
final class TaskOption {

  /** The tasks a user may name. */
  enum Name {
    /** Every distinct target value is a class. */
    CLASSIFICATION,
    /** The target is one number. */
    REGRESSION
  }

  @Option(names = "--task", paramLabel = "classification|regression",
      description = "What the target is (default: inferred from a CSV target column: text or few distinct "
          + "integers are classes, other numbers regression; a warning says when many integers become classes).")
  Name task;

  /** The task asked for, or null to infer it. */
  LoadOptions.TaskChoice choice() {
    return task == null ? null : task == Name.CLASSIFICATION ? LoadOptions.TaskChoice.CLASSIFICATION
        : LoadOptions.TaskChoice.REGRESSION;
  }
}
