package dev.topiary.training.schedule;

/**
 * A learning-rate schedule: the factor by which the optimiser's base learning rate is multiplied at each
 * optimiser step. Steps count from 0; a run has {@code totalSteps} steps of which {@code stepsPerEpoch}
 * make an epoch (the last batch of an epoch may be short but is a full step).
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.StepDecay, Schedule.Cosine,
    Schedule.Warmup {

  /** The factor at step {@code step} (0-based) of a run of {@code totalSteps} steps. */
  double factor(long step, long stepsPerEpoch, long totalSteps);

  /** Factor 1 throughout. */
  static Schedule constant() {
    return new Constant();
  }

  /** Multiplies by {@code gamma} every {@code everyEpochs} epochs: γ^⌊epoch / every⌋. */
  static Schedule step(int everyEpochs, double gamma) {
    return new StepDecay(everyEpochs, gamma);
  }

  /** Cosine annealing from 1 down to {@code minFactor} at the last step. */
  static Schedule cosine(double minFactor) {
    return new Cosine(minFactor);
  }

  /** A linear warm-up over {@code steps} steps into {@code then}, which runs on the remaining steps. */
  static Schedule warmup(long steps, Schedule then) {
    return new Warmup(steps, then);
  }

  /** A constant factor of 1. */
  record Constant() implements Schedule {
    @Override
    public double factor(long step, long stepsPerEpoch, long totalSteps) {
      return 1.0;
    }
  }

  /**
   * Step decay: factor γ^⌊e / every⌋ where e = ⌊step / stepsPerEpoch⌋ is the 0-based epoch.
   *
   * @param everyEpochs epochs between decays, ≥ 1
   * @param gamma the decay factor in (0, 1]
   */
  record StepDecay(int everyEpochs, double gamma) implements Schedule {
    /** Checks the ranges. */
    public StepDecay {
      if (everyEpochs < 1) {
        throw new IllegalArgumentException("step decay needs everyEpochs >= 1, found " + everyEpochs);
      }
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException("step decay gamma must be in (0, 1], found " + gamma);
      }
    }

    @Override
    public double factor(long step, long stepsPerEpoch, long totalSteps) {
      long epoch = step / Math.max(1, stepsPerEpoch);
      return Math.pow(gamma, (double) (epoch / everyEpochs));
    }
  }

  /**
   * Cosine annealing (Loshchilov &amp; Hutter 2017, without restarts):
   * f = min + (1 − min)·(1 + cos(π·step / (totalSteps − 1)))/2, which is 1 at the first step and min at
   * the last.
   *
   * @param minFactor the final factor, in [0, 1]
   */
  record Cosine(double minFactor) implements Schedule {
    /** Checks the range. */
    public Cosine {
      if (!(minFactor >= 0 && minFactor <= 1)) {
        throw new IllegalArgumentException("cosine minFactor must be in [0, 1], found " + minFactor);
      }
    }

    @Override
    public double factor(long step, long stepsPerEpoch, long totalSteps) {
      if (totalSteps <= 1) {
        return 1.0;
      }
      double progress = Math.min(1.0, (double) step / (totalSteps - 1));
      return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }

  /**
   * Linear warm-up composed with another schedule: for step &lt; W the factor is
   * then(0)·(step + 1)/W; afterwards it is then(step − W) on a run of totalSteps − W steps, so the
   * schedule after warm-up starts where warm-up ends.
   *
   * @param steps W ≥ 1
   * @param then the schedule that follows
   */
  record Warmup(long steps, Schedule then) implements Schedule {
    /** Checks the range. */
    public Warmup {
      if (steps < 1) {
        throw new IllegalArgumentException("warm-up needs at least 1 step, found " + steps);
      }
      java.util.Objects.requireNonNull(then, "then");
    }

    @Override
    public double factor(long step, long stepsPerEpoch, long totalSteps) {
      long rest = Math.max(1, totalSteps - steps);
      if (step < steps) {
        return then.factor(0, stepsPerEpoch, rest) * (step + 1) / (double) steps;
      }
      return then.factor(step - steps, stepsPerEpoch, rest);
    }
  }
}
