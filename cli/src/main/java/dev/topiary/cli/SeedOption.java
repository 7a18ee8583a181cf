package dev.topiary.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed S}: the seed of the split and, where a command trains, of the initialisation and the batch
 * order. Absent, a command uses the seed its model records, else {@value #DEFAULT}.
 */
final class SeedOption {

  /** The seed when neither the option nor a model gives one. */
  static final long DEFAULT = 42L;

  @Option(names = "--seed", paramLabel = "S",
      description = "Seeds the split and, when training, the initialisation and the batch order "
          + "(default: the seed the model read records, else 42).")
  Long seed;

  /** The seed given, or null. */
  Long given() {
    return seed;
  }

  /** The seed given, else {@value #DEFAULT}. */
  long orDefault() {
    return seed != null ? seed : DEFAULT;
  }
}
