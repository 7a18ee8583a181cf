/**
 * Pure pruning logic for dense feed-forward networks, in three composable steps after Torch-Pruning:
 * an importance ({@link dev.topiary.pruning.criteria.UnitCriterion}) scores hidden units, a rule
 * ({@link dev.topiary.pruning.plan.ThresholdRule}) turns scores into an immutable
 * {@link dev.topiary.pruning.plan.PruningPlan}, and {@link dev.topiary.pruning.surgery.Surgery} builds the
 * smaller network with the removed units' means folded into the next layer's bias.
 * {@link dev.topiary.pruning.pruner.VariancePruner} runs ODF2NNA's pruning step end to end. This module
 * never trains and never does I/O; its errors are the subtypes of
 * {@link dev.topiary.pruning.PruningException}.
 *
 * <h2>Decisions, in one place</h2>
 *
 * <ul>
 *   <li><b>Which units are prunable</b> ({@link dev.topiary.pruning.units.UnitLayout}): the outputs of a
 *       top-level dense layer followed by another dense layer, and of every inner layer of a residual
 *       chain but the last. Not prunable: the output layer; a dense layer that feeds a residual block
 *       (its units are coordinates of the residual stream); the last layer of a chain (its outputs are
 *       added one to one to the skip). A whole residual block can be removed instead.
 *   <li><b>Statistics</b> ({@link dev.topiary.pruning.stats.UnitStatistics}): mean and population σ of
 *       every hidden unit's post-activation output over the evaluation inputs (after the network's input
 *       standardisation), one forward pass, batch by batch, on shifted column moments. Fewer than two
 *       rows, a width that does not match, or a non-finite input is refused.
 *   <li><b>ε</b> ({@link dev.topiary.pruning.plan.ThresholdRule}): absolute, relative to each layer's
 *       largest σ, a fraction of each layer, or a fraction of all prunable units; "keep σ &gt; ε"; never
 *       fewer than {@code minUnits} (default 1) units in a layer, the best-scored ones kept.
 *   <li><b>Folding</b> ({@link dev.topiary.pruning.surgery.Surgery}): b'_{l+1} = b_{l+1} +
 *       Σ_{j∈R} W_{l+1}[:, j]·μ_j, so the pruned network computes the dense one with removed outputs
 *       replaced by their means, for every input.
 *   <li><b>Merging</b> ({@link dev.topiary.pruning.plan.LayerRemoval}): a removed unit r may instead be
 *       replaced by its least-squares line on a kept partner p, a·h_p + b; surgery adds a·W_{l+1}[:, r] to
 *       column p and W_{l+1}[:, r]·b to the bias, exact when the line holds exactly (duplicated units).
 *       The redundancy criterion merges; the others replace by the mean.
 *   <li><b>Criteria</b> ({@link dev.topiary.pruning.criteria.Criteria}): each criterion's definition is
 *       in its class; magnitude "both" is the product of the norms (invariant to rescaling a ReLU unit),
 *       entropy the plug-in estimate over equal bins on [min, max] in nats, Fisher S_B/S_W capped at
 *       1e12, Taylor |mean h·∂ℓ/∂h| (and mean |h·∂ℓ/∂h|), OBD ½·mean (h·∂ℓ/∂h)² (the unit-gate form).
 *   <li><b>Blocks</b> ({@link dev.topiary.pruning.plan.BlockRemoval}): dropped (exact when f ≈ 0) or
 *       replaced by the mean of f (exact when f is constant), folded into every reader of the stream.
 *   <li><b>Schedules</b> ({@link dev.topiary.pruning.pruner.Schedule}): one statistics pass for all
 *       layers, or layer by layer from the input re-measuring the network pruned so far.
 * </ul>
 */
package dev.topiary.pruning;
