/**
 * Pruners: one pruning step end to end (statistics, scores, plan, surgery) under a
 * {@link dev.topiary.pruning.pruner.Schedule}; {@link dev.topiary.pruning.pruner.VariancePruner} is
 * ODF2NNA's.
 */
package dev.topiary.pruning.pruner;
