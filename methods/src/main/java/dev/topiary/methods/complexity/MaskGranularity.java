package dev.topiary.methods.complexity;

/**
 * How often unit gates are drawn while training. Block gates are always drawn once per batch (a block is
 * run or skipped for the whole batch, as in stochastic depth).
 */
public enum MaskGranularity {
  /** One unit mask per batch, shared by every row. */
  PER_BATCH,
  /** One unit mask per example (row), as dropout draws it: the activations are scaled row by row. */
  PER_EXAMPLE
}
