package dev.topiary.pruning.criteria;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.stats.GradientStatistics;
import dev.topiary.pruning.stats.LayerGradients;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.util.Objects;

/**
 * What a criterion may look at when it scores units: the network and, when gathered, the unit statistics
 * of that same network (moments, and on request activation summaries, histograms, per-class moments and
 * covariances) and its gradient statistics (for the criteria that need back-propagation).
 *
 * @param network the network whose units are scored
 * @param layout its hidden layers
 * @param statistics unit statistics of {@code network} over the evaluation set, or null if not gathered
 * @param gradients gradient statistics of {@code network}, or null if not gathered
 */
public record ScoringContext(Network network, UnitLayout layout, UnitStatistics statistics,
    GradientStatistics gradients) {

  /** Checks that the statistics and gradients, if any, describe this network's layout. */
  public ScoringContext {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(layout, "layout");
    if (statistics != null && !statistics.layout().hidden().equals(layout.hidden())) {
      throw new IllegalArgumentException("the statistics describe other hidden layers than the network's");
    }
    if (gradients != null && !gradients.layout().hidden().equals(layout.hidden())) {
      throw new IllegalArgumentException("the gradients describe other hidden layers than the network's");
    }
  }

  /** A context without gradient statistics. */
  public ScoringContext(Network network, UnitLayout layout, UnitStatistics statistics) {
    this(network, layout, statistics, null);
  }

  /** A context over a network and its statistics (which may be null). */
  public static ScoringContext of(Network network, UnitStatistics statistics) {
    return new ScoringContext(network, UnitLayout.of(network), statistics, null);
  }

  /** A context over a network, its statistics and its gradient statistics (either may be null). */
  public static ScoringContext of(Network network, UnitStatistics statistics, GradientStatistics gradients) {
    return new ScoringContext(network, UnitLayout.of(network), statistics, gradients);
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

  /**
   * The statistics of {@code layer}, which {@code criterion} needs.
   *
   * @throws IllegalStateException if none were gathered
   */
  public LayerStatistics requireStatistics(String criterion, HiddenLayer layer) {
    return requireStatistics(criterion).layer(layer.address())
        .orElseThrow(() -> new IllegalArgumentException("no statistics for " + layer.address()));
  }

  /**
   * The gradient statistics of {@code layer}, which {@code criterion} needs.
   *
   * @throws IllegalStateException if none were gathered
   */
  public LayerGradients requireGradients(String criterion, HiddenLayer layer) {
    if (gradients == null) {
      throw new IllegalStateException("criterion '" + criterion + "' needs gradient statistics; none were "
          + "gathered (pass a GradientStatistics.Source such as "
          + "dev.topiary.methods.criteria.GradientStatisticsCollector)");
    }
    return gradients.layer(layer.address())
        .orElseThrow(() -> new IllegalArgumentException("no gradient statistics for " + layer.address()));
  }
}
