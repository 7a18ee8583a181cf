package dev.topiary.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The pruning methods {@code prune} and {@code sweep} accept through {@code --method}. A new method adds
 * its name and one-line description here and its branch where the commands dispatch on the name.
 */
final class PruningMethods {

  /** The only method there is today. */
  static final String VARIANCE = "variance";

  private static final Map<String, String> AVAILABLE = new LinkedHashMap<>();

  static {
    AVAILABLE.put(VARIANCE, "ODF2NNA: remove units whose output σ ≤ ε, fold their means into the next bias, "
        + "fine-tune");
  }

  private PruningMethods() {}

  /** The canonical name of {@code name}, or an error that lists the methods there are. */
  static String check(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (AVAILABLE.containsKey(n)) {
      return n;
    }
    StringBuilder sb = new StringBuilder("unknown pruning method '" + name + "'; available: ");
    AVAILABLE.forEach((k, v) -> sb.append(k).append(" (").append(v).append(')'));
    throw new InputException(sb.toString());
  }
}
