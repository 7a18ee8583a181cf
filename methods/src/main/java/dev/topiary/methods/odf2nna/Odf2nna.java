package dev.topiary.methods.odf2nna;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Init;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.methods.Evaluate;
import dev.topiary.methods.RecipeListener;
import dev.topiary.methods.criteria.GradientStatisticsCollector;
import dev.topiary.pruning.criteria.LayerScores;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.ThresholdCandidates;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import dev.topiary.training.schedule.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * ODF2NNA (Sánchez et al., seed {@code 000}): build an oversized uniform network, train it to
 * convergence with early stopping, measure the standard deviation σ of every hidden unit's output over the
 * training data, remove the units with σ ≤ ε with their means folded into the next layer's bias, and
 * fine-tune the smaller network for a fraction of the original epochs.
 *
 * <p>Which data each step sees: the statistics are gathered on the training split (the most rows, and
 * the data the network was fitted to); the automatic ε search and early stopping watch the validation
 * split; the scores the paper compares are taken on the test split, which nothing else touches.
 *
 * <p>The recipe takes any {@link UnitCriterion} in place of σ ({@link Odf2nnaConfig#criterion()}), with a
 * fixed rule such as {@link ThresholdRule#fractionPerLayer}: the same surgery, fine-tuning and report, so
 * criteria compare on equal terms. The automatic ε search is σ's alone.
 *
 * <p>The input network of {@link #prune} is never modified: surgery builds new arrays, and only those
 * are fine-tuned.
 */
public final class Odf2nna {

  private final Odf2nnaConfig config;
  private RecipeListener listener = RecipeListener.none();

  /**
   * A recipe with the given configuration.
   *
   * @throws IllegalArgumentException if the automatic ε search is asked of a criterion other than σ
   */
  public Odf2nna(Odf2nnaConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    if (!(config.epsilon() instanceof EpsilonChoice.Fixed) && !isVariance(config.criterion())) {
      throw new IllegalArgumentException("the automatic ε search thresholds σ; criterion '"
          + config.criterion().name() + "' needs a fixed rule such as a fraction per layer");
    }
  }

  private static boolean isVariance(UnitCriterion c) {
    return c == VarianceCriterion.INSTANCE;
  }

  /** Reports progress to {@code l}. */
  public Odf2nna listener(RecipeListener l) {
    this.listener = java.util.Objects.requireNonNull(l, "listener");
    return this;
  }

  /** The configuration. */
  public Odf2nnaConfig config() {
    return config;
  }

  /** The training recipe for a split: the configured one, or the defaults, watching the validation part. */
  public TrainingConfig trainingConfig(Split split) {
    TrainingConfig t = config.training() != null
        ? config.training()
        : TrainingConfig.defaults(split.train().task(), split.train().rows()).withSeed(config.seed());
    return t.withValidation(split.validation());
  }

  /** Builds the oversized network, trains it, then prunes and fine-tunes it as {@link #prune} does. */
  public Odf2nnaReport run(Split split) {
    Map<String, Duration> times = new LinkedHashMap<>();
    Dataset train = split.train();
    Architecture architecture = config.architecture() != null ? config.architecture()
        : Architecture.defaultFor(train.task(), train.rows(), train.features());
    Network net = architecture.build(train.features(), train.task(), train.rows(), config.seed());
    net = Scaling.fit(net, train);
    TrainingConfig tc = trainingConfig(split);
    long t0 = System.nanoTime();
    listener.stageStarted("train", net.describe() + ", up to " + tc.epochs() + " epochs");
    TrainingResult trained = new Trainer(tc).addListener(listener.training("train")).fit(net, train);
    Duration took = since(t0);
    times.put("train", took);
    listener.stageFinished("train", took, trained.epochsRun() + " epochs, best " + trained.bestEpoch());
    return pruneTrained(net, trained, trained.epochsRun(), split, times);
  }

  /**
   * Prunes a network trained elsewhere (left untouched), fine-tunes for {@code finetuneFraction} of
   * {@code originalEpochs}, and reports.
   *
   * @throws IllegalArgumentException if the split does not fit the network
   */
  public Odf2nnaReport prune(Network trained, int originalEpochs, Split split) {
    if (originalEpochs < 1) {
      throw new IllegalArgumentException("original epochs must be >= 1, found " + originalEpochs);
    }
    return pruneTrained(trained, null, originalEpochs, split, new LinkedHashMap<>());
  }

  /** A pruned network, its fine-tuned version and the validation metric of the latter. */
  private record Candidate(PruningPlan plan, Network pruned, Network finetuned, TrainingResult training,
      boolean finetuneKept, double validation) {}

  private Odf2nnaReport pruneTrained(Network original, TrainingResult originalTraining, int originalEpochs,
      Split split, Map<String, Duration> times) {
    Metric metric = config.metric() != null ? config.metric() : Metric.defaultFor(original.task());
    Dataset evalData = split.train();
    double originalVal = Evaluate.metric(original, split.validation(), metric);
    TrainingConfig tc = trainingConfig(split);

    long t0;
    Duration took;
    ThresholdRule rule = null;
    String epsilonText;
    Candidate chosen = null;
    List<Odf2nnaReport.Probe> probes = new ArrayList<>();
    Selection selection = null;
    PruningPlan plan = null;
    Network pruned = null;
    Candidate done = null;
    double epsilonValue = Double.NaN;
    if (config.epsilon() instanceof EpsilonChoice.Tested tested) {
      t0 = System.nanoTime();
      listener.stageStarted("search", tested.describe());
      TestedSearch.Outcome found = new TestedSearch(tested, metric, tc,
          (p, data, epochs) -> tune(p, data, epochs, tc), config.seed(),
          msg -> listener.stageStarted("search", msg)).run(original, split, finetuneEpochs(originalEpochs));
      selection = found.selection();
      took = since(t0);
      times.put("search", took);
      if (found.pruned() == null) {
        plan = PruningPlan.empty();
        pruned = Surgery.apply(original, plan);
        done = new Candidate(plan, pruned, pruned, null, false, originalVal);
        epsilonText = tested.describe() + ": " + (selection.guard() != null ? selection.guard()
            : "no candidate passed; nothing removed");
      } else {
        plan = found.plan();
        pruned = found.pruned();
        Network tuned = found.finetuned().network();
        done = new Candidate(plan, pruned, tuned, found.finetuned().training(), found.finetuned().kept(),
            Evaluate.metric(tuned, split.validation(), metric));
        epsilonValue = found.epsilon();
        epsilonText = tested.describe() + ": " + selection.levels().get(selection.chosen()).unitsRemoved()
            + " of the hidden units removed";
      }
      listener.stageFinished("search", took, selection.levels().size() + " candidates, "
          + (selection.chosen() < 0 ? "none passed" : "chose " + original.parameterCount() + " -> "
          + done.finetuned().parameterCount() + " parameters"));
    } else if (config.epsilon() instanceof EpsilonChoice.Auto auto) {
      // Statistics, once: the search plans every candidate from them without another pass.
      t0 = System.nanoTime();
      listener.stageStarted("statistics", "σ and μ of every hidden unit over " + evalData.rows() + " rows");
      UnitStatistics stats = UnitStatistics.gather(original, evalData);
      took = since(t0);
      times.put("statistics", took);
      listener.stageFinished("statistics", took, stats.prunableLayers().size() + " prunable layers");

      t0 = System.nanoTime();
      listener.stageStarted("search", "largest ε keeping validation " + metric.id() + " within "
          + auto.tolerance() + " of " + fmt(originalVal));
      SearchOutcome found = search(original, stats, split, metric, originalVal, auto, originalEpochs, tc,
          probes);
      rule = found.rule();
      chosen = found.candidate();
      took = since(t0);
      times.put("search", took);
      epsilonText = config.epsilon().describe() + ": " + rule.describe();
      listener.stageFinished("search", took, probes.size() + " trials, chose " + rule.describe());
    } else {
      rule = ((EpsilonChoice.Fixed) config.epsilon()).rule();
      epsilonText = rule.describe();
    }
    if (rule != null) {
      epsilonValue = epsilonOf(rule);
    }

    boolean oneShotReady = chosen != null && config.schedule() == dev.topiary.pruning.pruner.Schedule.ONE_SHOT;
    if (done != null) {
      // The tested search delivered the pruned and fine-tuned network.
    } else if (oneShotReady) {
      // The search built exactly this network from exactly these statistics.
      plan = chosen.plan();
      pruned = chosen.pruned();
    } else {
      t0 = System.nanoTime();
      UnitCriterion criterion = config.criterion();
      listener.stageStarted("prune", criterion.name() + ", " + rule.describe() + ", " + config.schedule());
      PruningResult result = UnitPruner.prune(original, evalData, criterion, rule, config.schedule(),
          StatisticsOptions.defaults(), criterion.needsGradients() ? GradientStatisticsCollector.defaults() : null);
      took = since(t0);
      times.put("prune", took);
      plan = result.plan();
      pruned = result.network();
      listener.stageFinished("prune", took, original.parameterCount() + " -> " + pruned.parameterCount()
          + " parameters");
    }

    if (done != null) {
      // already fine-tuned by the search
    } else if (oneShotReady && chosen.finetuned() != null) {
      done = chosen;
    } else {
      t0 = System.nanoTime();
      listener.stageStarted("finetune", finetuneEpochs(originalEpochs) + " epochs");
      done = finetune(plan, pruned, originalEpochs, tc, split, metric, listener.training("finetune"));
      took = since(t0);
      times.put("finetune", took);
      listener.stageFinished("finetune", took, done.training() == null ? "skipped"
          : done.training().epochsRun() + " epochs" + (done.finetuneKept() ? "" : ", kept the pruned weights"));
    }

    Network scratch = null;
    TrainingResult scratchResult = null;
    // The control is the pruned shape trained from scratch; with nothing removed it would only retrain the original.
    if (config.compareScratch() && pruned.parameterCount() < original.parameterCount()) {
      scratch = Scaling.fit(reinitialised(pruned, tc.seed() + 2), split.train());
      TrainingConfig sc = tc.withSeed(tc.seed() + 2);
      t0 = System.nanoTime();
      listener.stageStarted("scratch", scratch.describe() + " from a fresh initialisation, up to "
          + sc.epochs() + " epochs");
      scratchResult = new Trainer(sc).addListener(listener.training("scratch")).fit(scratch, split.train());
      took = since(t0);
      times.put("scratch", took);
      listener.stageFinished("scratch", took, scratchResult.epochsRun() + " epochs");
    }

    Network finetuned = done.finetuned();
    Odf2nnaReport.Scores test = scores(metric, split.test(), original, pruned, finetuned, scratch);
    Odf2nnaReport.Scores val = new Odf2nnaReport.Scores(originalVal,
        Evaluate.metric(pruned, split.validation(), metric), done.validation(),
        scratch == null ? Double.NaN : Evaluate.metric(scratch, split.validation(), metric));
    return new Odf2nnaReport(split.source(), metric, original, pruned, finetuned, scratch,
        SizeReport.compare(original, pruned, List.of()), plan, config.criterion().name(), epsilonText, epsilonValue, probes,
        test, val, originalTraining, done.training(), done.finetuneKept(), scratchResult, times, selection);
  }

  private int finetuneEpochs(int originalEpochs) {
    return config.finetuneFraction() == 0 ? 0
        : Math.max(1, (int) Math.round(config.finetuneFraction() * originalEpochs));
  }

  /**
   * Fine-tunes a copy of {@code pruned} and keeps the result only if its validation metric is at least
   * that of the pruned network itself: early stopping with the state before the first epoch as a
   * candidate, so fine-tuning never makes the delivered model worse on validation.
   */
  private Candidate finetune(PruningPlan plan, Network pruned, int originalEpochs, TrainingConfig tc,
      Split split, Metric metric, dev.topiary.training.TrainingListener trainingListener) {
    double before = Evaluate.metric(pruned, split.validation(), metric);
    int epochs = finetuneEpochs(originalEpochs);
    if (epochs == 0) {
      return new Candidate(plan, pruned, pruned, null, false, before);
    }
    // The original schedule's warm-up exists to leave a random initialisation gently; a trained
    // network continues with a plain cosine decay.
    TrainingConfig ft = tc.withEpochs(epochs).withSchedule(Schedule.cosine(0.01)).withSeed(tc.seed() + 1);
    Network tuned = pruned.copy();
    TrainingResult r = new Trainer(ft).addListener(trainingListener).fit(tuned, split.train());
    double after = Evaluate.metric(tuned, split.validation(), metric);
    boolean keep = !metric.isBetter(before, after);
    return keep ? new Candidate(plan, pruned, tuned, r, true, after)
        : new Candidate(plan, pruned, pruned, r, false, before);
  }

  /**
   * Fine-tunes a copy of {@code pruned} on {@code train} for exactly {@code epochs} with the recipe's
   * optimiser and a plain cosine decay, for the tested search. Nothing here looks at held-out rows — no
   * early stopping, no keep-the-better choice — so that the rows the search judges candidates on (the
   * validation split for the delivered network, each fold for its fold network) stay unseen by
   * everything that shaped the candidate, and its comparison is not biased in the candidate's favour.
   */
  private static TestedSearch.Tuned tune(Network pruned, Dataset train, int epochs, TrainingConfig tc) {
    if (epochs == 0) {
      return new TestedSearch.Tuned(pruned, null, false);
    }
    TrainingConfig ft = tc.withValidation(null).withEpochs(epochs).withSchedule(Schedule.cosine(0.01))
        .withSeed(tc.seed() + 1);
    Network tuned = pruned.copy();
    TrainingResult r = new Trainer(ft).fit(tuned, train);
    return new TestedSearch.Tuned(tuned, r, true);
  }

  private record SearchOutcome(ThresholdRule rule, Candidate candidate) {}

  /**
   * Bisection over the sorted distinct σ values (or σ/max per layer): the largest ε whose one-shot
   * pruned network keeps the validation metric within the tolerance, judged before or after fine-tuning.
   * Removal is monotone in ε; the metric is assumed to be too, which is what makes bisection sound. The
   * probes are in the report so a reader can see when it is not.
   */
  private SearchOutcome search(Network original, UnitStatistics stats, Split split, Metric metric,
      double reference, EpsilonChoice.Auto auto, int originalEpochs, TrainingConfig tc,
      List<Odf2nnaReport.Probe> probes) {
    List<LayerScores> scores = VarianceCriterion.INSTANCE.scoreAll(stats);
    double[] candidates;
    if (auto.relative()) {
      TreeSet<Double> all = new TreeSet<>();
      ThresholdCandidates.perLayerRelative(scores).values().forEach(a -> {
        for (double v : a) {
          all.add(v);
        }
      });
      candidates = all.stream().mapToDouble(Double::doubleValue).toArray();
    } else {
      candidates = ThresholdCandidates.global(scores);
    }
    ScoringContext context = ScoringContext.of(original, stats);
    int lo = -1; // the largest index known to be acceptable (-1: remove nothing)
    int hi = candidates.length; // the smallest index known to fail
    Candidate best = null;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      ThresholdRule r = ruleFor(auto, candidates[mid]);
      PruningPlan plan = UnitPruner.plan(context, VarianceCriterion.INSTANCE, r, null);
      Network p = Surgery.apply(original, plan);
      Candidate c = auto.afterFinetune()
          ? finetune(plan, p, originalEpochs, tc, split, metric, new dev.topiary.training.TrainingListener() {})
          : new Candidate(plan, p, null, null, false, Evaluate.metric(p, split.validation(), metric));
      boolean ok = metric.degradation(c.validation(), reference) <= auto.tolerance() + 1e-12;
      probes.add(new Odf2nnaReport.Probe(candidates[mid], p.parameterCount(), c.validation(), ok));
      if (ok) {
        lo = mid;
        best = c;
      } else {
        hi = mid;
      }
    }
    if (lo < 0) {
      // ε below every σ removes nothing; a negative absolute threshold says so unambiguously.
      ThresholdRule none = ruleFor(auto, -1.0);
      PruningPlan plan = UnitPruner.plan(context, VarianceCriterion.INSTANCE, none, null);
      return new SearchOutcome(none, new Candidate(plan, Surgery.apply(original, plan), null, null, false,
          Double.NaN));
    }
    return new SearchOutcome(ruleFor(auto, candidates[lo]), best);
  }

  private static ThresholdRule ruleFor(EpsilonChoice.Auto auto, double epsilon) {
    return auto.relative() ? ThresholdRule.relativeToMax(epsilon) : ThresholdRule.absolute(epsilon);
  }

  private static double epsilonOf(ThresholdRule rule) {
    if (rule instanceof ThresholdRule.Absolute a) {
      return a.epsilon();
    }
    if (rule instanceof ThresholdRule.RelativeToMax r) {
      return r.ratio();
    }
    return Double.NaN;
  }

  private static Odf2nnaReport.Scores scores(Metric metric, Dataset test, Network original, Network pruned,
      Network finetuned, Network scratch) {
    return new Odf2nnaReport.Scores(Evaluate.metric(original, test, metric),
        Evaluate.metric(pruned, test, metric), Evaluate.metric(finetuned, test, metric),
        scratch == null ? Double.NaN : Evaluate.metric(scratch, test, metric));
  }

  /**
   * The same architecture (widths, activations, residual structure, task) with every parameter drawn
   * afresh: He or Glorot weights by activation, zero biases. Scalings are dropped; fit them again.
   */
  public static Network reinitialised(Network shape, long seed) {
    Random random = new Random(seed);
    List<Layer> layers = new ArrayList<>();
    for (Layer l : shape.layers()) {
      if (l instanceof DenseLayer d) {
        layers.add(fresh(d, random));
      } else if (l instanceof ResidualBlock b) {
        List<DenseLayer> f = new ArrayList<>();
        for (DenseLayer d : b.layers()) {
          f.add(fresh(d, random));
        }
        layers.add(new ResidualBlock(f));
      }
    }
    return new Network(shape.inputSize(), layers, shape.task(), null, null);
  }

  private static DenseLayer fresh(DenseLayer d, Random random) {
    return DenseLayer.initialised(d.inputSize(), d.outputSize(), d.activation(),
        Init.forActivation(d.activation()), random);
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4f", v);
  }
}
