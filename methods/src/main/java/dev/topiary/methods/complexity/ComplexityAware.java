package dev.topiary.methods.complexity;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import dev.topiary.training.Evaluation;
import dev.topiary.training.Evaluator;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingDivergedException;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.gates.BernoulliGates;
import dev.topiary.training.loss.Loss;
import dev.topiary.training.optim.OptimizerState;
import dev.topiary.training.schedule.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Complexity-aware training (Guenter &amp; Sideris, arXiv 2411.09127): the weights W and the parameters θ of
 * Bernoulli gates on every removable unit and every residual block are trained together, and a structure
 * whose θ reaches 0 is removed for good while training runs, so the network and the epochs shrink.
 *
 * <p>The objective is E_ξ[mean loss] + ν·C(θ), C = β·E[FLOPs]/F₀ + (1−β)·E[parameters]/P₀ from
 * {@link ExpectedCost} (F₀, P₀: the starting network). Each step, after the optimiser's step on W:
 * <pre>
 *   γ_unit = ν·2(1−α)·∂C/∂θ_unit,   γ_B = ν·2α·∂C/∂θ_B                 (recomputed from θ every step)
 *   θ ← clip(θ − η_θ·s(t)·(ĝ + γ), 0, 1)                               (projected SGD, s: the W schedule)
 * </pre>
 * with ĝ the data-gradient estimate of {@link ThetaGradients}. The paper states the three parameters, the
 * projection, the automatic γ and the removal at θ → 0; it was not available in full, so the following are
 * Topiary's own choices: the cost normalisation and the α split above; per-batch unit masks by default
 * (per-example as an option, {@link MaskGranularity}); gates after the activation; θ starting at 1; the straight-through estimator by default; the optimiser's own weight decay
 * as the weight prior; and the removal rule. That rule, against premature pruning: no θ moves during the
 * first {@code warmupEpochs} (plain dense training); every {@code checkEvery} steps a structure passes a
 * check when θ ≤ θ_tol and the running mean (EMA, factor 0.98 per step) of its total gradient ĝ + γ is
 * positive (it is still being pushed down); it is removed after {@code persistence} consecutive passes. A
 * top-level layer keeps at least one unit. The last {@code settleEpochs} train the deterministic network
 * θ ≥ ½ with the gates gone, by default with the learning rate restarted (a plain cosine decay over them,
 * as a fine-tune after pruning has). The final network has no gates and is saved as any other.
 */
public final class ComplexityAware {

  private static final long GATE_SEED_MIX = 0x9E3779B97F4A7C15L;
  private static final double EMA = 0.98;

  private ComplexityAware() {}

  /**
   * Trains a copy of {@code network} on {@code train} ({@code network} is not changed).
   *
   * @param listener sees every epoch, or null
   * @throws TrainingDivergedException if a loss or gradient norm is not finite
   * @throws IllegalArgumentException if the data does not fit the network or the loss
   */
  public static ComplexityAwareResult train(Network network, Dataset train, ComplexityAwareConfig config,
      ComplexityAwareListener listener) {
    Objects.requireNonNull(config, "config");
    TrainingConfig tc = config.training();
    if (train.features() != network.inputSize()) {
      throw new IllegalArgumentException("training set " + train.name() + " has " + train.features()
          + " features, the network reads " + network.inputSize());
    }
    if (!tc.loss().supports(network.task())) {
      throw new IllegalArgumentException("loss " + tc.loss().name() + " does not apply to " + network.task().kind());
    }
    if (train.rows() < 1) {
      throw new IllegalArgumentException("training set " + train.name() + " is empty");
    }
    if (tc.threads() == 0) {
      return new Run(network.copy(), train, config, listener, null).run();
    }
    // This run's own threads: concurrent runs never change each other's setting.
    try (Parallelism threads = Parallelism.ofThreads(tc.threads())) {
      return new Run(network.copy(), train, config, listener, threads).run();
    }
  }

  /** The mutable state of one run. */
  private static final class Run {
    final ComplexityAwareConfig cfg;
    final TrainingConfig tc;
    final Dataset train;
    final ComplexityAwareListener listener;
    /** The run's own threads, or null to follow {@link Kernels#parallelism()}. */
    final Parallelism threads;
    final int batch;
    final long flops0;
    final long params0;
    Network net;
    GateLayout layout;
    BernoulliGates gates;
    ThetaGradients tg;
    float[][] params;
    OptimizerState state;
    double[][] unitEma;
    int[][] unitPass;
    double[] blockEma;
    int[] blockPass;
    int unitsRemoved;
    int blocksRemoved;

    Run(Network net, Dataset train, ComplexityAwareConfig cfg, ComplexityAwareListener listener,
        Parallelism threads) {
      this.threads = threads;
      this.net = net;
      this.train = train;
      this.cfg = cfg;
      this.tc = cfg.training();
      this.listener = listener;
      this.batch = Math.min(tc.batchSize(), train.rows());
      this.flops0 = net.flops();
      this.params0 = net.parameterCount();
      layout = GateLayout.of(net);
      gates = newGates(layout, net);
      initialiseTheta();
      tg = new ThetaGradients(net, batch, cfg.estimator(), threads);
      params = Gradients.parameterTensors(net);
      state = tc.optimizer().start(params, tg.gradients().tensors());
      unitEma = new double[layout.gated().length][];
      unitPass = new int[layout.gated().length][];
      for (int l = 0; l < unitEma.length; l++) {
        if (gates.unitTheta(l) != null) {
          unitEma[l] = new double[gates.unitTheta(l).length];
          unitPass[l] = new int[gates.unitTheta(l).length];
        }
      }
      blockEma = new double[layout.blocks().length];
      blockPass = new int[layout.blocks().length];
    }

    BernoulliGates newGates(GateLayout l, Network n) {
      return new BernoulliGates(l.gatedWidths(n), l.blocks(),
          cfg.masks() == MaskGranularity.PER_EXAMPLE ? batch : 0);
    }

    /** Sets every learning θ to the configured start (frozen families stay at 1). */
    void initialiseTheta() {
      if (cfg.thetaInit() == 1.0) {
        return;
      }
      if (cfg.families().units()) {
        for (int l = 0; l < gates.denseLayers(); l++) {
          if (gates.unitTheta(l) != null) {
            java.util.Arrays.fill(gates.unitTheta(l), cfg.thetaInit());
          }
        }
      }
      if (cfg.families().blocks()) {
        for (int s = 0; s < gates.layers(); s++) {
          if (!Double.isNaN(gates.blockTheta(s))) {
            gates.setBlockTheta(s, cfg.thetaInit());
          }
        }
      }
    }

    ComplexityAwareResult run() {
      long start = System.nanoTime();
      int n = train.rows();
      int outs = net.outputSize();
      Loss loss = tc.loss();
      float[] x = new float[batch * net.inputSize()];
      boolean classification = net.task().isClassification();
      int[] labels = classification ? new int[batch] : null;
      float[] targets = classification ? null : new float[batch * outs];
      Random order = new Random(tc.seed());
      Random gateRandom = new Random(tc.seed() ^ GATE_SEED_MIX);
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      int stepsPerEpoch = (n + batch - 1) / batch;
      long totalSteps = (long) stepsPerEpoch * tc.epochs();
      double baseLr = tc.optimizer().learningRate();
      int settleFrom = tc.epochs() - cfg.settleEpochs() + 1;
      long settleStart = (long) stepsPerEpoch * (settleFrom - 1);
      long settleSteps = totalSteps - settleStart;
      Schedule restart = Schedule.cosine(0.01);
      List<ComplexityAwareResult.Epoch> history = new ArrayList<>();
      long step = 0;
      for (int epoch = 1; epoch <= tc.epochs(); epoch++) {
        if (epoch == settleFrom) {
          settle();
        }
        boolean learnTheta = epoch > cfg.warmupEpochs() && epoch < settleFrom;
        Split.shuffle(idx, order);
        double lossSum = 0;
        for (int b = 0; b < stepsPerEpoch; b++) {
          int from = b * batch;
          int rows = Math.min(batch, n - from);
          gather(idx, from, rows, x, labels, targets);
          gates.sample(gateRandom);
          double value = tg.run(net, gates, x, rows, labels, targets, loss);
          Gradients g = tg.gradients();
          double norm = Math.sqrt(g.sumOfSquares());
          if (!Double.isFinite(value) || !Double.isFinite(norm)) {
            throw new TrainingDivergedException(epoch, b + 1, stepsPerEpoch, value, norm);
          }
          if (tc.clipNorm() > 0 && norm > tc.clipNorm()) {
            g.scale((float) (tc.clipNorm() / norm));
          }
          double factor = cfg.settleRestart() && epoch >= settleFrom
              ? restart.factor(step - settleStart, stepsPerEpoch, settleSteps)
              : tc.schedule().factor(step, stepsPerEpoch, totalSteps);
          state.step((float) (baseLr * factor), tg.workspace().threads());
          step++;
          lossSum += value * rows;
          if (learnTheta) {
            updateTheta(cfg.thetaLearningRate() * factor);
            if (step % cfg.checkEvery() == 0) {
              check();
            }
          }
        }
        if (epoch == tc.epochs() && cfg.settleEpochs() == 0) {
          settle();
        }
        double vLoss = Double.NaN;
        double vAcc = Double.NaN;
        if (tc.validation() != null) {
          gates.prepareEvaluation();
          Evaluation e = new Evaluator(net, batch).evaluate(net, tc.validation(), loss, gates);
          vLoss = e.loss();
          vAcc = classification ? e.metric(Metric.ACCURACY) : Double.NaN;
        }
        ExpectedCost cost = ExpectedCost.of(net, unitThetas(), blockThetas());
        ComplexityAwareResult.Epoch report = new ComplexityAwareResult.Epoch(epoch, lossSum / n, vLoss, vAcc,
            net.parameterCount(), net.flops(), cost.flops, (System.nanoTime() - start) / 1e9);
        history.add(report);
        if (listener != null) {
          listener.onEpochEnd(report, tc.epochs());
        }
      }
      return new ComplexityAwareResult(net, params0, flops0, unitsRemoved, blocksRemoved, history,
          Duration.ofNanos(System.nanoTime() - start));
    }

    void gather(int[] idx, int from, int rows, float[] x, int[] labels, float[] targets) {
      int f = net.inputSize();
      int outs = net.outputSize();
      Standardization in = net.inputScaling();
      Standardization out = net.outputScaling();
      float[] dx = train.x();
      for (int i = 0; i < rows; i++) {
        int r = idx[from + i];
        if (in == null) {
          System.arraycopy(dx, r * f, x, i * f, f);
        } else {
          in.apply(dx, r * f, x, i * f, 1);
        }
        if (labels != null) {
          labels[i] = train.labels()[r];
        } else if (out == null) {
          System.arraycopy(train.targets(), r * outs, targets, i * outs, outs);
        } else {
          out.apply(train.targets(), r * outs, targets, i * outs, 1);
        }
      }
    }

    double[][] unitThetas() {
      double[][] t = new double[gates.denseLayers()][];
      for (int l = 0; l < t.length; l++) {
        t[l] = gates.unitTheta(l);
      }
      return t;
    }

    double[] blockThetas() {
      double[] t = new double[gates.layers()];
      for (int s = 0; s < t.length; s++) {
        t[s] = gates.blockTheta(s);
      }
      return t;
    }

    /** One projected step on every learning θ, with γ from the expected cost at the current θ. */
    void updateTheta(double eta) {
      ExpectedCost cost = ExpectedCost.of(net, unitThetas(), blockThetas());
      double nu = cfg.nu();
      double beta = cfg.beta();
      double unitWeight = nu * 2 * (1 - cfg.alpha());
      double blockWeight = nu * 2 * cfg.alpha();
      if (cfg.families().units()) {
        for (int l = 0; l < gates.denseLayers(); l++) {
          double[] th = gates.unitTheta(l);
          if (th == null) {
            continue;
          }
          float[] g = gates.unitGradient(l);
          for (int j = 0; j < th.length; j++) {
            double gamma = unitWeight * (beta * cost.unitFlops[l][j] / flops0
                + (1 - beta) * cost.unitParameters[l][j] / params0);
            double total = g[j] + gamma;
            th[j] = Math.min(1, Math.max(0, th[j] - eta * total));
            unitEma[l][j] = EMA * unitEma[l][j] + (1 - EMA) * total;
          }
        }
      }
      if (cfg.families().blocks()) {
        for (int s = 0; s < gates.layers(); s++) {
          double th = gates.blockTheta(s);
          if (Double.isNaN(th)) {
            continue;
          }
          double gamma = blockWeight * (beta * cost.blockFlops[s] / flops0
              + (1 - beta) * cost.blockParameters[s] / params0);
          double total = gates.blockGradient(s) + gamma;
          gates.setBlockTheta(s, Math.min(1, Math.max(0, th - eta * total)));
          blockEma[s] = EMA * blockEma[s] + (1 - EMA) * total;
        }
      }
    }

    /** The removal check: removes what has passed {@code persistence} consecutive checks. */
    void check() {
      int nd = gates.denseLayers();
      boolean[][] keep = new boolean[nd][];
      boolean any = false;
      for (int l = 0; l < nd; l++) {
        double[] th = gates.unitTheta(l);
        if (th == null) {
          continue;
        }
        keep[l] = new boolean[th.length];
        int kept = 0;
        int best = 0;
        for (int j = 0; j < th.length; j++) {
          boolean pass = th[j] <= cfg.thetaTol() && unitEma[l][j] > 0;
          unitPass[l][j] = pass ? unitPass[l][j] + 1 : 0;
          keep[l][j] = unitPass[l][j] < cfg.persistence();
          kept += keep[l][j] ? 1 : 0;
          best = th[j] > th[best] ? j : best;
        }
        if (kept == 0 && layout.inner()[l] < 0) {
          keep[l][best] = true; // a top-level layer keeps at least one unit
          kept = 1;
        }
        any |= kept < th.length;
      }
      boolean[] keepBlocks = new boolean[gates.layers()];
      for (int s = 0; s < keepBlocks.length; s++) {
        double th = gates.blockTheta(s);
        keepBlocks[s] = true;
        if (!Double.isNaN(th)) {
          boolean pass = th <= cfg.thetaTol() && blockEma[s] > 0;
          blockPass[s] = pass ? blockPass[s] + 1 : 0;
          keepBlocks[s] = blockPass[s] < cfg.persistence();
          any |= !keepBlocks[s];
        }
      }
      if (any) {
        apply(keep, keepBlocks);
      }
    }

    /** Removes every structure with θ &lt; ½, sets the others to 1 and makes the gates deterministic. */
    void settle() {
      int nd = gates.denseLayers();
      boolean[][] keep = new boolean[nd][];
      for (int l = 0; l < nd; l++) {
        double[] th = gates.unitTheta(l);
        if (th == null) {
          continue;
        }
        keep[l] = new boolean[th.length];
        int kept = 0;
        int best = 0;
        for (int j = 0; j < th.length; j++) {
          keep[l][j] = th[j] >= 0.5;
          kept += keep[l][j] ? 1 : 0;
          best = th[j] > th[best] ? j : best;
        }
        if (kept == 0 && layout.inner()[l] < 0) {
          keep[l][best] = true;
        }
      }
      boolean[] keepBlocks = new boolean[gates.layers()];
      for (int s = 0; s < keepBlocks.length; s++) {
        double th = gates.blockTheta(s);
        keepBlocks[s] = Double.isNaN(th) || th >= 0.5;
      }
      apply(keep, keepBlocks);
      for (int l = 0; l < gates.denseLayers(); l++) {
        if (gates.unitTheta(l) != null) {
          java.util.Arrays.fill(gates.unitTheta(l), 1.0);
        }
      }
      for (int s = 0; s < gates.layers(); s++) {
        if (!Double.isNaN(gates.blockTheta(s))) {
          gates.setBlockTheta(s, 1.0);
        }
      }
      gates.setDeterministic(true);
    }

    /** Physical removal; gates, running means, optimiser state and buffers follow the surviving structures. */
    void apply(boolean[][] keep, boolean[] keepBlocks) {
      double[] scale = blockThetas();
      for (int s = 0; s < scale.length; s++) {
        scale[s] = Double.isNaN(scale[s]) ? 1.0 : scale[s];
      }
      GateSurgery.Removal r = GateSurgery.remove(net, keep, keepBlocks, scale);
      if (r.unitsRemoved() == 0 && r.blocksRemoved() == 0) {
        return;
      }
      unitsRemoved += r.unitsRemoved();
      blocksRemoved += r.blocksRemoved();
      List<DenseLayer> oldDense = net.denseLayers();
      int[] oldInputs = new int[oldDense.size()];
      for (int l = 0; l < oldInputs.length; l++) {
        oldInputs[l] = oldDense.get(l).inputSize();
      }
      Network next = r.network();
      GateLayout nextLayout = GateLayout.of(next);
      BernoulliGates nextGates = newGates(nextLayout, next);
      double[][] nextUnitEma = new double[nextLayout.gated().length][];
      int[][] nextUnitPass = new int[nextLayout.gated().length][];
      for (int l = 0; l < nextUnitEma.length; l++) {
        double[] th = nextGates.unitTheta(l);
        if (th == null) {
          continue;
        }
        int src = r.sourceDense()[l];
        int[] rows = r.keptRows()[l];
        nextUnitEma[l] = new double[th.length];
        nextUnitPass[l] = new int[th.length];
        if (gates.unitTheta(src) == null) {
          continue; // a layer that became removable when the blocks after it went: θ starts at 1
        }
        for (int j = 0; j < th.length; j++) {
          th[j] = gates.unitTheta(src)[rows[j]];
          nextUnitEma[l][j] = unitEma[src][rows[j]];
          nextUnitPass[l][j] = unitPass[src][rows[j]];
        }
      }
      double[] nextBlockEma = new double[nextLayout.blocks().length];
      int[] nextBlockPass = new int[nextLayout.blocks().length];
      for (int s = 0; s < nextBlockEma.length; s++) {
        int src = r.sourceLayer()[s];
        if (nextLayout.blocks()[s]) {
          nextGates.setBlockTheta(s, gates.blockTheta(src));
          nextBlockEma[s] = blockEma[src];
          nextBlockPass[s] = blockPass[src];
        }
      }
      ThetaGradients nextTg = new ThetaGradients(next, batch, cfg.estimator(), threads);
      float[][] nextParams = Gradients.parameterTensors(next);
      OptimizerState nextState = tc.optimizer().start(nextParams, nextTg.gradients().tensors());
      nextState.inherit(state, r.sourceTensors(), r.sourceElements(oldInputs));
      net = next;
      layout = nextLayout;
      gates = nextGates;
      tg = nextTg;
      params = nextParams;
      state = nextState;
      unitEma = nextUnitEma;
      unitPass = nextUnitPass;
      blockEma = nextBlockEma;
      blockPass = nextBlockPass;
    }
  }
}
