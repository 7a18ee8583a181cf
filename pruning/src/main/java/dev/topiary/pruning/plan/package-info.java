/**
 * Pruning plans: immutable records of which units and residual blocks go and the means folded in their
 * place ({@link dev.topiary.pruning.plan.PruningPlan}), and the rules that make them from scores
 * ({@link dev.topiary.pruning.plan.ThresholdRule}).
 */
package dev.topiary.pruning.plan;
