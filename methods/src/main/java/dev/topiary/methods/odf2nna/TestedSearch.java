package dev.topiary.methods.odf2nna;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The search of {@link EpsilonChoice.Tested}: builds the held-out rows (the validation split, plus the
 * training split by cross-validation when the validation split is small), checks the original against a
 * trivial predictor, then climbs the ladder of candidates and keeps the most compressed one that passes.
 */
final class TestedSearch {

  /** One-shot rungs: shares of all hidden units removed, lowest σ first. */
  static final double[] ONE_SHOT_SHARES = {0.2, 0.35, 0.5, 0.6, 0.7, 0.78, 0.85, 0.9, 0.94, 0.97};

  /** Iterative steps stop once this share of the units is gone. */
  static final double MOST_REMOVED = 0.97;

  /** The search stops after this many consecutive failures. */
  static final int PATIENCE = 3;

  /** Fine-tunes a pruned network on {@code train} for {@code epochs}. */
  interface Finetuner {
    Tuned apply(Network pruned, Dataset train, int epochs);
  }

  /** A fine-tuned network, how its training went (null: none), and whether the tuned weights were kept. */
  record Tuned(Network network, TrainingResult training, boolean kept) {}

  /** The result: the chosen network (null when nothing passed), what it came from, and the record. */
  record Outcome(Network pruned, Tuned finetuned, PruningPlan plan, double epsilon, Selection selection) {}

  private final EpsilonChoice.Tested rule;
  private final Metric metric;
  private final TrainingConfig training;
  private final Finetuner finetuner;
  private final long seed;
  private final Consumer<String> progress;

  TestedSearch(EpsilonChoice.Tested rule, Metric metric, TrainingConfig training, Finetuner finetuner, long seed,
      Consumer<String> progress) {
    this.rule = rule;
    this.metric = metric;
    this.training = training;
    this.finetuner = finetuner;
    this.seed = seed;
    this.progress = progress;
  }

  /** One source of held-out rows: a network, the rows it was trained on, and rows it never saw. */
  private final class Part {
    final Network original;
    final Dataset train;
    final Dataset heldOut;
    final float[] originalOut;
    UnitStatistics stats;
    Network current;
    Network lastPruned;
    PruningPlan lastPlan;
    double lastEpsilon;

    Part(Network original, Dataset train, Dataset heldOut) {
      this.original = original;
      this.train = train;
      this.heldOut = heldOut;
      this.originalOut = original.predict(heldOut.x(), heldOut.rows());
      this.current = original;
    }

    /** The candidate of one rung; for the iterative schedule, continues the chain by one step. */
    Tuned candidate(double share, int epochs, int stepEpochs) {
      if (rule.iterative()) {
        Tuned[] tuned = new Tuned[1];
        IterativeVariance.Step s = IterativeVariance.step(current, train, share, p -> {
          tuned[0] = finetuner.apply(p, train, stepEpochs);
          return tuned[0].network();
        });
        lastPruned = s.pruned();
        lastPlan = s.plan();
        lastEpsilon = largestRemoved(s.plan());
        current = s.finetuned();
        return tuned[0];
      }
      if (stats == null) {
        stats = UnitStatistics.gather(original, train);
      }
      lastPlan = UnitPruner.plan(ScoringContext.of(original, stats), VarianceCriterion.INSTANCE,
          ThresholdRule.fractionOverall(share), null);
      lastEpsilon = largestRemoved(lastPlan);
      lastPruned = Surgery.apply(original, lastPlan);
      return finetuner.apply(lastPruned, train, epochs);
    }
  }

  Outcome run(Network original, Split split, int finetuneEpochs) {
    double tolerance = rule.toleranceFor(metric);
    Dataset train = split.train();
    Dataset validation = split.validation();
    List<Part> parts = new ArrayList<>();
    parts.add(new Part(original, train, validation));
    // The guard judges the original itself, on the rows it never trained on: the validation split (the
    // fold networks are the recipe's, trained on less data, and would speak for the recipe instead).
    List<Part> own = List.of(parts.get(0));
    PairedComparison trivial = compare(trivialOutputs(own), parts.get(0).originalOut, own, 0);
    if (!trivial.significantlyBetter()) {
      String guard = String.format(java.util.Locale.ROOT,
          "the original is no better than %s on the %d validation rows (%s %.4f against %.4f, change %+.4f, %d %% "
              + "interval [%+.4f, %+.4f]); nothing was pruned",
          original.task().isClassification() ? "predicting the majority class" : "predicting the training mean",
          trivial.rows(), metric.id(), trivial.candidate(), trivial.reference(), trivial.change(),
          Math.round(rule.confidence() * 100), trivial.low(), trivial.high());
      return new Outcome(null, null, null, Double.NaN, new Selection(schedule(), 0, trivial.rows(),
          tolerance, rule.confidence(), trivial, guard, List.of(), -1));
    }
    int folds = validation.rows() < EpsilonChoice.Tested.SMALL_VALIDATION && rule.folds() >= 2
        && train.rows() >= 2 * rule.folds() ? rule.folds() : 0;
    int[][] foldRows = folds == 0 ? new int[0][] : folds(train, folds, seed);
    for (int f = 0; f < folds; f++) {
      int[] in = complement(foldRows, f);
      Dataset fit = train.subset(in, train.name() + " (fold " + (f + 1) + " training)");
      Dataset out = train.subset(foldRows[f], train.name() + " (fold " + (f + 1) + ")");
      progress.accept("fold " + (f + 1) + "/" + folds + ": training the original recipe on " + fit.rows() + " rows");
      Network net = Scaling.fit(Odf2nna.reinitialised(original, seed + 100 + f), fit);
      new Trainer(training.withSeed(training.seed() + 100 + f)).fit(net, fit);
      parts.add(new Part(net, fit, out));
    }
    int rows = 0;
    for (Part p : parts) {
      rows += p.heldOut.rows();
    }
    float[] originalOut = pooledOriginal(parts);
    boolean originalConstant = constant(originalOut, originalOut, rows);

    List<Selection.Level> levels = new ArrayList<>();
    int chosen = -1;
    Network bestPruned = null;
    Tuned bestTuned = null;
    PruningPlan bestPlan = null;
    double bestEpsilon = Double.NaN;
    int failures = 0;
    int stepEpochs = finetuneEpochs;
    double removed = 0;
    long lastKept = original.parameterCount();
    for (int level = 0; ; level++) {
      double share;
      if (rule.iterative()) {
        if (removed >= MOST_REMOVED) {
          break;
        }
        share = rule.stepShare();
        removed = 1 - (1 - removed) * (1 - share);
      } else {
        if (level == ONE_SHOT_SHARES.length) {
          break;
        }
        share = ONE_SHOT_SHARES[level];
        removed = share;
      }
      List<float[]> outs = new ArrayList<>();
      Tuned realTuned = null;
      for (Part p : parts) {
        Tuned c = p.candidate(share, finetuneEpochs, stepEpochs);
        if (p == parts.get(0)) {
          realTuned = c;
        }
        outs.add(c.network().predict(p.heldOut.x(), p.heldOut.rows()));
      }
      Part real = parts.get(0);
      long kept = real.lastPruned.parameterCount();
      if (kept == lastKept && level > 0) {
        break; // every layer is down to its last unit
      }
      lastKept = kept;
      float[] candidateOut = concat(outs);
      PairedComparison c = compare(originalOut, candidateOut, parts, level + 1);
      // With folds, the delivered network is also judged on its own (validation) rows.
      PairedComparison ownCheck = parts.size() == 1 ? null
          : compare(real.originalOut, outs.get(0), List.of(real), 1000L + level);
      boolean isConstant = !originalConstant && constant(candidateOut, originalOut, rows);
      boolean ok = c.noLoss(tolerance) && !isConstant && (ownCheck == null || ownCheck.noLoss(tolerance));
      levels.add(new Selection.Level(removed, kept, c, ownCheck, isConstant, ok));
      progress.accept(String.format(java.util.Locale.ROOT, "%.0f %% of the units removed: %s %+.4f [%+.4f, %+.4f]%s%s",
          100 * removed, metric.id(), c.change(), c.low(), c.high(),
          ownCheck != null && !ownCheck.noLoss(tolerance) ? String.format(java.util.Locale.ROOT,
              "; the delivered network alone %+.4f [%+.4f, %+.4f] on validation", ownCheck.change(), ownCheck.low(),
              ownCheck.high()) : "", ok ? ", passes" : ", fails"));
      if (ok) {
        chosen = levels.size() - 1;
        bestPruned = real.lastPruned;
        bestTuned = realTuned;
        bestPlan = real.lastPlan;
        bestEpsilon = real.lastEpsilon;
        failures = 0;
      } else if (++failures >= PATIENCE) {
        break;
      }
    }
    Selection s = new Selection(schedule(), folds, rows, tolerance, rule.confidence(), trivial, null,
        levels, chosen);
    return new Outcome(bestPruned, bestTuned, bestPlan, bestEpsilon, s);
  }

  private String schedule() {
    return rule.iterative() ? "iterative" : "one-shot";
  }

  private PairedComparison compare(float[] reference, float[] candidate, List<Part> parts, long salt) {
    long s = seed * 31 + salt;
    if (metric.appliesTo(parts.get(0).heldOut.task()) && parts.get(0).heldOut.task().isClassification()) {
      int classes = parts.get(0).heldOut.task().classes();
      return PairedComparison.classification(metric, reference, candidate, pooledLabels(parts), classes,
          rule.confidence(), s);
    }
    return PairedComparison.regression(metric, reference, candidate, pooledTargets(parts),
        parts.get(0).heldOut.task().outputs(), rule.confidence(), s);
  }

  private static float[] pooledOriginal(List<Part> parts) {
    List<float[]> l = new ArrayList<>();
    for (Part p : parts) {
      l.add(p.originalOut);
    }
    return concat(l);
  }

  private static int[] pooledLabels(List<Part> parts) {
    int n = 0;
    for (Part p : parts) {
      n += p.heldOut.rows();
    }
    int[] out = new int[n];
    int at = 0;
    for (Part p : parts) {
      System.arraycopy(p.heldOut.labels(), 0, out, at, p.heldOut.rows());
      at += p.heldOut.rows();
    }
    return out;
  }

  private static float[] pooledTargets(List<Part> parts) {
    List<float[]> l = new ArrayList<>();
    for (Part p : parts) {
      l.add(p.heldOut.targets());
    }
    return concat(l);
  }

  /**
   * The trivial predictor of each part on its held-out rows: the majority class of its training rows
   * (probability 1), or the mean of its training targets.
   */
  private static float[] trivialOutputs(List<Part> parts) {
    List<float[]> l = new ArrayList<>();
    for (Part p : parts) {
      int outputs = p.train.task().outputs();
      float[] row = new float[outputs];
      if (p.train.task().isClassification()) {
        int[] counts = new int[outputs];
        for (int y : p.train.labels()) {
          counts[y]++;
        }
        int best = 0;
        for (int c = 1; c < outputs; c++) {
          if (counts[c] > counts[best]) {
            best = c;
          }
        }
        row[best] = 1;
      } else {
        double[] sum = new double[outputs];
        float[] t = p.train.targets();
        for (int i = 0; i < t.length; i++) {
          sum[i % outputs] += t[i];
        }
        for (int o = 0; o < outputs; o++) {
          row[o] = (float) (sum[o] / p.train.rows());
        }
      }
      float[] out = new float[p.heldOut.rows() * outputs];
      for (int i = 0; i < p.heldOut.rows(); i++) {
        System.arraycopy(row, 0, out, i * outputs, outputs);
      }
      l.add(out);
    }
    return concat(l);
  }

  /**
   * Whether {@code out} is a constant predictor on these rows: one predicted class for every row, or (for
   * regression) a spread of predictions below a thousandth of the reference's.
   */
  private static boolean constant(float[] out, float[] reference, int rows) {
    int k = out.length / rows;
    if (k > 1 && isProbabilities(out, rows, k)) {
      int first = argmax(out, 0, k);
      for (int i = 1; i < rows; i++) {
        if (argmax(out, i * k, k) != first) {
          return false;
        }
      }
      return true;
    }
    for (int o = 0; o < k; o++) {
      if (spread(out, o, k, rows) > 1e-3 * spread(reference, o, k, rows)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isProbabilities(float[] out, int rows, int k) {
    double s = 0;
    for (int j = 0; j < k; j++) {
      s += out[j];
    }
    return Math.abs(s - 1) < 1e-3;
  }

  private static int argmax(float[] a, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (a[off + j] > a[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static double spread(float[] a, int o, int k, int rows) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      min = Math.min(min, a[i * k + o]);
      max = Math.max(max, a[i * k + o]);
    }
    return max - min;
  }

  private static double largestRemoved(PruningPlan plan) {
    double e = Double.NaN;
    for (var l : plan.layers()) {
      for (double s : l.scores()) {
        e = Double.isNaN(e) ? s : Math.max(e, s);
      }
    }
    return e;
  }

  /** Stratified folds: each class's rows shuffled and dealt in turn. */
  static int[][] folds(Dataset train, int k, long seed) {
    Random random = new Random(seed ^ 0x5DEECE66DL);
    int n = train.rows();
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    Split.shuffle(order, random);
    if (train.task().isClassification()) {
      int[] labels = train.labels();
      Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
      Arrays.sort(boxed, (a, b) -> Integer.compare(labels[a], labels[b])); // stable: shuffled within a class
      for (int i = 0; i < n; i++) {
        order[i] = boxed[i];
      }
    }
    int[] sizes = new int[k];
    for (int i = 0; i < n; i++) {
      sizes[i % k]++;
    }
    int[][] out = new int[k][];
    for (int f = 0; f < k; f++) {
      out[f] = new int[sizes[f]];
    }
    int[] at = new int[k];
    for (int i = 0; i < n; i++) {
      out[i % k][at[i % k]++] = order[i];
    }
    for (int[] f : out) {
      Arrays.sort(f);
    }
    return out;
  }

  private static int[] complement(int[][] folds, int f) {
    int n = 0;
    for (int g = 0; g < folds.length; g++) {
      if (g != f) {
        n += folds[g].length;
      }
    }
    int[] out = new int[n];
    int at = 0;
    for (int g = 0; g < folds.length; g++) {
      if (g != f) {
        System.arraycopy(folds[g], 0, out, at, folds[g].length);
        at += folds[g].length;
      }
    }
    Arrays.sort(out);
    return out;
  }

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
