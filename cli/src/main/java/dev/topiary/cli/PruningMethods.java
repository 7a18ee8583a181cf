package dev.topiary.cli;

import dev.topiary.pruning.criteria.Criteria;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import java.util.ArrayList;
import java.util.Locale;

/**
 * The pruning methods {@code prune --method} accepts: every name of the criteria registry
 * ({@link Criteria}), so a new criterion there is a new method here with nothing to add. {@code variance}
 * is ODF2NNA's σ with its ε options; every other criterion removes a share of each layer's units.
 */
final class PruningMethods {

  /** ODF2NNA's criterion, the default. */
  static final String VARIANCE = VarianceCriterion.INSTANCE.name();

  private PruningMethods() {}

  /** The method names, for the help text ({@code ${COMPLETION-CANDIDATES}}). */
  static final class Names extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Names() {
      super(Criteria.names());
    }
  }

  /**
   * The criterion {@code name} names (case-insensitive; {@code random:SEED} and {@code entropy:BINS}
   * take a parameter), or an error that lists the methods there are.
   */
  static UnitCriterion criterion(String name) {
    String base = name.trim().toLowerCase(Locale.ROOT).replaceFirst(":.*", "");
    if (!Criteria.names().contains(base)) {
      throw new InputException("unknown pruning method '" + name + "'; available: "
          + String.join(", ", Criteria.names()));
    }
    try {
      return Criteria.byName(name);
    } catch (IllegalArgumentException e) {
      throw new InputException("--method: " + e.getMessage(), e);
    }
  }

  /** Whether {@code criterion} is ODF2NNA's σ, which alone has the ε options. */
  static boolean isVariance(UnitCriterion criterion) {
    return criterion == VarianceCriterion.INSTANCE;
  }

  /** The canonical name of a method that only σ supports (sweep's grid is one of σ values). */
  static String checkVariance(String command, String name) {
    UnitCriterion c = criterion(name);
    if (!isVariance(c)) {
      throw new InputException(command + " supports --method " + VARIANCE + " only (its grid is one of σ "
          + "values); prune accepts every method");
    }
    return VARIANCE;
  }
}
