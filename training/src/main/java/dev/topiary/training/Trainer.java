package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Parallelism;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.gates.UnitGates;
import dev.topiary.training.loss.Loss;
import dev.topiary.training.mask.ParameterMasks;
import dev.topiary.training.optim.OptimizerState;
import dev.topiary.training.regularize.Regularizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Mini-batch training of a network in place.
 *
 * <p>Each epoch shuffles the training rows (Fisher–Yates from a generator seeded by the config's seed)
 * and, for each batch: gathers the rows through the network's standardisations, samples the gates (if
 * any), runs the forward pass, the loss and the backward pass, hands the gates their gradient, adds the
 * regularisers' values and gradients, applies the masks, checks that the loss and global gradient norm are
 * finite (else {@link TrainingDivergedException}), clips the gradient norm, and takes one optimiser step
 * at the scheduled learning rate, after which frozen parameters are restored. After each epoch the
 * validation set (if any) is evaluated; the best epoch's weights are kept for early stopping.
 *
 * <p>Data sets are in raw units; the network's {@code inputScaling} and, for regression,
 * {@code outputScaling} are applied to every batch (fit them with {@link Scaling#fit}). The same network,
 * data, config and thread count always give bit-identical weights.
 *
 * <p>A trainer holds the plug-ins (masks, gates, listeners) set on it; one {@link #fit} at a time.
 */
public final class Trainer {

  private static final long GATE_SEED_MIX = 0x9E3779B97F4A7C15L;

  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private ParameterMasks masks;
  private UnitGates gates;

  /** A trainer for {@code config}. */
  public Trainer(TrainingConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The configuration. */
  public TrainingConfig config() {
    return config;
  }

  /** Adds a progress listener; returns this trainer. */
  public Trainer addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Sets the parameter masks (null for none); returns this trainer. */
  public Trainer masks(ParameterMasks m) {
    this.masks = m;
    return this;
  }

  /** Sets the unit and block gates (null for none); returns this trainer. */
  public Trainer gates(UnitGates g) {
    this.gates = g;
    return this;
  }

  /**
   * Trains {@code network} in place on {@code train}.
   *
   * @throws TrainingDivergedException if a loss or gradient norm is not finite
   * @throws IllegalArgumentException if the data does not fit the network, task or loss
   */
  public TrainingResult fit(Network network, Dataset train) {
    checkData(network, train, config.loss(), "training");
    if (train.rows() < 1) {
      throw new IllegalArgumentException("training set " + train.name() + " is empty");
    }
    Dataset validation = config.validation();
    EarlyStopping stopping = config.earlyStopping();
    if (validation != null) {
      checkData(network, validation, config.loss(), "validation");
      if (validation.rows() < 1) {
        throw new IllegalArgumentException("validation set " + validation.name() + " is empty");
      }
      if (stopping.metric() != null && !stopping.metric().appliesTo(network.task())) {
        throw new IllegalArgumentException("validation metric " + stopping.metric() + " does not apply to "
            + network.task().kind() + " tasks");
      }
    }
    if (config.threads() == 0) {
      return run(network, train, validation, stopping, null);
    }
    // This run's own threads: concurrent trainers never change each other's setting.
    try (Parallelism threads = Parallelism.ofThreads(config.threads())) {
      return run(network, train, validation, stopping, threads);
    }
  }

  private TrainingResult run(Network network, Dataset train, Dataset validation, EarlyStopping stopping,
      Parallelism threads) {
    long start = System.nanoTime();
    int n = train.rows();
    int batch = Math.min(config.batchSize(), n);
    int outs = network.outputSize();
    Loss loss = config.loss();
    Workspace workspace = new Workspace(network, batch, threads);
    // The elementwise work between the products (batch standardisation, optimiser step) shares the
    // products' threads.
    Parallelism elementwise = workspace.threads();
    Batches batches = new Batches(network, batch);
    Gradients gradients = new Gradients(network);
    GateGradients gateGradients = gates == null ? null
        : new GateGradients(workspace.unitWidths(), workspace.layerCount());
    float[][] params = Gradients.parameterTensors(network);
    OptimizerState state = config.optimizer().start(params, gradients.tensors());
    ParameterMasks.Binding bound = masks == null ? null : masks.bind(network);
    Evaluator evaluator = validation == null ? null : new Evaluator(workspace, network);
    float[][] best = null;

    Random order = new Random(config.seed());
    Random gateRandom = new Random(config.seed() ^ GATE_SEED_MIX);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int stepsPerEpoch = (n + batch - 1) / batch;
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    double baseLr = config.optimizer().learningRate();
    double clip = config.clipNorm();
    List<Regularizer> regularizers = config.regularizers();

    List<EpochReport> history = new ArrayList<>();
    double bestMetric = Double.NaN;
    int bestEpoch = 0;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    long step = 0;
    int epoch = 0;
    while (epoch < config.epochs()) {
      epoch++;
      Split.shuffle(idx, order);
      double lossSum = 0.0;
      float lr = 0f;
      for (int b = 0; b < stepsPerEpoch; b++) {
        int from = b * batch;
        int rows = Math.min(batch, n - from);
        batches.gather(train, idx, from, rows, elementwise);
        if (gates != null) {
          gates.sample(gateRandom);
        }
        float[] out = workspace.forward(network, batches.x, 0, rows, gates);
        double batchLoss = loss.evaluate(rows, outs, out, batches.labels, batches.targets,
            workspace.outputGradient());
        workspace.backward(gradients, gateGradients);
        if (gates != null) {
          gates.accumulateGradient(gateGradients);
        }
        for (Regularizer r : regularizers) {
          batchLoss += r.value(network);
          r.addGradient(network, gradients);
        }
        if (bound != null) {
          bound.maskGradients(gradients);
        }
        double norm = Math.sqrt(gradients.sumOfSquares());
        if (!Double.isFinite(batchLoss) || !Double.isFinite(norm)) {
          throw new TrainingDivergedException(epoch, b + 1, stepsPerEpoch, batchLoss, norm);
        }
        if (clip > 0 && norm > clip) {
          gradients.scale((float) (clip / norm));
        }
        lr = (float) (baseLr * config.schedule().factor(step, stepsPerEpoch, totalSteps));
        state.step(lr, elementwise);
        if (bound != null) {
          bound.afterStep(state);
        }
        step++;
        lossSum += batchLoss * rows;
        for (TrainingListener l : listeners) {
          l.onBatchEnd(epoch, b + 1, stepsPerEpoch, batchLoss);
        }
      }
      double metric = Double.NaN;
      double validationLoss = Double.NaN;
      if (evaluator != null) {
        if (gates != null) {
          gates.prepareEvaluation();
        }
        Evaluation e = evaluator.evaluate(network, validation, loss, gates);
        metric = stopping.watched(e);
        validationLoss = e.loss();
        if (stopping.improves(metric, bestMetric)) {
          bestMetric = metric;
          bestEpoch = epoch;
          sinceBest = 0;
          if (stopping.restoreBest()) {
            best = copyInto(params, best);
          }
        } else {
          sinceBest++;
        }
      } else {
        bestEpoch = epoch;
      }
      EpochReport report = new EpochReport(epoch, lossSum / n, metric, validationLoss, lr,
          Duration.ofNanos(System.nanoTime() - start));
      history.add(report);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(report);
      }
      if (evaluator != null && stopping.enabled() && sinceBest >= stopping.patience()) {
        stoppedEarly = epoch < config.epochs();
        break;
      }
    }
    if (best != null && bestEpoch < epoch) {
      for (int t = 0; t < params.length; t++) {
        System.arraycopy(best[t], 0, params[t], 0, params[t].length);
      }
    }
    return new TrainingResult(epoch, bestEpoch, bestMetric, stoppedEarly, history,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static float[][] copyInto(float[][] src, float[][] dst) {
    if (dst == null) {
      dst = new float[src.length][];
      for (int t = 0; t < src.length; t++) {
        dst[t] = new float[src[t].length];
      }
    }
    for (int t = 0; t < src.length; t++) {
      System.arraycopy(src[t], 0, dst[t], 0, src[t].length);
    }
    return dst;
  }

  /** Checks that a data set fits a network and a loss; names the data set and what differs. */
  static void checkData(Network network, Dataset data, Loss loss, String role) {
    if (data.features() != network.inputSize()) {
      throw new IllegalArgumentException(role + " set " + data.name() + " has " + data.features()
          + " features, the network reads " + network.inputSize());
    }
    if (data.task().isClassification() != network.task().isClassification()
        || data.task().outputs() != network.task().outputs()) {
      throw new IllegalArgumentException(role + " set " + data.name() + " is " + data.task().kind() + " with "
          + data.task().outputs() + " outputs, the network is " + network.task().kind() + " with "
          + network.task().outputs());
    }
    if (!loss.supports(network.task())) {
      throw new IllegalArgumentException("loss " + loss.name() + " does not apply to " + role + " set "
          + data.name() + ", a " + network.task().kind() + " task");
    }
  }
}
