package dev.topiary.methods.odf2nna;

import dev.topiary.core.metrics.Metric;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.training.TrainingConfig;
import java.util.Objects;

/**
 * Everything an ODF2NNA run is given.
 *
 * @param architecture the oversized starting network (used by {@link Odf2nna#run}; ignored when
 *     pruning a network that was trained elsewhere), or null for the network {@code topiary train} builds
 *     by default for the training split's size ({@link Architecture#defaultFor})
 * @param training the training recipe of the original network and of the from-scratch control, or null
 *     for {@link TrainingConfig#defaults} sized to the training split; its validation set is always the
 *     split's validation part
 * @param criterion what scores the hidden units: the paper's σ ({@link VarianceCriterion}), or any
 *     other criterion, which then needs a fixed rule (the automatic ε search is σ's own)
 * @param epsilon how ε is chosen
 * @param schedule one statistics pass for all layers, or layer by layer with statistics re-gathered on
 *     the network pruned so far
 * @param finetuneFraction fine-tuning epochs as a fraction of the epochs the original training ran
 *     (the paper retrains for 10–15 %), in (0, 1]; 0 skips fine-tuning
 * @param compareScratch also train the pruned architecture from a fresh initialisation with the full
 *     budget (the control the paper insists on)
 * @param metric the metric reported and used by the automatic ε search, or null for the task's default
 *     (accuracy or R²)
 * @param seed seeds initialisation and batch order
 */
public record Odf2nnaConfig(Architecture architecture, TrainingConfig training, UnitCriterion criterion,
    EpsilonChoice epsilon, Schedule schedule, double finetuneFraction, boolean compareScratch, Metric metric,
    long seed) {

  /** Checks the ranges. */
  public Odf2nnaConfig {
    Objects.requireNonNull(criterion, "criterion");
    Objects.requireNonNull(epsilon, "epsilon");
    Objects.requireNonNull(schedule, "schedule");
    if (!(finetuneFraction >= 0 && finetuneFraction <= 1)) {
      throw new IllegalArgumentException("finetune fraction must be in [0, 1], found " + finetuneFraction);
    }
  }

  /**
   * The defaults: the network {@code topiary train} builds for the data's size
   * ({@link dev.topiary.training.DefaultRecipe}), the default training recipe, σ as the
   * criterion, ε chosen by the paired test on held-out rows ({@link EpsilonChoice.Tested#defaults()}),
   * one statistics pass for a fixed ε, fine-tuning for 15 % of the original
   * epochs, no from-scratch control, the task's default metric, seed 42.
   */
  public static Odf2nnaConfig defaults() {
    return new Odf2nnaConfig(null, null, VarianceCriterion.INSTANCE,
        EpsilonChoice.Tested.defaults(), Schedule.ONE_SHOT, 0.15, false, null, 42L);
  }

  /** With another architecture. */
  public Odf2nnaConfig withArchitecture(Architecture a) {
    return new Odf2nnaConfig(a, training, criterion, epsilon, schedule, finetuneFraction, compareScratch,
        metric, seed);
  }

  /** With another training recipe (null: the defaults). */
  public Odf2nnaConfig withTraining(TrainingConfig t) {
    return new Odf2nnaConfig(architecture, t, criterion, epsilon, schedule, finetuneFraction, compareScratch,
        metric, seed);
  }

  /** With another criterion. */
  public Odf2nnaConfig withCriterion(UnitCriterion c) {
    return new Odf2nnaConfig(architecture, training, c, epsilon, schedule, finetuneFraction, compareScratch, metric,
        seed);
  }

  /** With another ε choice. */
  public Odf2nnaConfig withEpsilon(EpsilonChoice e) {
    return new Odf2nnaConfig(architecture, training, criterion, e, schedule, finetuneFraction, compareScratch,
        metric, seed);
  }

  /** With another pruning schedule. */
  public Odf2nnaConfig withSchedule(Schedule s) {
    return new Odf2nnaConfig(architecture, training, criterion, epsilon, s, finetuneFraction, compareScratch,
        metric, seed);
  }

  /** With another fine-tuning fraction. */
  public Odf2nnaConfig withFinetuneFraction(double f) {
    return new Odf2nnaConfig(architecture, training, criterion, epsilon, schedule, f, compareScratch, metric, seed);
  }

  /** With or without the from-scratch control. */
  public Odf2nnaConfig withCompareScratch(boolean c) {
    return new Odf2nnaConfig(architecture, training, criterion, epsilon, schedule, finetuneFraction, c, metric, seed);
  }

  /** With another metric (null: the task's default). */
  public Odf2nnaConfig withMetric(Metric m) {
    return new Odf2nnaConfig(architecture, training, criterion, epsilon, schedule, finetuneFraction,
        compareScratch, m, seed);
  }

  /** With another seed. */
  public Odf2nnaConfig withSeed(long s) {
    return new Odf2nnaConfig(architecture, training, criterion, epsilon, schedule, finetuneFraction,
        compareScratch, metric, s);
  }
}
