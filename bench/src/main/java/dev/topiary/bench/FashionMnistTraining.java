package dev.topiary.bench;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.EpochReport;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingListener;
import dev.topiary.training.TrainingResult;
import dev.topiary.core.metrics.Metric;
import dev.topiary.training.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fashion-MNIST with the default recipe on a 784-256-256-256-10 ReLU network, in two modes.
 *
 * <ul>
 *   <li>{@code epochs N}: seconds per epoch over all 60,000 training rows ({@link TrainingConfig#defaults},
 *       so AdamW and batches of 128, with N epochs, no validation and no early stopping); prints each
 *       epoch's wall time and the best.
 *   <li>{@code accuracy SEED…}: for each seed, the full default recipe (warm-up and cosine decay, early
 *       stopping on the validation loss with the best weights restored) on 90 % of the training rows,
 *       validated on the other 10 %, then the accuracy on the 10,000 test rows.
 * </ul>
 *
 * <p>Usage: {@code FashionMnistTraining [--data SRC] [--threads T] [--lr RATE] [--weight-decay WD]
 * [--epochs-cap E] [--watch loss|accuracy] epochs N | accuracy SEED…}. The options other than
 * {@code --data} and {@code --threads} depart from the default recipe (AdamW's learning rate and weight
 * decay, the maximum epochs with a patience of a tenth of them, the validation metric early stopping
 * watches), to search for settings when the defaults fall short. Each result line starts with
 * {@code RESULT} and holds {@code key=value} pairs, for scripts.
 */
public final class FashionMnistTraining {

  private static final int[] HIDDEN = {256, 256, 256};
  private static final double VALIDATION_SHARE = 0.1;

  private FashionMnistTraining() {}

  /** Runs one mode; see the class comment. */
  public static void main(String[] args) throws IOException {
    String src = "idx:/usr/share/datasets/fashion-mnist";
    int threads = Kernels.threads();
    double lr = Double.NaN;
    int epochsCap = 0;
    Metric watch = null;
    boolean watchLoss = false;
    double weightDecay = Double.NaN;
    int i = 0;
    while (i < args.length && args[i].startsWith("--")) {
      switch (args[i]) {
        case "--data" -> src = args[i + 1];
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--lr" -> lr = Double.parseDouble(args[i + 1]);
        case "--epochs-cap" -> epochsCap = Integer.parseInt(args[i + 1]);
        case "--watch" -> {
          if (args[i + 1].equalsIgnoreCase("loss")) {
            watchLoss = true;
          } else {
            watch = Metric.parse(args[i + 1]);
          }
        }
        case "--weight-decay" -> weightDecay = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i += 2;
    }
    if (i >= args.length) {
      throw new IllegalArgumentException("expected 'epochs N' or 'accuracy SEED...'");
    }
    Loaded loaded = DataSources.load(src);
    if (!loaded.hasTest()) {
      throw new IllegalArgumentException(src + " has no test part (t10k files)");
    }
    String env = String.format(Locale.ROOT, "jdk=%s kernels=%s threads=%d", Runtime.version().feature(),
        Kernels.implementation(), threads);
    Settings settings = new Settings(threads, lr, weightDecay, epochsCap, watch, watchLoss);
    switch (args[i]) {
      case "epochs" -> timeEpochs(loaded.train(), Integer.parseInt(args[i + 1]), settings, env);
      case "accuracy" -> {
        for (int s = i + 1; s < args.length; s++) {
          accuracy(loaded, Long.parseLong(args[s]), settings, env);
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[i]);
    }
  }

  /** Departures from the default recipe; NaN, 0 or null leave a setting as the defaults have it. */
  private record Settings(int threads, double lr, double weightDecay, int epochs, Metric watch,
      boolean watchLoss) {

    TrainingConfig recipe(Dataset train) {
      TrainingConfig c = TrainingConfig.defaults(train.task(), train.rows()).withThreads(threads);
      if (!Double.isNaN(lr)) {
        c = c.withOptimizer(c.optimizer().withLearningRate(lr));
      }
      if (!Double.isNaN(weightDecay)) {
        c = c.withOptimizer(Optimizer.adamW(c.optimizer().learningRate(), weightDecay));
      }
      if (epochs > 0) {
        c = c.withEpochs(epochs).withEarlyStopping(c.earlyStopping().metric() == null
            ? EarlyStopping.onLoss(Math.max(10, epochs / 10))
            : EarlyStopping.on(c.earlyStopping().metric(), Math.max(10, epochs / 10)));
      }
      if (watchLoss) {
        c = c.withEarlyStopping(EarlyStopping.onLoss(c.earlyStopping().patience()));
      } else if (watch != null) {
        c = c.withEarlyStopping(EarlyStopping.on(watch, c.earlyStopping().patience()));
      }
      return c;
    }
  }

  private static void timeEpochs(Dataset train, int epochs, Settings settings, String env) {
    Network network = Scaling.fit(Network.mlp(train.features(), HIDDEN, Activation.RELU, train.task(), 1L),
        train);
    TrainingConfig config = settings.recipe(train).withEpochs(epochs)
        .withEarlyStopping(EarlyStopping.off());
    List<Double> seconds = new ArrayList<>();
    double[] previous = {0};
    Trainer trainer = new Trainer(config).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochReport report) {
        double now = report.elapsed().toNanos() / 1e9;
        double epochSeconds = now - previous[0];
        previous[0] = now;
        seconds.add(epochSeconds);
        System.out.printf(Locale.ROOT, "epoch %d: %.2f s, training loss %.4f%n", report.epoch(), epochSeconds,
            report.trainLoss());
      }
    });
    trainer.fit(network, train);
    double best = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    System.out.printf(Locale.ROOT, "RESULT mode=epochs %s rows=%d batch=%d optimizer=%s epochs=%d "
            + "best_epoch_s=%.3f all_s=%s%n", env, train.rows(), config.batchSize(),
        config.optimizer().getClass().getSimpleName(), epochs, best, seconds.stream()
            .map(s -> String.format(Locale.ROOT, "%.3f", s)).toList().toString().replace(" ", ""));
  }

  private static void accuracy(Loaded loaded, long seed, Settings settings, String env) {
    Split split = Split.of(loaded, new Split.Fractions(1 - VALIDATION_SHARE, VALIDATION_SHARE, 0), seed);
    Dataset train = split.train();
    Network network = Scaling.fit(Network.mlp(train.features(), HIDDEN, Activation.RELU, train.task(), seed),
        train);
    TrainingConfig config = settings.recipe(train).withSeed(seed)
        .withValidation(split.validation());
    TrainingResult result = new Trainer(config).fit(network, train);
    Dataset test = split.test();
    int[] predicted = network.predictClasses(test.x(), test.rows());
    int correct = 0;
    for (int r = 0; r < test.rows(); r++) {
      if (predicted[r] == test.labels()[r]) {
        correct++;
      }
    }
    System.out.printf(Locale.ROOT, "RESULT mode=accuracy %s seed=%d train=%d validation=%d test=%d "
            + "lr=%s weight_decay=%s watch=%s patience=%d epochs_max=%d epochs_run=%d best_epoch=%d seconds=%.1f "
            + "test_accuracy=%.4f%n", env, seed,
        train.rows(), split.validation().rows(), test.rows(), config.optimizer().learningRate(),
        config.optimizer().weightDecay(), config.earlyStopping().metric(), config.earlyStopping().patience(),
        config.epochs(), result.epochsRun(), result.bestEpoch(), result.wallTime().toNanos() / 1e9,
        (double) correct / test.rows());
  }
}
