/**
 * Unit statistics over an evaluation set: per hidden unit the mean and standard deviation of its output
 * (and optionally its zero fraction and mean absolute value), gathered in one forward pass.
 */
package dev.topiary.pruning.stats;
