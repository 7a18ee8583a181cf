package dev.topiary.pruning.surgery;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.plan.BlockRemoval;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the smaller network a {@link PruningPlan} describes, with mean replacement folded into biases.
 * The input network is left untouched and the result shares no array with it.
 *
 * <p>For the removed set R of a layer l with consumer l+1 (DESIGN, "Pruning: the mathematics that must
 * hold"): W'_l = W_l without the rows in R, b'_l = b_l without R, W'_{l+1} = W_{l+1} without the columns
 * in R, and b'_{l+1} = b_{l+1} + Σ_{j∈R} W_{l+1}[:, j]·μ_j. Hence for any input the new network computes
 * what the old one computes with h_j replaced by μ_j for j ∈ R. Inside a residual chain the consumer is the
 * next layer of the chain. The sums are formed in double and rounded to float once.
 *
 * <p>A removed unit r merged into a kept partner p with slope a (see {@link LayerRemoval}) is replaced by
 * a·h_p + c_r instead of a constant: W'_{l+1}[:, p] = W_{l+1}[:, p] + Σ_{r merged into p} a_r·W_{l+1}[:, r]
 * and b'_{l+1} = b_{l+1} + Σ_{r∈R} W_{l+1}[:, r]·c_r, c_r the folded constant (μ_r for mean replacement,
 * the intercept for a merge).
 *
 * <p>A removed residual block is dropped (h + f(h) becomes h); with a folded mean m it becomes h + m, and
 * W·m is added to the bias of every dense layer that reads the stream after it (see
 * {@link BlockRemoval}). The new network's top-level indices after a removed block shift down by one per
 * removed block; the plan keeps referring to the original indices.
 */
public final class Surgery {

  private Surgery() {}

  /**
   * The network {@code plan} makes of {@code network}.
   *
   * @throws InvalidPlanException if the plan does not fit the network
   */
  public static Network apply(Network network, PruningPlan plan) {
    plan.validate(network);
    UnitLayout layout = UnitLayout.of(network);
    Map<LayerAddress, LayerRemoval> rowsRemoved = new HashMap<>();
    Map<LayerAddress, LayerRemoval> columnsRemoved = new HashMap<>();
    Map<LayerAddress, double[]> biasShift = new HashMap<>();
    Map<LayerAddress, float[]> mergedWeights = new HashMap<>();
    for (LayerRemoval r : plan.layers()) {
      if (r.count() == 0) {
        continue;
      }
      HiddenLayer h = layout.find(r.layer()).orElseThrow();
      rowsRemoved.put(r.layer(), r);
      columnsRemoved.put(h.consumer(), r);
      DenseLayer consumer = h.consumer().resolve(network);
      addColumns(consumer, r.units(), r.means(), shift(biasShift, h.consumer(), consumer));
      if (r.merges()) {
        mergedWeights.put(h.consumer(), mergeColumns(consumer, r));
      }
    }
    List<Integer> removedBlocks = new ArrayList<>();
    for (BlockRemoval b : plan.blocks()) {
      removedBlocks.add(b.layer());
    }
    for (BlockRemoval b : plan.blocks()) {
      if (b.folds()) {
        foldAlongStream(network, b, removedBlocks, biasShift);
      }
    }
    List<Layer> out = new ArrayList<>();
    List<Layer> layers = network.layers();
    for (int t = 0; t < layers.size(); t++) {
      Layer l = layers.get(t);
      if (l instanceof DenseLayer d) {
        out.add(rebuild(d, LayerAddress.top(t), rowsRemoved, columnsRemoved, biasShift, mergedWeights));
      } else if (l instanceof ResidualBlock r && !removedBlocks.contains(t)) {
        List<DenseLayer> chain = new ArrayList<>();
        for (int k = 0; k < r.layers().size(); k++) {
          chain.add(rebuild(r.layers().get(k), LayerAddress.inBlock(t, k), rowsRemoved, columnsRemoved,
              biasShift, mergedWeights));
        }
        out.add(new ResidualBlock(chain));
      }
    }
    return network.withLayers(out);
  }

  /** The bias shift accumulator of the layer at {@code a}, created at zero. */
  private static double[] shift(Map<LayerAddress, double[]> shifts, LayerAddress a, DenseLayer d) {
    return shifts.computeIfAbsent(a, k -> new double[d.outputSize()]);
  }

  /** shift[i] += Σ_k W[i, cols[k]]·values[k]. */
  private static void addColumns(DenseLayer d, int[] cols, double[] values, double[] shift) {
    int in = d.inputSize();
    float[] w = d.weight();
    for (int i = 0; i < d.outputSize(); i++) {
      double s = 0;
      for (int k = 0; k < cols.length; k++) {
        s += (double) w[i * in + cols[k]] * values[k];
      }
      shift[i] += s;
    }
  }

  /**
   * A copy of the consumer's weight in which every partner column p holds W[:, p] + Σ a_r·W[:, r] over the
   * units r merged into it, summed in double and rounded once.
   */
  private static float[] mergeColumns(DenseLayer d, LayerRemoval r) {
    int in = d.inputSize();
    float[] w = d.weight().clone();
    int[] units = r.units();
    int[] partners = r.partners();
    double[] slopes = r.slopes();
    double[] acc = new double[d.outputSize()];
    boolean[] done = new boolean[in];
    for (int i = 0; i < units.length; i++) {
      int p = partners[i];
      if (p < 0 || done[p]) {
        continue;
      }
      done[p] = true;
      for (int o = 0; o < acc.length; o++) {
        acc[o] = d.weight()[o * in + p];
      }
      for (int k = i; k < units.length; k++) {
        if (partners[k] == p) {
          for (int o = 0; o < acc.length; o++) {
            acc[o] += slopes[k] * d.weight()[o * in + units[k]];
          }
        }
      }
      for (int o = 0; o < acc.length; o++) {
        w[o * in + p] = (float) acc[o];
      }
    }
    return w;
  }

  /**
   * The constant m a folded block leaves on the residual stream reaches every later reader of the stream:
   * the first layer of each kept block after it, up to and including the top-level dense layer that ends
   * the stream (the network's last layer is dense, so there is one).
   */
  private static void foldAlongStream(Network network, BlockRemoval b, List<Integer> removedBlocks,
      Map<LayerAddress, double[]> shifts) {
    double[] m = b.mean();
    int[] all = new int[m.length];
    for (int k = 0; k < all.length; k++) {
      all[k] = k;
    }
    List<Layer> layers = network.layers();
    for (int t = b.layer() + 1; t < layers.size(); t++) {
      Layer l = layers.get(t);
      if (l instanceof ResidualBlock r) {
        if (!removedBlocks.contains(t)) {
          DenseLayer first = r.layers().get(0);
          addColumns(first, all, m, shift(shifts, LayerAddress.inBlock(t, 0), first));
        }
      } else if (l instanceof DenseLayer d) {
        addColumns(d, all, m, shift(shifts, LayerAddress.top(t), d));
        return;
      }
    }
    throw new AssertionError("a residual stream always ends at a dense layer");
  }

  private static DenseLayer rebuild(DenseLayer d, LayerAddress a, Map<LayerAddress, LayerRemoval> rowsRemoved,
      Map<LayerAddress, LayerRemoval> columnsRemoved, Map<LayerAddress, double[]> biasShift,
      Map<LayerAddress, float[]> mergedWeights) {
    int[] rows = rowsRemoved.containsKey(a) ? rowsRemoved.get(a).keptUnits() : identity(d.outputSize());
    int[] cols = columnsRemoved.containsKey(a) ? columnsRemoved.get(a).keptUnits() : identity(d.inputSize());
    double[] shift = biasShift.get(a);
    int in = d.inputSize();
    float[] w = mergedWeights.getOrDefault(a, d.weight());
    float[] b = d.bias();
    float[] nw = new float[rows.length * cols.length];
    float[] nb = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int src = rows[i] * in;
      int dst = i * cols.length;
      for (int k = 0; k < cols.length; k++) {
        nw[dst + k] = w[src + cols[k]];
      }
      nb[i] = shift == null ? b[rows[i]] : (float) (b[rows[i]] + shift[rows[i]]);
    }
    return new DenseLayer(cols.length, rows.length, nw, nb, d.activation());
  }

  private static int[] identity(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
