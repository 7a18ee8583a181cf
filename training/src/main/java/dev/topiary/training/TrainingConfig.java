package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Task;
import dev.topiary.training.loss.Loss;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.regularize.Regularizer;
import dev.topiary.training.schedule.Schedule;
import java.util.List;
import java.util.Objects;

/**
 * Everything a training run is given, as one immutable value. Use {@link #defaults} and the
 * {@code with…} methods to change what differs.
 *
 * @param epochs maximum number of passes over the training set, ≥ 1
 * @param batchSize rows per optimiser step, ≥ 1 (the last batch of an epoch may be shorter)
 * @param optimizer the optimiser and its base learning rate
 * @param schedule the learning-rate schedule (a factor of the base rate per step)
 * @param loss the training loss
 * @param seed seeds the batch order and the gate samples; the same seed and thread count give
 *     bit-identical weights
 * @param earlyStopping when to stop on the validation set (ignored without one)
 * @param validation the validation set, or null for none
 * @param threads threads the run's GEMMs may use (its own workers, stopped when the run ends; other runs
 *     and the process-wide {@code Kernels.setThreads} are untouched), or 0 for the kernels' process-wide
 *     setting
 * @param clipNorm the global gradient norm is clipped to this value; 0 for no clipping
 * @param regularizers terms added to the loss
 */
public record TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Schedule schedule, Loss loss,
    long seed, EarlyStopping earlyStopping, Dataset validation, int threads, double clipNorm,
    List<Regularizer> regularizers) {

  /** Checks the ranges. */
  public TrainingConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(earlyStopping, "earlyStopping");
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0 (0: leave as is), found " + threads);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0: none), found " + clipNorm);
    }
    regularizers = List.copyOf(regularizers);
  }

  /**
   * The default recipe for a task with {@code rows} training rows, tuned on the embedded data sets:
   * AdamW (learning rate 1e-3, weight decay 1e-4) with a linear warm-up over the first epoch into
   * cosine decay to 1 % of the rate; batches of 32 rows below 2,000 training rows, 64 below 20,000,
   * 128 above; enough epochs for about 6,000 steps (between 20 and 400 epochs); early stopping with a
   * patience of a tenth of the epochs (at least 10), restoring the best weights, on the validation loss —
   * or, for classification with at least {@value #ACCURACY_STOPPING_ROWS} training rows, on validation
   * accuracy; softmax cross-entropy for classification, MSE for regression; seed 42; no clipping, no
   * regularisers.
   *
   * <p>Why two stopping rules: on a large set the validation loss bottoms out while accuracy is still
   * rising (the network grows over-confident on the examples it gets wrong), so stopping on the loss
   * keeps early weights — Fashion-MNIST, 784-256-256-256-10, three seeds: 0.877, 0.886, 0.884 test
   * accuracy stopping on the loss, 0.898, 0.898, 0.897 on accuracy. On a small set the validation split
   * has a few dozen rows, accuracy moves in steps of a few per cent and ties, and the smoother loss picks
   * the epoch better.
   *
   * <p>Regression targets should be standardised: give the network an output scaling (see
   * {@link Scaling#fit}); inputs likewise. The validation set is added with {@link #withValidation}.
   */
  public static TrainingConfig defaults(Task task, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("the training set needs at least one row, found " + rows);
    }
    int batch = rows < 2_000 ? 32 : rows < 20_000 ? 64 : 128;
    long stepsPerEpoch = (rows + batch - 1) / batch;
    int epochs = (int) Math.max(20, Math.min(400, (6_000 + stepsPerEpoch - 1) / stepsPerEpoch));
    Schedule schedule = Schedule.warmup(stepsPerEpoch, Schedule.cosine(0.01));
    return new TrainingConfig(epochs, batch, Optimizer.adamW(1e-3, 1e-4), schedule, Loss.forTask(task), 42L,
        stopping(task, rows, Math.max(10, epochs / 10)), null, 0, 0.0, List.of());
  }

  /** Classification sets at least this large stop early on validation accuracy by default. */
  public static final int ACCURACY_STOPPING_ROWS = 10_000;

  private static EarlyStopping stopping(Task task, int rows, int patience) {
    return task.isClassification() && rows >= ACCURACY_STOPPING_ROWS
        ? EarlyStopping.on(dev.topiary.core.metrics.Metric.ACCURACY, patience)
        : EarlyStopping.onLoss(patience);
  }

  /** With another epoch count. */
  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(e, batchSize, optimizer, schedule, loss, seed, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With another batch size. */
  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(epochs, b, optimizer, schedule, loss, seed, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With another optimiser. */
  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(epochs, batchSize, o, schedule, loss, seed, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With another schedule. */
  public TrainingConfig withSchedule(Schedule s) {
    return new TrainingConfig(epochs, batchSize, optimizer, s, loss, seed, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With another loss. */
  public TrainingConfig withLoss(Loss l) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, l, seed, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With another seed. */
  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, s, earlyStopping, validation,
        threads, clipNorm, regularizers);
  }

  /** With other early-stopping rules. */
  public TrainingConfig withEarlyStopping(EarlyStopping e) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, seed, e, validation, threads,
        clipNorm, regularizers);
  }

  /** With a validation set (raw units, like the training set), or null for none. */
  public TrainingConfig withValidation(Dataset v) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, seed, earlyStopping, v, threads,
        clipNorm, regularizers);
  }

  /** With a kernel thread count (0: leave the process-wide setting alone). */
  public TrainingConfig withThreads(int t) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, seed, earlyStopping, validation,
        t, clipNorm, regularizers);
  }

  /** With gradient clipping to a global norm (0: none). */
  public TrainingConfig withClipNorm(double c) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, seed, earlyStopping, validation,
        threads, c, regularizers);
  }

  /** With other regularisers. */
  public TrainingConfig withRegularizers(List<Regularizer> r) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, loss, seed, earlyStopping, validation,
        threads, clipNorm, r);
  }
}
