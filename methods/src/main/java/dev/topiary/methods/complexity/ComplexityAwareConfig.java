package dev.topiary.methods.complexity;

import dev.topiary.training.TrainingConfig;
import java.util.Objects;

/**
 * The settings of complexity-aware training.
 *
 * <p>The three user parameters of the method: ν, how much to prune (the weight of the expected complexity
 * against the mean loss, in nats per whole network); α ∈ [0, 1], layer against unit pruning (1: blocks
 * only feel the cost, 0: units only, ½: the plain cost gradient); β ∈ [0, 1], FLOPs against parameters in
 * the complexity C = β·E[FLOPs]/F₀ + (1−β)·E[parameters]/P₀. Everything else is Topiary's reconstruction
 * (see {@link ComplexityAware}); the defaults are the values docs/results.md measured.
 *
 * @param training epochs, batch, optimiser and schedule of the weights, loss, seed, validation set, threads
 *     (its early stopping is not used)
 * @param nu ν ≥ 0
 * @param alpha α in [0, 1]
 * @param beta β in [0, 1]
 * @param thetaTol θ at or below which a structure may be removed, in (0, ½)
 * @param thetaLearningRate base step of the projected θ updates (scaled by the weights' schedule)
 * @param warmupEpochs epochs of plain dense training before θ starts to move
 * @param persistence consecutive checks a structure must pass before it is removed
 * @param checkEvery steps between removal checks
 * @param settleEpochs final epochs that train the deterministic network (θ thresholded at ½, gates gone)
 * @param families which gates learn (the method, or an ablation)
 * @param estimator the block-gate gradient estimator
 * @param thetaInit the θ every learning gate starts at, in (θ_tol, 1] (frozen gates stay at 1)
 * @param masks one unit mask per batch or per example
 * @param settleRestart whether the settle epochs restart the learning rate (a plain cosine decay over
 *     them, as a fine-tune does) instead of continuing the weights' schedule to its end
 */
public record ComplexityAwareConfig(TrainingConfig training, double nu, double alpha, double beta,
    double thetaTol, double thetaLearningRate, int warmupEpochs, int persistence, int checkEvery,
    int settleEpochs, GateFamilies families, BlockEstimator estimator, double thetaInit, MaskGranularity masks,
    boolean settleRestart) {

  /** Default ν. */
  public static final double NU = 0.1;
  /** Default α. */
  public static final double ALPHA = 0.5;
  /** Default β. */
  public static final double BETA = 0.5;
  /** Default θ_tol. */
  public static final double THETA_TOL = 0.01;
  /** Default θ step. */
  public static final double THETA_LEARNING_RATE = 1.0;

  /** Checks the ranges. */
  public ComplexityAwareConfig {
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(families, "families");
    Objects.requireNonNull(estimator, "estimator");
    Objects.requireNonNull(masks, "masks");
    if (!(nu >= 0) || !Double.isFinite(nu)) {
      throw new IllegalArgumentException("ν must be finite and >= 0, found " + nu);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("α must be in [0, 1], found " + alpha);
    }
    if (!(beta >= 0 && beta <= 1)) {
      throw new IllegalArgumentException("β must be in [0, 1], found " + beta);
    }
    if (!(thetaTol > 0 && thetaTol < 0.5)) {
      throw new IllegalArgumentException("θ_tol must be in (0, 0.5), found " + thetaTol);
    }
    if (!(thetaLearningRate > 0) || !Double.isFinite(thetaLearningRate)) {
      throw new IllegalArgumentException("the θ learning rate must be finite and > 0, found " + thetaLearningRate);
    }
    if (!(thetaInit > thetaTol && thetaInit <= 1)) {
      throw new IllegalArgumentException("the initial θ must be in (θ_tol, 1], found " + thetaInit);
    }
    if (warmupEpochs < 0 || settleEpochs < 0 || persistence < 1 || checkEvery < 1) {
      throw new IllegalArgumentException("warm-up and settle epochs must be >= 0, persistence and check "
          + "interval >= 1");
    }
    if (warmupEpochs + settleEpochs >= training.epochs()) {
      throw new IllegalArgumentException(training.epochs() + " epochs leave none to prune in after "
          + warmupEpochs + " warm-up and " + settleEpochs + " settle epochs");
    }
  }

  /**
   * The defaults around a training recipe: ν, α, β, θ_tol as above, θ starting at 1, one warm-up epoch,
   * removal after 3 consecutive checks 50 steps apart, the last quarter of the epochs (rounded, at least
   * one) to settle with the learning rate restarted, joint gates, one unit mask per batch, straight-through
   * block gradients. The settle length and its restart are the measured fix of docs/results.md: without
   * them the settled network trains at the tail of the cosine schedule and loses about a point.
   */
  public static ComplexityAwareConfig defaults(TrainingConfig training) {
    int e = training.epochs();
    int warmup = e >= 4 ? 1 : 0;
    int settle = e >= 3 ? Math.max(1, (int) Math.round(e / 4.0)) : 0;
    return new ComplexityAwareConfig(training, NU, ALPHA, BETA, THETA_TOL, THETA_LEARNING_RATE, warmup, 3, 50,
        settle, GateFamilies.JOINT, BlockEstimator.STRAIGHT_THROUGH, 1.0, MaskGranularity.PER_BATCH, true);
  }

  /** With other ν, α, β. */
  public ComplexityAwareConfig withCost(double n, double a, double b) {
    return new ComplexityAwareConfig(training, n, a, b, thetaTol, thetaLearningRate, warmupEpochs, persistence,
        checkEvery, settleEpochs, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With another θ_tol. */
  public ComplexityAwareConfig withThetaTol(double t) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, t, thetaLearningRate, warmupEpochs, persistence,
        checkEvery, settleEpochs, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With another θ step. */
  public ComplexityAwareConfig withThetaLearningRate(double r) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, r, warmupEpochs, persistence,
        checkEvery, settleEpochs, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With another removal rule. */
  public ComplexityAwareConfig withRemovalRule(int warmup, int persist, int every) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmup, persist,
        every, settleEpochs, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With another number of settle epochs. */
  public ComplexityAwareConfig withSettleEpochs(int s) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, s, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With other gate families (an ablation). */
  public ComplexityAwareConfig withFamilies(GateFamilies f) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, settleEpochs, f, estimator, thetaInit, masks, settleRestart);
  }

  /** With another block estimator. */
  public ComplexityAwareConfig withEstimator(BlockEstimator e) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, settleEpochs, families, e, thetaInit, masks, settleRestart);
  }

  /** With another training recipe (settle and warm-up epochs kept). */
  public ComplexityAwareConfig withTraining(TrainingConfig t) {
    return new ComplexityAwareConfig(t, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs, persistence,
        checkEvery, settleEpochs, families, estimator, thetaInit, masks, settleRestart);
  }

  /** With another initial θ. */
  public ComplexityAwareConfig withThetaInit(double t) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, settleEpochs, families, estimator, t, masks, settleRestart);
  }

  /** With another mask granularity. */
  public ComplexityAwareConfig withMasks(MaskGranularity m) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, settleEpochs, families, estimator, thetaInit, m, settleRestart);
  }

  /** With or without the learning-rate restart for the settle epochs. */
  public ComplexityAwareConfig withSettleRestart(boolean r) {
    return new ComplexityAwareConfig(training, nu, alpha, beta, thetaTol, thetaLearningRate, warmupEpochs,
        persistence, checkEvery, settleEpochs, families, estimator, thetaInit, masks, r);
  }
}
