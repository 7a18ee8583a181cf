package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.methods.Evaluate;
import dev.topiary.methods.RecipeListener;
import dev.topiary.methods.lottery.WeightCapture;
import dev.topiary.methods.measure.Latency;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pruning methods side by side: for each seed, one dense network is trained once (the initialisation
 * and the early iterate of the same run are kept for the lottery tickets and pruning at
 * initialisation); every method then starts from that network, at the same parameter budget and the same
 * training budget after pruning, and is scored on the test split, with the parameters and FLOPs it keeps
 * and its measured inference speed-up at batch 256.
 */
public final class Comparison {

  /** Rows per call when the speed-up of a pruned network is measured (see {@link Latency#speedup}). */
  public static final int TIMING_BATCH = 256;

  private Comparison() {}

  /** One budget: see {@link #run(Split, List, List, int, Budget, RecipeListener)}. */
  public static ComparisonReport run(Split split, List<PruningMethod> methods, double keepFraction, int seeds,
      Budget budget) {
    return run(split, methods, List.of(keepFraction), seeds, budget, RecipeListener.none());
  }

  /**
   * Runs every method at every keep fraction on {@code seeds} seeds (1, 2, …), training the dense network
   * once per seed.
   *
   * @param split raw data; methods train on its training part, the dense run watches its validation part,
   *     and only the test part is scored
   * @param methods the contenders; those that do not {@linkplain PruningMethod#appliesTo apply} to the
   *     task are skipped (the listener hears of it)
   * @throws IllegalArgumentException if a keep fraction is not in (0, 1], seeds &lt; 1, or no method given
   *     applies to the task
   */
  public static ComparisonReport run(Split split, List<PruningMethod> methods, List<Double> keepFractions,
      int seeds, Budget budget, RecipeListener listener) {
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("no methods to compare");
    }
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be >= 1, found " + seeds);
    }
    for (double k : keepFractions) {
      if (!(k > 0 && k <= 1)) {
        throw new IllegalArgumentException("keep fraction must be in (0, 1], found " + k);
      }
    }
    Metric metric = budget.metricFor(split);
    if (!metric.appliesTo(split.train().task())) {
      throw new IllegalArgumentException("metric " + metric.id() + " does not apply to "
          + split.train().task().kind());
    }
    String kind = split.train().task().kind().name().toLowerCase(Locale.ROOT);
    List<PruningMethod> skipped = methods.stream().filter(m -> !m.appliesTo(split.train().task())).toList();
    if (skipped.size() == methods.size()) {
      throw new IllegalArgumentException("no method given applies to " + kind + ": "
          + String.join(", ", methods.stream().map(PruningMethod::name).toList()));
    }
    for (PruningMethod m : skipped) {
      listener.stageFinished(m.name(), Duration.ZERO, "skipped: does not apply to " + kind);
    }
    methods = methods.stream().filter(m -> m.appliesTo(split.train().task())).toList();
    List<Long> seedList = new ArrayList<>();
    List<ComparisonReport.Entry> dense = new ArrayList<>();
    List<ComparisonReport.Entry> entries = new ArrayList<>();
    Map<Long, long[]> denseSizes = new HashMap<>();
    float[] timingX = split.test().rows() > 0 ? split.test().x() : split.train().x();
    int timingRows = split.test().rows() > 0 ? split.test().rows() : split.train().rows();
    for (int s = 1; s <= seeds; s++) {
      long seed = s;
      seedList.add(seed);
      long t0 = System.nanoTime();
      listener.stageStarted("train", "seed " + seed + ", " + budget.trainEpochs() + " epochs");
      TrainedNetwork trained = train(split, budget, seed, listener);
      Network net = trained.network();
      double denseMetric = Evaluate.metric(net, split.test(), metric);
      listener.stageFinished("train", since(t0), String.format(Locale.ROOT, "seed %d: test %s %.4f", seed,
          metric.id(), denseMetric));
      denseSizes.put(seed, new long[] {net.parameterCount(), net.flops()});
      dense.add(new ComparisonReport.Entry("dense", 1.0, seed, denseMetric, net.parameterCount(), net.flops(),
          1.0, true, 0, seconds(t0), trained.result().epochsRun() + " epochs"));
      for (double keep : keepFractions) {
        // FLOPs-matched methods run last, at the mean FLOPs the structured methods kept; entries stay in
        // the order the methods were given.
        ComparisonReport.Entry[] done = new ComparisonReport.Entry[methods.size()];
        double flopsSum = 0;
        int structured = 0;
        for (int pass = 0; pass < 2; pass++) {
          for (int i = 0; i < methods.size(); i++) {
            PruningMethod m = methods.get(i);
            if ((m instanceof FlopsMatched) != (pass == 1)) {
              continue;
            }
            long t1 = System.nanoTime();
            listener.stageStarted(m.name(), String.format(Locale.ROOT, "seed %d, keep %.2f", seed, keep));
            MethodResult r;
            if (m instanceof FlopsMatched f) {
              long target = structured > 0 ? Math.round(flopsSum / structured) : Math.round(keep * net.flops());
              r = f.apply(trained, split, keep, budget, target);
            } else {
              r = m.apply(trained, split, keep, budget);
              if (r.structural()) {
                flopsSum += r.flops();
                structured++;
              }
            }
            double value = Evaluate.metric(r.network(), split.test(), metric);
            double secs = seconds(t1);
            double speed = Latency.speedup(net, r.network(), timingX, timingRows, TIMING_BATCH,
                budget.timingRepeats());
            done[i] = new ComparisonReport.Entry(m.name(), keep, seed, value, r.parameters(), r.flops(), speed,
                r.structural(), r.epochsAfterPruning(), secs, r.detail(), r.extras());
            listener.stageFinished(m.name(), since(t1), String.format(Locale.ROOT,
                "test %s %.4f, %.3f of parameters, %s", metric.id(), value,
                (double) r.parameters() / net.parameterCount(), r.detail()));
          }
        }
        entries.addAll(java.util.Arrays.asList(done));
      }
    }
    List<ComparisonReport.Row> rows = new ArrayList<>(ComparisonReport.summarise(dense, denseSizes));
    rows.addAll(ComparisonReport.summarise(entries, denseSizes));
    return new ComparisonReport(split.source(), metric, seedList, budget, dense,
        entries, rows);
  }

  /**
   * Trains the dense network of one seed, keeping its initialisation and its weights after
   * {@link Budget#rewindEpochs()} epochs.
   */
  public static TrainedNetwork train(Split split, Budget budget, long seed, RecipeListener listener) {
    Network net = Network.mlp(split.train().features(), budget.hidden(), budget.activation(),
        split.train().task(), seed);
    net = Scaling.fit(net, split.train());
    TrainingConfig tc = budget.training(split, seed);
    long earlyStep = budget.rewindEpochs() * budget.stepsPerEpoch(split);
    WeightCapture initial = new WeightCapture(net, 0);
    WeightCapture early = new WeightCapture(net, earlyStep);
    TrainingResult result = new Trainer(tc).addListener(initial).addListener(early)
        .addListener(listener.training("train")).fit(net, split.train());
    // Early stopping may end the run before the rewind point; the initialisation then stands in.
    Network earlyWeights = early.captured() ? early.stored() : initial.stored();
    return new TrainedNetwork(net, initial.stored(), earlyWeights, early.captured() ? earlyStep : 0, tc, result,
        seed);
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
