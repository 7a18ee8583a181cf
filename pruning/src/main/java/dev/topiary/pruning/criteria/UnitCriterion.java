package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;
import java.util.List;

/**
 * An importance: scores the units of a prunable layer, higher meaning more worth keeping. Deciding how
 * many units go is the job of a {@link dev.topiary.pruning.plan.ThresholdRule}, and removing them the job of
 * {@link dev.topiary.pruning.surgery.Surgery}; a new criterion is one small class implementing
 * {@link #score}. {@link Criteria} names every criterion this module offers.
 */
public interface UnitCriterion {

  /** A short name for reports, e.g. {@code variance}. */
  String name();

  /** True when {@link #score} reads {@link ScoringContext#statistics()}. */
  default boolean needsStatistics() {
    return true;
  }

  /** True when {@link #score} reads {@link ScoringContext#gradients()}. */
  default boolean needsGradients() {
    return false;
  }

  /**
   * The statistics options to gather with so that {@link #score} finds what it reads: {@code base} plus
   * whatever this criterion needs (activation summaries, histograms, class moments, covariances).
   */
  default StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base;
  }

  /**
   * True when the units this criterion removes are merged into their best-correlated kept partner
   * ({@link dev.topiary.pruning.plan.PruningPlan#mergedIntoPartners}) rather than replaced by their mean;
   * such a criterion asks for covariances in {@link #requiredStatistics}.
   */
  default boolean mergesRemovedUnits() {
    return false;
  }

  /** One finite score per unit of {@code layer}, a hidden layer of {@code context.network()}. */
  double[] score(ScoringContext context, HiddenLayer layer);

  /** Scores every prunable layer of the context's network, in forward order. */
  default List<LayerScores> scoreAll(ScoringContext context) {
    return context.layout().prunable().stream()
        .map(l -> new LayerScores(l, name(), score(context, l)))
        .toList();
  }
}
