package dev.topiary.pruning.stats;

/**
 * How unit statistics are gathered.
 *
 * @param batchRows rows per forward batch (the moments of each batch are merged with Chan's formula)
 * @param threads threads to split the rows over, each with its own forward pass and accumulators, merged
 *     in row order at the end; results depend slightly (rounding) on this number, never on scheduling
 * @param activationSummaries also count, per unit, the fraction of exact zeros (for APoZ) and the mean
 *     absolute output
 */
public record StatisticsOptions(int batchRows, int threads, boolean activationSummaries) {

  /** Checks the ranges. */
  public StatisticsOptions {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be >= 1, found " + batchRows);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
  }

  /** 256 rows per batch, one thread, moments only. */
  public static StatisticsOptions defaults() {
    return new StatisticsOptions(256, 1, false);
  }

  /** The same options with another batch size. */
  public StatisticsOptions withBatchRows(int rows) {
    return new StatisticsOptions(rows, threads, activationSummaries);
  }

  /** The same options with another thread count. */
  public StatisticsOptions withThreads(int n) {
    return new StatisticsOptions(batchRows, n, activationSummaries);
  }

  /** The same options, also collecting zero fractions and mean absolute outputs. */
  public StatisticsOptions withActivationSummaries() {
    return new StatisticsOptions(batchRows, threads, true);
  }
}
