package dev.topiary.methods.study;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.methods.Evaluate;
import dev.topiary.methods.RecipeListener;
import dev.topiary.methods.compare.Budget;
import dev.topiary.methods.compare.Comparison;
import dev.topiary.methods.compare.MethodResult;
import dev.topiary.methods.compare.PruningMethod;
import dev.topiary.methods.compare.TrainedNetwork;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.EpochReport;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingListener;
import dev.topiary.training.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much pre-training a good subnetwork needs (seed {@code 003}, Wolfe et al.): the quality of the
 * subnetwork that pruning finds — test metric after pruning to a fixed parameter budget and fine-tuning
 * for a fixed number of epochs — against
 *
 * <ul>
 *   <li>the amount of pre-training: checkpoints of one run on all training rows after 1, 2, 4, … epochs
 *       (early stopping off, so a checkpoint is exactly that many iterations), and
 *   <li>the size of the pre-training data: full runs on the first share of the (already shuffled)
 *       training rows, each pruned and fine-tuned on its own rows.
 * </ul>
 *
 * The paper's theory says the pre-training needed grows with the logarithm of the data-set size; the
 * plots let one look for the point after which more pre-training stops improving the subnetwork.
 */
public final class PretrainingStudy {

  private PretrainingStudy() {}

  /** Runs both axes of the study. */
  public static StudyReport run(Split split, StudyConfig config, RecipeListener listener) {
    Budget budget = config.budget();
    Metric metric = budget.metricFor(split);
    List<StudyReport.Point> points = new ArrayList<>();
    long seed = config.seed();

    // Axis 1: checkpoints of one run.
    int[] epochs = config.checkpointEpochs();
    Network net = Scaling.fit(Network.mlp(split.train().features(), budget.hidden(), budget.activation(),
        split.train().task(), seed), split.train());
    TrainingConfig tc = budget.training(split, seed).withEarlyStopping(EarlyStopping.off());
    Map<Integer, Network> checkpoints = new LinkedHashMap<>();
    Network initial = net.copy();
    Network live = net;
    TrainingListener capture = new TrainingListener() {
      @Override
      public void onEpochEnd(EpochReport report) {
        if (Arrays.stream(epochs).anyMatch(e -> e == report.epoch())) {
          checkpoints.put(report.epoch(), live.copy());
        }
      }
    };
    long t0 = System.nanoTime();
    listener.stageStarted("pretrain", budget.trainEpochs() + " epochs, checkpoints at " + Arrays.toString(epochs));
    TrainingResult run = new Trainer(tc).addListener(capture).addListener(listener.training("pretrain"))
        .fit(net, split.train());
    listener.stageFinished("pretrain", since(t0), checkpoints.size() + " checkpoints");
    long stepsPerEpoch = budget.stepsPerEpoch(split);
    for (Map.Entry<Integer, Network> c : checkpoints.entrySet()) {
      TrainedNetwork t = new TrainedNetwork(c.getValue(), initial, initial, 0, tc, run, seed);
      points.addAll(prune(t, split, config, metric, StudyReport.Axis.PRETRAINING, c.getKey(),
          c.getKey() * stepsPerEpoch, listener));
    }

    // Axis 2: growing training sets.
    for (double f : config.dataFractions()) {
      int rows = Math.max(2, (int) Math.ceil(f * split.train().rows()));
      rows = Math.min(rows, split.train().rows());
      int[] idx = new int[rows];
      for (int i = 0; i < rows; i++) {
        idx[i] = i;
      }
      Dataset sub = split.train().subset(idx, split.train().name());
      Split part = new Split(sub, split.validation(), split.test());
      t0 = System.nanoTime();
      listener.stageStarted("pretrain", rows + " rows, " + budget.trainEpochs() + " epochs");
      TrainedNetwork t = Comparison.train(part, budget, seed, listener);
      listener.stageFinished("pretrain", since(t0), rows + " rows: " + t.result().epochsRun() + " epochs");
      points.addAll(prune(t, part, config, metric, StudyReport.Axis.DATA_SIZE, t.result().epochsRun(),
          (long) t.result().epochsRun() * budget.stepsPerEpoch(part), listener));
    }
    return new StudyReport(split.source(), metric, config.keepFraction(),
        points);
  }

  private static List<StudyReport.Point> prune(TrainedNetwork t, Split split, StudyConfig config, Metric metric,
      StudyReport.Axis axis, int epochs, long iterations, RecipeListener listener) {
    List<StudyReport.Point> out = new ArrayList<>();
    double dense = Evaluate.metric(t.network(), split.test(), metric);
    for (PruningMethod m : config.methods()) {
      long t0 = System.nanoTime();
      listener.stageStarted(m.name(), axis + " " + epochs + " epochs, " + split.train().rows() + " rows");
      MethodResult r = m.apply(t, split, config.keepFraction(), config.budget());
      double value = Evaluate.metric(r.network(), split.test(), metric);
      out.add(new StudyReport.Point(axis, epochs, iterations, split.train().rows(), m.name(), dense, value,
          (double) r.parameters() / t.network().parameterCount()));
      listener.stageFinished(m.name(), since(t0), String.format(Locale.ROOT, "dense %.4f -> pruned %.4f",
          dense, value));
    }
    return out;
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
