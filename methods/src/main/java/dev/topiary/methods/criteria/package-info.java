/**
 * What the pruning criteria need from training: gradient statistics gathered by back-propagation
 * ({@link dev.topiary.methods.criteria.GradientStatisticsCollector}), for the first-order Taylor and OBD
 * criteria of {@code dev.topiary.pruning.criteria}.
 */
package dev.topiary.methods.criteria;
