/**
 * Penalty-based pruning: training with L1, group lasso over units or the elastic net, then removing the
 * units whose group norm falls below a threshold, for real ({@link
 * dev.topiary.methods.penalty.PenaltyPruning}).
 */
package dev.topiary.methods.penalty;
