package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.kernels.Activation;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;

/**
 * What every method in a comparison gets: the same starting network, the same training run, and the same
 * number of training epochs after pruning.
 *
 * @param hidden the hidden widths of the network trained once per seed
 * @param activation its hidden activation
 * @param trainEpochs epochs of the dense training run (with early stopping on the validation loss); the
 *     methods that prune at initialisation train their masked network for this many epochs instead
 * @param finetuneEpochs epochs of training after pruning, in total over all rounds of a method
 * @param batchSize rows per optimiser step
 * @param learningRate AdamW's base learning rate
 * @param rewindEpochs lottery tickets rewind to the weights after this many epochs of the dense run (0:
 *     the initialisation)
 * @param metric the reported test metric, or null for the task's default (accuracy or R²)
 * @param timingRepeats rounds of the inference timing at batch 256 (each round times both networks)
 */
public record Budget(int[] hidden, Activation activation, int trainEpochs, int finetuneEpochs, int batchSize,
    double learningRate, int rewindEpochs, Metric metric, int timingRepeats) {

  /** Checks the ranges and copies the widths. */
  public Budget {
    hidden = hidden.clone();
    if (hidden.length < 1) {
      throw new IllegalArgumentException("the network needs at least one hidden layer");
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("hidden widths must be >= 1, found " + h);
      }
    }
    java.util.Objects.requireNonNull(activation, "activation");
    if (trainEpochs < 1 || finetuneEpochs < 1 || batchSize < 1 || rewindEpochs < 0 || timingRepeats < 1) {
      throw new IllegalArgumentException("need trainEpochs, finetuneEpochs, batchSize, timingRepeats >= 1 and "
          + "rewindEpochs >= 0, found " + trainEpochs + ", " + finetuneEpochs + ", " + batchSize + ", "
          + timingRepeats + ", " + rewindEpochs);
    }
    if (rewindEpochs > trainEpochs) {
      throw new IllegalArgumentException("the rewind point (" + rewindEpochs + " epochs) lies after the end of "
          + "training (" + trainEpochs + " epochs)");
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive and finite, found " + learningRate);
    }
  }

  /**
   * Small defaults that keep {@code compare --data builtin:iris --methods all --seeds 1} well under a
   * minute: two ReLU layers of 64 units, 60 training epochs, 15 epochs after pruning, batches of 16,
   * learning rate 3·10⁻³, rewinding to epoch 1, 15 timing rounds.
   */
  public static Budget small() {
    return new Budget(new int[] {64, 64}, Activation.RELU, 60, 15, 16, 3e-3, 1, null, 15);
  }

  /** A copy of the hidden widths. */
  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** With other hidden widths. */
  public Budget withHidden(int... h) {
    return new Budget(h, activation, trainEpochs, finetuneEpochs, batchSize, learningRate, rewindEpochs, metric,
        timingRepeats);
  }

  /** With other epoch budgets. */
  public Budget withEpochs(int train, int finetune) {
    return new Budget(hidden, activation, train, finetune, batchSize, learningRate,
        Math.min(rewindEpochs, train), metric, timingRepeats);
  }

  /** With another metric (null: the task's default). */
  public Budget withMetric(Metric m) {
    return new Budget(hidden, activation, trainEpochs, finetuneEpochs, batchSize, learningRate, rewindEpochs, m,
        timingRepeats);
  }

  /** With another number of timing rounds. */
  public Budget withTimingRepeats(int r) {
    return new Budget(hidden, activation, trainEpochs, finetuneEpochs, batchSize, learningRate, rewindEpochs,
        metric, r);
  }

  /** The metric for a split. */
  public Metric metricFor(Split split) {
    return metric != null ? metric : Metric.defaultFor(split.train().task());
  }

  /** Optimiser steps per epoch on the split's training part. */
  public long stepsPerEpoch(Split split) {
    int rows = split.train().rows();
    int batch = Math.min(batchSize, rows);
    return (rows + batch - 1) / batch;
  }

  /**
   * The dense training run: AdamW (weight decay 10⁻⁴) with a one-epoch warm-up into cosine decay, early
   * stopping on the validation loss when the split has validation rows.
   */
  public TrainingConfig training(Split split, long seed) {
    int rows = split.train().rows();
    TrainingConfig tc = TrainingConfig.defaults(split.train().task(), rows)
        .withEpochs(trainEpochs)
        .withBatchSize(Math.min(batchSize, rows))
        .withOptimizer(Optimizer.adamW(learningRate, 1e-4))
        .withSchedule(Schedule.warmup(stepsPerEpoch(split), Schedule.cosine(0.01)))
        .withSeed(seed);
    return split.validation().rows() > 0 ? tc.withValidation(split.validation())
        : tc.withEarlyStopping(EarlyStopping.off());
  }

  /** Training after pruning: the dense run's settings for {@code epochs} epochs of plain cosine decay. */
  public static TrainingConfig finetune(TrainedNetwork trained, int epochs, long seedOffset) {
    return trained.training().withEpochs(Math.max(1, epochs)).withSchedule(Schedule.cosine(0.01))
        .withSeed(trained.seed() + seedOffset);
  }
}
