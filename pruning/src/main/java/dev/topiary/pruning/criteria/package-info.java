/**
 * Importance criteria: small classes behind {@link dev.topiary.pruning.criteria.UnitCriterion} that score
 * the units of each prunable layer (higher = keep), named for the command line in
 * {@link dev.topiary.pruning.criteria.Criteria}: ODF2NNA's {@link dev.topiary.pruning.criteria.VarianceCriterion},
 * weight magnitude, APoZ, mean activation, entropy, Fisher, redundancy (with merging), first-order Taylor,
 * OBD, and a seeded random control. Each says which statistics it reads
 * ({@link dev.topiary.pruning.criteria.UnitCriterion#requiredStatistics}); the gradient-based ones read
 * {@link dev.topiary.pruning.stats.GradientStatistics}, which a source outside this module computes.
 */
package dev.topiary.pruning.criteria;
