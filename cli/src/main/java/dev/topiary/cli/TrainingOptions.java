package dev.topiary.cli;

import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The training options a command may override ({@code --epochs --batch --lr --optimizer --patience
 * --stop-on --threads --clip-norm}); whatever is not given comes from {@link TrainingConfig#defaults}. The values a run used are
 * recorded in the model file ({@link #describe}) so that fine-tuning can later use the same recipe
 * ({@link #fromDescription}).
 */
final class TrainingOptions {

  private static final String LOSS = "loss";

  /** The optimisers offered on the command line. */
  enum OptimizerName {
    /** AdamW, weight decay 1e-4. */
    ADAMW,
    /** Adam without weight decay. */
    ADAM,
    /** SGD with Nesterov momentum 0.9. */
    SGD;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Option(names = "--epochs", paramLabel = "N",
      description = "Most epochs to train (default: enough for about 6,000 steps, between 20 and 400).")
  Integer epochs;

  @Option(names = "--batch", paramLabel = "B",
      description = "Rows per step (default: 32 below 2,000 training rows, 64 below 20,000, else 128).")
  Integer batch;

  @Option(names = "--lr", paramLabel = "LR", description = "Base learning rate (default: 0.001).")
  Double lr;

  @Option(names = "--optimizer", paramLabel = "NAME",
      description = "adamw (default; weight decay 1e-4), adam, or sgd (Nesterov momentum 0.9).")
  OptimizerName optimizer;

  @Option(names = "--patience", paramLabel = "P",
      description = "Stop after P epochs without a better validation score (see --stop-on), keeping the "
          + "best weights (default: a tenth of the epochs, at least 10).")
  Integer patience;

  @Option(names = "--stop-on", paramLabel = "NAME",
      description = "What early stopping watches on the validation set: loss (the default, but accuracy "
          + "for classification with at least 10,000 training rows), or a metric: "
          + "accuracy, macro-f1, log-loss (classification); mse, rmse, mae, r2 (regression).")
  String stopOn;

  @Option(names = "--threads", paramLabel = "T", description = "Threads for the kernels (default: all processors).")
  Integer threads;

  @Option(names = "--clip-norm", paramLabel = "C",
      description = "Clip the global gradient norm to C at every step (default: no clipping).")
  Double clipNorm;

  /** The recipe for a task with {@code rows} training rows; no validation set yet. */
  TrainingConfig build(Task task, int rows, long seed) {
    if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new InputException("--clip-norm must be a positive number, found " + clipNorm);
    }
    TrainingConfig c = configure(task, rows, seed, epochs, batch, lr, optimizer, patience, stopOn, threads);
    return clipNorm == null ? c : c.withClipNorm(clipNorm);
  }

  /** {@code stopOn}: "loss", a {@link Metric} id, or null for the loss. */
  static TrainingConfig configure(Task task, int rows, long seed, Integer epochs, Integer batch, Double lr,
      OptimizerName optimizer, Integer patience, String stopOn, Integer threads) {
    positive("--epochs", epochs);
    positive("--batch", batch);
    positive("--patience", patience);
    positive("--threads", threads);
    if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
      throw new InputException("--lr must be a positive number, found " + lr);
    }
    TrainingConfig c = TrainingConfig.defaults(task, rows).withSeed(seed);
    Metric watched = stopOn == null ? c.earlyStopping().metric() : stopMetric(stopOn, task);
    int b = batch != null ? batch : c.batchSize();
    long stepsPerEpoch = (rows + Math.min(b, rows) - 1) / Math.min(b, rows);
    int e = epochs != null ? epochs : batch == null ? c.epochs()
        : (int) Math.max(20, Math.min(400, (6_000 + stepsPerEpoch - 1) / stepsPerEpoch));
    int p = patience != null ? patience : Math.max(10, e / 10);
    double rate = lr != null ? lr : c.optimizer().learningRate();
    Optimizer opt = switch (optimizer == null ? OptimizerName.ADAMW : optimizer) {
      case ADAMW -> Optimizer.adamW(rate, 1e-4);
      case ADAM -> Optimizer.adam(rate);
      case SGD -> Optimizer.sgd(rate, 0.9, true, 0);
    };
    c = c.withBatchSize(b).withEpochs(e).withOptimizer(opt)
        .withSchedule(Schedule.warmup(stepsPerEpoch, Schedule.cosine(0.01)))
        .withEarlyStopping(watched == null ? EarlyStopping.onLoss(p) : EarlyStopping.on(watched, p));
    return threads != null ? c.withThreads(threads) : c;
  }

  /** The metric {@code --stop-on} names, or null for the loss. */
  private static Metric stopMetric(String name, Task task) {
    if (name == null || name.isBlank() || name.trim().equalsIgnoreCase(LOSS)) {
      return null;
    }
    Metric m;
    try {
      m = Metric.parse(name);
    } catch (IllegalArgumentException e) {
      throw new InputException("--stop-on: " + e.getMessage() + ", or " + LOSS);
    }
    if (!m.appliesTo(task)) {
      throw new InputException("--stop-on " + m.id() + " does not apply to "
          + (task.isClassification() ? "classification" : "regression") + "; use one of "
          + String.join(", ", Metric.forTask(task).stream().map(Metric::id).toList()) + " or " + LOSS);
    }
    return m;
  }

  private static void positive(String option, Integer v) {
    if (v != null && v < 1) {
      throw new InputException(option + " must be at least 1, found " + v);
    }
  }

  /** The recipe's values with the network's hidden widths and activation, for model metadata and reports. */
  static Map<String, Object> describe(TrainingConfig c, int[] hidden, Activation activation) {
    Map<String, Object> m = describe(c);
    m.put("hidden", hidden);
    m.put("activation", activation.name().toLowerCase(Locale.ROOT));
    return m;
  }

  /** The recipe's values, for model metadata and reports. */
  static Map<String, Object> describe(TrainingConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", name(c.optimizer()).id());
    m.put("learning_rate", c.optimizer().learningRate());
    m.put("batch", c.batchSize());
    m.put("max_epochs", c.epochs());
    m.put("patience", c.earlyStopping().patience());
    if (c.earlyStopping().metric() != null) {
      m.put("stop_on", c.earlyStopping().metric().id());
    }
    m.put("seed", c.seed());
    return m;
  }

  private static OptimizerName name(Optimizer o) {
    if (o instanceof dev.topiary.training.optim.Adam a) {
      return a.weightDecay() > 0 ? OptimizerName.ADAMW : OptimizerName.ADAM;
    }
    return OptimizerName.SGD;
  }

  /**
   * The recipe {@link #describe} recorded, rebuilt for a task and row count; values it lacks (or an
   * unreadable description) fall back to the defaults.
   */
  static TrainingConfig fromDescription(Map<?, ?> d, Task task, int rows, long seed) {
    if (d == null) {
      return configure(task, rows, seed, null, null, null, null, null, null, null);
    }
    OptimizerName opt = null;
    if (d.get("optimizer") instanceof String s) {
      for (OptimizerName n : OptimizerName.values()) {
        if (n.id().equals(s)) {
          opt = n;
        }
      }
    }
    return configure(task, rows, seed, intOrNull(d.get("max_epochs")), intOrNull(d.get("batch")),
        d.get("learning_rate") instanceof Number n && n.doubleValue() > 0 ? n.doubleValue() : null, opt,
        intOrNull(d.get("patience")), recordedStopOn(d.get("stop_on"), task), null);
  }

  private static String recordedStopOn(Object o, Task task) {
    if (o instanceof String s) {
      try {
        stopMetric(s, task);
        return s;
      } catch (InputException e) {
        return null;
      }
    }
    return null;
  }

  private static Integer intOrNull(Object o) {
    return o instanceof Long l && l >= 1 && l <= Integer.MAX_VALUE ? (int) (long) l : null;
  }
}
