package dev.topiary.pruning.criteria;

import dev.topiary.pruning.units.HiddenLayer;
import java.util.List;

/**
 * An importance: scores the units of a prunable layer, higher meaning more worth keeping. Deciding how
 * many units go is the job of a {@link dev.topiary.pruning.plan.ThresholdRule}, and removing them the job of
 * {@link dev.topiary.pruning.surgery.Surgery}; a new criterion is one small class implementing
 * {@link #score}.
 */
public interface UnitCriterion {

  /** A short name for reports, e.g. {@code variance}. */
  String name();

  /** True when {@link #score} reads {@link ScoringContext#statistics()}. */
  default boolean needsStatistics() {
    return true;
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
