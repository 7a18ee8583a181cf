package dev.topiary.pruning.stats;

/**
 * How unit statistics are gathered, and which statistics beyond the mean and σ of every unit.
 *
 * @param batchRows rows per forward batch (the moments of each batch are merged with Chan's formula)
 * @param threads threads to split the rows over, each with its own forward pass and accumulators, merged
 *     in row order at the end; results depend slightly (rounding) on this number, never on scheduling
 * @param activationSummaries also count, per unit, the fraction of exact zeros (for APoZ) and the mean
 *     absolute output
 * @param histogramBins when positive, also a histogram of every unit's output with this many equal bins
 *     over [min, max] of that unit on the data (for the entropy criterion); this takes a second forward
 *     pass, since the range is known only after the first
 * @param classMoments also the mean and σ of every unit within each class, when the data has class
 *     labels (for the Fisher criterion); ignored for unlabelled data
 * @param covariance also the covariance matrix of the outputs of every prunable layer (for the
 *     redundancy criterion and for merging a removed unit into a partner)
 */
public record StatisticsOptions(int batchRows, int threads, boolean activationSummaries, int histogramBins,
    boolean classMoments, boolean covariance) {

  /** Checks the ranges. */
  public StatisticsOptions {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be >= 1, found " + batchRows);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    if (histogramBins < 0) {
      throw new IllegalArgumentException("histogramBins must be >= 0 (0 = none), found " + histogramBins);
    }
  }

  /** Options for the mean and σ, optionally with the activation summaries, and nothing more. */
  public StatisticsOptions(int batchRows, int threads, boolean activationSummaries) {
    this(batchRows, threads, activationSummaries, 0, false, false);
  }

  /** 256 rows per batch, one thread, moments only. */
  public static StatisticsOptions defaults() {
    return new StatisticsOptions(256, 1, false);
  }

  /** The same options with another batch size. */
  public StatisticsOptions withBatchRows(int rows) {
    return new StatisticsOptions(rows, threads, activationSummaries, histogramBins, classMoments, covariance);
  }

  /** The same options with another thread count. */
  public StatisticsOptions withThreads(int n) {
    return new StatisticsOptions(batchRows, n, activationSummaries, histogramBins, classMoments, covariance);
  }

  /** The same options, also collecting zero fractions and mean absolute outputs. */
  public StatisticsOptions withActivationSummaries() {
    return new StatisticsOptions(batchRows, threads, true, histogramBins, classMoments, covariance);
  }

  /** The same options, also collecting histograms with {@code bins} bins (0 for none). */
  public StatisticsOptions withHistograms(int bins) {
    return new StatisticsOptions(batchRows, threads, activationSummaries, bins, classMoments, covariance);
  }

  /** The same options, also collecting per-class moments from labelled data. */
  public StatisticsOptions withClassMoments() {
    return new StatisticsOptions(batchRows, threads, activationSummaries, histogramBins, true, covariance);
  }

  /** The same options, also collecting each prunable layer's covariance matrix. */
  public StatisticsOptions withCovariance() {
    return new StatisticsOptions(batchRows, threads, activationSummaries, histogramBins, classMoments, true);
  }

  /** Everything either of two option sets asks for, with this one's batch size and thread count. */
  public StatisticsOptions union(StatisticsOptions other) {
    return new StatisticsOptions(batchRows, threads, activationSummaries || other.activationSummaries,
        Math.max(histogramBins, other.histogramBins), classMoments || other.classMoments,
        covariance || other.covariance);
  }
}
