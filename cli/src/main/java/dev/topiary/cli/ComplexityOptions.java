package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.methods.complexity.BlockEstimator;
import dev.topiary.methods.complexity.ComplexityAware;
import dev.topiary.methods.complexity.ComplexityAwareConfig;
import dev.topiary.methods.complexity.ComplexityAwareResult;
import dev.topiary.methods.complexity.GateFamilies;
import dev.topiary.methods.complexity.MaskGranularity;
import dev.topiary.methods.complexity.NuSearch;
import dev.topiary.methods.compare.ComplexityAwareMethod;
import java.util.ArrayList;
import java.util.List;
import dev.topiary.training.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code train --complexity-aware}: complexity-aware training with Bernoulli unit and block
 * gates ({@link ComplexityAware}), its three parameters ν, α, β, the removal threshold, and the ablations.
 */
final class ComplexityOptions {

  @Option(names = "--complexity-aware",
      description = "Learn which units and residual blocks to keep while training (Bernoulli gates; "
          + "removed structures leave the network at once).")
  boolean enabled;

  @Option(names = "--nu", paramLabel = "NU",
      description = "How much to prune: the weight of the expected complexity against the loss (default: "
          + ComplexityAwareConfig.NU + ").")
  Double nu;

  @Option(names = "--alpha", paramLabel = "A",
      description = "Layer against unit pruning, 0..1: 1 puts the cost on blocks only, 0 on units only "
          + "(default: " + ComplexityAwareConfig.ALPHA + ").")
  Double alpha;

  @Option(names = "--beta", paramLabel = "B",
      description = "FLOPs against parameters in the complexity, 0..1 (default: " + ComplexityAwareConfig.BETA + ").")
  Double beta;

  @Option(names = "--theta-tol", paramLabel = "T",
      description = "A structure whose θ stays at or below T may be removed (default: "
          + ComplexityAwareConfig.THETA_TOL + ").")
  Double thetaTol;

  @Option(names = "--gates", paramLabel = "WHICH",
      description = "Which gates learn: joint (default), units (block gates frozen), blocks (unit gates frozen).")
  String gates;

  @Option(names = "--block-gradient", paramLabel = "NAME",
      description = "θ-gradient of block gates: straight-through (default) or two-point (exact, one extra "
          + "forward pass per block).")
  String blockGradient;

  @Option(names = "--masks", paramLabel = "WHEN",
      description = "Unit masks drawn per-batch or per-example (default: "
          + "per-batch).")
  String masks;

  @Option(names = "--theta-lr", paramLabel = "ETA",
      description = "Step of the projected θ updates, scaled by the learning-rate schedule (default: "
          + ComplexityAwareConfig.THETA_LEARNING_RATE + ").")
  Double thetaLr;

  @Option(names = "--theta-init", paramLabel = "T",
      description = "θ the learning gates start at, in (theta-tol, 1] (default: 1).")
  Double thetaInit;

  @Option(names = "--warmup-epochs", paramLabel = "N",
      description = "Epochs of dense training before θ moves (default: 1 from 4 epochs on, else 0).")
  Integer warmupEpochs;

  @Option(names = "--settle-epochs", paramLabel = "N",
      description = "Final epochs that train the thresholded network without gates (default: a quarter of "
          + "the epochs, rounded, at least 1 from 3 epochs on).")
  Integer settleEpochs;

  @Option(names = "--settle-restart", paramLabel = "BOOL", arity = "1",
      description = "Whether the settle epochs restart the learning rate with a cosine decay (default: true).")
  Boolean settleRestart;

  @Option(names = "--target-flops", paramLabel = "FRACTION",
      description = "Search ν instead of taking it: keep this fraction of the starting FLOPs, within "
          + "--flops-tolerance, in at most --nu-trainings trainings (--nu is the first guess).")
  Double targetFlops;

  @Option(names = "--flops-tolerance", paramLabel = "F",
      description = "With --target-flops: accepted distance from the target, as a fraction of the starting "
          + "FLOPs (default: " + ComplexityAwareMethod.TOLERANCE + ").")
  Double flopsTolerance;

  @Option(names = "--nu-trainings", paramLabel = "N",
      description = "With --target-flops: at most N trainings (default: " + ComplexityAwareMethod.MAX_TRAININGS
          + ").")
  Integer nuTrainings;

  /** The configuration the last {@link #train} used (the ν found, with --target-flops). */
  private ComplexityAwareConfig used;
  private NuSearch.Outcome<ComplexityAwareResult> searched;

  /** True when any complexity-aware option is given without --complexity-aware. */
  boolean strayOptions() {
    return !enabled && (nu != null || alpha != null || beta != null || thetaTol != null || gates != null
        || blockGradient != null || masks != null || thetaLr != null || thetaInit != null
        || warmupEpochs != null || settleEpochs != null || settleRestart != null || targetFlops != null
        || flopsTolerance != null || nuTrainings != null);
  }

  /** The configuration around a training recipe, checking the values. */
  ComplexityAwareConfig config(TrainingConfig tc) {
    if (tc.epochs() < 2) {
      throw new InputException("--complexity-aware needs at least 2 epochs, found " + tc.epochs());
    }
    ComplexityAwareConfig c = ComplexityAwareConfig.defaults(tc);
    double n = nu != null ? nu : c.nu();
    double a = alpha != null ? alpha : c.alpha();
    double b = beta != null ? beta : c.beta();
    if (!(n >= 0) || !Double.isFinite(n)) {
      throw new InputException("--nu must be a finite number >= 0, found " + n);
    }
    if (!(a >= 0 && a <= 1)) {
      throw new InputException("--alpha must be in [0, 1], found " + a);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new InputException("--beta must be in [0, 1], found " + b);
    }
    c = c.withCost(n, a, b);
    if (thetaTol != null) {
      if (!(thetaTol > 0 && thetaTol < 0.5)) {
        throw new InputException("--theta-tol must be in (0, 0.5), found " + thetaTol);
      }
      c = c.withThetaTol(thetaTol);
    }
    if (gates != null) {
      c = c.withFamilies(switch (gates.trim().toLowerCase(Locale.ROOT)) {
        case "joint" -> GateFamilies.JOINT;
        case "units" -> GateFamilies.UNITS;
        case "blocks" -> GateFamilies.BLOCKS;
        default -> throw new InputException("--gates must be joint, units or blocks, found " + gates);
      });
    }
    if (blockGradient != null) {
      c = c.withEstimator(switch (blockGradient.trim().toLowerCase(Locale.ROOT)) {
        case "straight-through" -> BlockEstimator.STRAIGHT_THROUGH;
        case "two-point" -> BlockEstimator.TWO_POINT;
        default -> throw new InputException("--block-gradient must be straight-through or two-point, found "
            + blockGradient);
      });
    }
    if (targetFlops == null && (flopsTolerance != null || nuTrainings != null)) {
      throw new InputException("--flops-tolerance and --nu-trainings need --target-flops");
    }
    if (targetFlops != null && !(targetFlops > 0 && targetFlops <= 1)) {
      throw new InputException("--target-flops must be a fraction in (0, 1], found " + targetFlops);
    }
    if (flopsTolerance != null && !(flopsTolerance > 0 && flopsTolerance < 1)) {
      throw new InputException("--flops-tolerance must be in (0, 1), found " + flopsTolerance);
    }
    if (nuTrainings != null && nuTrainings < 1) {
      throw new InputException("--nu-trainings must be at least 1, found " + nuTrainings);
    }
    if (targetFlops != null && c.nu() <= 0) {
      throw new InputException("--target-flops searches from --nu, which must then be > 0");
    }
    if (masks != null) {
      c = c.withMasks(switch (masks.trim().toLowerCase(Locale.ROOT)) {
        case "per-batch" -> MaskGranularity.PER_BATCH;
        case "per-example" -> MaskGranularity.PER_EXAMPLE;
        default -> throw new InputException("--masks must be per-batch or per-example, found " + masks);
      });
    }
    if (thetaLr != null) {
      if (!(thetaLr > 0) || !Double.isFinite(thetaLr)) {
        throw new InputException("--theta-lr must be a finite number > 0, found " + thetaLr);
      }
      c = c.withThetaLearningRate(thetaLr);
    }
    if (thetaInit != null) {
      if (!(thetaInit > c.thetaTol() && thetaInit <= 1)) {
        throw new InputException("--theta-init must be in (" + c.thetaTol() + ", 1], found " + thetaInit);
      }
      c = c.withThetaInit(thetaInit);
    }
    int warm = warmupEpochs != null ? warmupEpochs : c.warmupEpochs();
    int settle = settleEpochs != null ? settleEpochs : c.settleEpochs();
    if (warm < 0 || settle < 0) {
      throw new InputException("--warmup-epochs and --settle-epochs must be >= 0, found " + warm + " and " + settle);
    }
    if (warm + settle >= tc.epochs()) {
      throw new InputException("--warmup-epochs " + warm + " and --settle-epochs " + settle + " leave none of the "
          + tc.epochs() + " epochs to prune in");
    }
    c = c.withRemovalRule(warm, c.persistence(), c.checkEvery()).withSettleEpochs(settle);
    if (settleRestart != null) {
      c = c.withSettleRestart(settleRestart);
    }
    return c;
  }

  /**
   * Runs the method, showing the live size on the progress display; with --target-flops, searches ν
   * ({@link NuSearch}) and returns the training nearest the target.
   */
  ComplexityAwareResult train(Network net, Dataset train, ComplexityAwareConfig c, Progress progress) {
    if (targetFlops == null) {
      used = c;
      return run(net, train, c, progress);
    }
    searched = NuSearch.search(nu -> run(net, train, c.withCost(nu, c.alpha(), c.beta()), progress),
        r -> r.network().flops() / (double) r.initialFlops(), targetFlops,
        flopsTolerance != null ? flopsTolerance : ComplexityAwareMethod.TOLERANCE, c.nu(),
        nuTrainings != null ? nuTrainings : ComplexityAwareMethod.MAX_TRAININGS);
    NuSearch.Attempt<ComplexityAwareResult> best = searched.best();
    used = c.withCost(best.nu(), c.alpha(), c.beta());
    progress.line(String.format(Locale.ROOT, "search     ν=%.4g after %d training(s): %.3f of the FLOPs kept "
        + "(target %.3f ± %.3f%s)", best.nu(), searched.attempts().size(), best.keptFraction(), searched.target(),
        searched.tolerance(), searched.hit() ? "" : ", missed"));
    return best.result();
  }

  /** The settings of the last {@link #train} (with the ν found), and the search if there was one. */
  Map<String, Object> describeRun() {
    Map<String, Object> m = describe(used);
    if (searched != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("target_flops_fraction", searched.target());
      s.put("tolerance", searched.tolerance());
      s.put("hit", searched.hit());
      s.put("trainings", searched.attempts().size());
      List<Map<String, Object>> tried = new ArrayList<>();
      for (NuSearch.Attempt<ComplexityAwareResult> a : searched.attempts()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("nu", a.nu());
        t.put("flops_fraction", a.keptFraction());
        tried.add(t);
      }
      s.put("attempts", tried);
      m.put("nu_search", s);
    }
    return m;
  }

  private static ComplexityAwareResult run(Network net, Dataset train, ComplexityAwareConfig c, Progress progress) {
    return ComplexityAware.train(net, train, c, (e, of) -> progress.line(String.format(Locale.ROOT,
        "train      epoch %d/%d  loss %.4f%s  %s parameters, %s FLOPs (%.0f%% of the start)", e.epoch(), of,
        e.loss(), Double.isNaN(e.validationLoss()) ? "" : String.format(Locale.ROOT, "  validation loss %.4f",
            e.validationLoss()),
        Format.grouped(e.parameters()), Format.grouped(e.flops()), 100.0 * e.flops() / net.flops())));
  }

  /** The settings, for the model file and the JSON report. */
  static Map<String, Object> describe(ComplexityAwareConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nu", c.nu());
    m.put("alpha", c.alpha());
    m.put("beta", c.beta());
    m.put("theta_tol", c.thetaTol());
    m.put("theta_learning_rate", c.thetaLearningRate());
    m.put("warmup_epochs", c.warmupEpochs());
    m.put("persistence", c.persistence());
    m.put("check_every", c.checkEvery());
    m.put("settle_epochs", c.settleEpochs());
    m.put("gates", c.families().name().toLowerCase(Locale.ROOT));
    m.put("block_gradient", c.estimator() == BlockEstimator.TWO_POINT ? "two-point" : "straight-through");
    m.put("theta_init", c.thetaInit());
    m.put("masks", c.masks() == MaskGranularity.PER_EXAMPLE ? "per-example" : "per-batch");
    m.put("settle_restart", c.settleRestart());
    return m;
  }

  /** The size figures {@code --json} adds. */
  static void addFigures(Map<String, Object> m, ComplexityAwareResult r) {
    m.put("initial_parameters", r.initialParameters());
    m.put("initial_flops", r.initialFlops());
    m.put("parameters", r.network().parameterCount());
    m.put("flops", r.network().flops());
    m.put("units_removed", r.unitsRemoved());
    m.put("blocks_removed", r.blocksRemoved());
  }
}
