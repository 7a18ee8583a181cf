package dev.topiary.training;

/**
 * Progress callbacks from a {@link Trainer}, called on the training thread. Both methods default to
 * doing nothing. A listener that throws aborts training with that exception.
 */
public interface TrainingListener {

  /** After each epoch (and its validation pass). */
  default void onEpochEnd(EpochReport report) {}

  /**
   * After each optimiser step.
   *
   * @param epoch 1-based epoch
   * @param batch 1-based batch within the epoch
   * @param batches batches per epoch
   * @param loss the batch's mean loss (regularisers included)
   */
  default void onBatchEnd(int epoch, int batch, int batches, double loss) {}
}
