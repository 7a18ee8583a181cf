package dev.topiary.methods.greedy;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Greedy forward selection (Ye et al. 2020, "Good subnetworks provably exist: pruning via greedy forward
 * selection"; the pruning step of seed {@code 003}): layer by layer from the input, start each layer with
 * no units and repeatedly add the unit whose addition most lowers the loss of the subnetwork on a
 * mini-batch, until the subnetwork's metric reaches a set fraction of the dense network's or the layer's
 * unit budget is spent; then remove the other units for real with
 * {@link dev.topiary.pruning.plan.PruningPlan} and {@link Surgery} and move on to the next layer of the
 * network pruned so far. See {@link GreedyVariant} for how the unselected units are treated.
 *
 * <p><b>Incremental evaluation.</b> Trying candidate k only changes the pre-activation of the consumer
 * layer l+1, so the layer's outputs h on the batch are computed once and Z_{l+1} is kept for the current
 * selection ({@link IncrementalPreActivation}); a candidate costs one rank-one update of Z, O(B·m), plus
 * the layers above l+1, O(B·F_{&gt;l+1}) with F the multiply-adds per row. Choosing s_l of n_l units
 * therefore costs O(s_l·n_l·B·(m + F_{&gt;l+1})) rather than O(s_l·n_l·B·F) for full forward passes, and
 * the first layers, whose selection is the most expensive, gain the most.
 *
 * <p>Supported networks are chains of dense layers; residual blocks are refused. Unit means for mean
 * replacement are taken over the selection batch, and the pruned network computes exactly the subnetwork
 * that was judged on it.
 */
public final class GreedySelection {

  private GreedySelection() {}

  /**
   * Selects units layer by layer on a mini-batch of {@code data} (raw units) and returns the pruned
   * network; {@code network} is not modified.
   *
   * @throws IllegalArgumentException if the network has residual blocks, the data does not fit it, or
   *     the metric does not apply to its task
   */
  public static GreedyResult prune(Network network, Dataset data, GreedyConfig config) {
    for (Layer l : network.layers()) {
      if (!(l instanceof DenseLayer)) {
        throw new IllegalArgumentException("greedy selection supports chains of dense layers; "
            + network.describe() + " has a residual block");
      }
    }
    if (data.features() != network.inputSize() || data.task().kind() != network.task().kind()
        || data.task().outputs() != network.outputSize()) {
      throw new IllegalArgumentException("data set " + data + " does not fit the network " + network);
    }
    if (data.rows() < 1) {
      throw new IllegalArgumentException("data set " + data.name() + " has no rows to select on");
    }
    Metric metric = config.metric() != null ? config.metric() : Metric.defaultFor(network.task());
    if (!metric.appliesTo(network.task())) {
      throw new IllegalArgumentException("metric " + metric.id() + " does not apply to " + network.task().kind());
    }
    BatchObjective objective = new BatchObjective(network, data, sample(data.rows(), config), metric);
    int rows = objective.rows;
    double denseMetric = objective.metric(ForwardPass.outputs(network, objective.x, rows));

    Network current = network;
    List<LayerRemoval> removals = new ArrayList<>();
    List<GreedyResult.LayerTrace> traces = new ArrayList<>();
    for (HiddenLayer layer : UnitLayout.of(network).prunable()) {
      float[] h = hiddenOutputs(current, objective.x, rows, layer.index());
      int n = layer.width();
      double[] mean = columnMeans(h, rows, n);
      List<DenseLayer> dense = current.denseLayers();
      int c = layer.index() + 1;
      DenseLayer consumer = dense.get(c);
      IncrementalPreActivation z = new IncrementalPreActivation(h, rows, mean, consumer, config.variant());
      GreedyResult.LayerTrace trace = select(layer.address(), z, n, dense, c, objective, config, metric,
          denseMetric);
      traces.add(trace);

      boolean[] keep = new boolean[n];
      for (int j : trace.order()) {
        keep[j] = true;
      }
      int[] removed = new int[n - trace.kept()];
      double[] folded = new double[removed.length];
      int r = 0;
      for (int j = 0; j < n; j++) {
        if (!keep[j]) {
          folded[r] = config.variant() == GreedyVariant.MEAN_REPLACEMENT ? mean[j] : 0.0;
          removed[r++] = j;
        }
      }
      double[] noScores = new double[removed.length];
      Arrays.fill(noScores, Double.NaN);
      LayerRemoval removal = new LayerRemoval(layer.address(), n, removed, noScores, folded,
          "greedy forward selection (" + config.variant().name().toLowerCase(java.util.Locale.ROOT) + "): "
              + trace.kept() + " of " + n + " units, stopped by " + trace.stop());
      removals.add(removal);
      if (removed.length > 0) {
        current = Surgery.apply(current, PruningPlan.ofLayers(List.of(removal)));
        if (trace.scale() != 1.0) {
          float[] w = layer.consumer().resolve(current).weight();
          Kernels.scale(w.length, (float) trace.scale(), w, 0);
        }
      }
    }
    if (current == network) {
      current = network.copy();
    }
    return new GreedyResult(current, PruningPlan.ofLayers(removals), traces, denseMetric,
        SizeReport.compare(network, current, List.of()), config.variant());
  }

  private static GreedyResult.LayerTrace select(LayerAddress address, IncrementalPreActivation z, int n,
      List<DenseLayer> dense, int c, BatchObjective objective, GreedyConfig config, Metric metric,
      double denseMetric) {
    int rows = objective.rows;
    int widest = 0;
    for (DenseLayer d : dense) {
      widest = Math.max(widest, d.outputSize());
    }
    float[] zBuf = new float[rows * dense.get(c).outputSize()];
    float[][] work = {new float[rows * widest], new float[rows * widest]};
    int budget = Math.min(n, config.budgetFor(n));
    int[] order = new int[budget];
    double[] losses = new double[budget];
    double[] metrics = new double[budget];
    GreedyResult.Stop stop = GreedyResult.Stop.BUDGET;
    int count = 0;
    while (count < budget) {
      int best = -1;
      double bestLoss = Double.POSITIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        if (z.isSelected(k)) {
          continue;
        }
        z.candidate(k, zBuf);
        double loss = objective.loss(BatchObjective.above(dense, c, zBuf, rows, work));
        if (best < 0 || loss < bestLoss) {
          best = k;
          bestLoss = loss;
        }
      }
      z.add(best);
      z.current(zBuf);
      float[] out = BatchObjective.above(dense, c, zBuf, rows, work);
      order[count] = best;
      losses[count] = bestLoss;
      metrics[count] = objective.metric(out);
      count++;
      if (config.reached(metrics[count - 1], denseMetric, metric)) {
        stop = GreedyResult.Stop.METRIC;
        break;
      }
      if (count == n) {
        stop = GreedyResult.Stop.ALL_UNITS;
        break;
      }
    }
    double scale = config.variant() == GreedyVariant.SCALED ? (double) n / count : 1.0;
    return new GreedyResult.LayerTrace(address, n,
        Arrays.copyOf(order, count), Arrays.copyOf(losses, count), Arrays.copyOf(metrics, count), scale, stop);
  }

  /** The rows of the selection batch: all rows in order, or a seeded sample without replacement. */
  static int[] sample(int rows, GreedyConfig config) {
    int[] all = new int[rows];
    for (int i = 0; i < rows; i++) {
      all[i] = i;
    }
    if (rows <= config.batchRows()) {
      return all;
    }
    Random random = new Random(config.seed());
    int k = config.batchRows();
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(rows - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] pick = Arrays.copyOf(all, k);
    Arrays.sort(pick);
    return pick;
  }

  /** A copy of hidden layer {@code index}'s outputs on the batch. */
  static float[] hiddenOutputs(Network network, float[] x, int rows, int index) {
    float[][] out = new float[1][];
    new ForwardPass(network, rows).run(x, 0, rows, (layer, h, r) -> {
      if (layer.index() == index) {
        out[0] = Arrays.copyOf(h, r * layer.width());
      }
    });
    return out[0];
  }

  static double[] columnMeans(float[] h, int rows, int n) {
    double[] mean = new double[n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        mean[j] += h[r * n + j];
      }
    }
    for (int j = 0; j < n; j++) {
      mean[j] /= rows;
    }
    return mean;
  }
}
