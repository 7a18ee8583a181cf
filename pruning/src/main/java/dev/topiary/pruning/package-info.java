/**
 * Pure pruning logic for dense feed-forward networks, in three composable steps after Torch-Pruning:
 * an importance ({@link dev.topiary.pruning.criteria.UnitCriterion}) scores hidden units from
 * {@link dev.topiary.pruning.stats.UnitStatistics}, a rule ({@link dev.topiary.pruning.plan.ThresholdRule})
 * turns scores into an immutable {@link dev.topiary.pruning.plan.PruningPlan}, and
 * {@link dev.topiary.pruning.surgery.Surgery} builds the smaller network with the removed units' means
 * folded into the next layer's bias. {@link dev.topiary.pruning.pruner.VariancePruner} runs ODF2NNA's
 * pruning step end to end. This module never trains and never does I/O; its errors are the subtypes of
 * {@link dev.topiary.pruning.PruningException}.
 */
package dev.topiary.pruning;
