package dev.topiary.training;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param epochsRun epochs completed
 * @param bestEpoch 1-based epoch of the best validation metric (the last epoch without a validation set)
 * @param bestMetric the best validation metric, NaN without a validation set
 * @param stoppedEarly whether early stopping ended training before the configured epochs
 * @param history one report per epoch run
 * @param wallTime wall time of the whole run
 */
public record TrainingResult(int epochsRun, int bestEpoch, double bestMetric, boolean stoppedEarly,
    List<EpochReport> history, Duration wallTime) {

  /** Copies the history. */
  public TrainingResult {
    history = List.copyOf(history);
  }
}
