/**
 * Importance criteria: small classes behind {@link dev.topiary.pruning.criteria.UnitCriterion} that score
 * the units of each prunable layer (higher = keep), starting with ODF2NNA's
 * {@link dev.topiary.pruning.criteria.VarianceCriterion}.
 */
package dev.topiary.pruning.criteria;
