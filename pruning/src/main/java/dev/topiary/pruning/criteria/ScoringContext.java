package dev.topiary.pruning.criteria;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.UnitLayout;
import java.util.Objects;

/**
 * What a criterion may look at when it scores units: the network and, when gathered, the unit statistics
 * of that same network. Criteria that need more (gradients for Taylor or OBD, labels for Fisher) will find
 * it here as further components.
 *
 * @param network the network whose units are scored
 * @param layout its hidden layers
 * @param statistics unit statistics of {@code network} over the evaluation set, or null if not gathered
 */
public record ScoringContext(Network network, UnitLayout layout, UnitStatistics statistics) {

  /** Checks that the statistics, if any, describe this network's layout. */
  public ScoringContext {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(layout, "layout");
    if (statistics != null && !statistics.layout().hidden().equals(layout.hidden())) {
      throw new IllegalArgumentException("the statistics describe other hidden layers than the network's");
    }
  }

  /** A context over a network and its statistics (which may be null). */
  public static ScoringContext of(Network network, UnitStatistics statistics) {
    return new ScoringContext(network, UnitLayout.of(network), statistics);
  }

  /**
   * The statistics, which {@code criterion} needs.
   *
   * @throws IllegalStateException if none were gathered
   */
  public UnitStatistics requireStatistics(String criterion) {
    if (statistics == null) {
      throw new IllegalStateException("criterion '" + criterion + "' needs unit statistics; none were gathered");
    }
    return statistics;
  }
}
