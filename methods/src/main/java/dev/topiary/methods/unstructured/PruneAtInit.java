package dev.topiary.methods.unstructured;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.loss.Loss;
import java.util.List;
import java.util.Random;

/**
 * Pruning at initialisation: choose the weights to drop before any training, then train the masked
 * network ({@link UnstructuredPruning#finetune} with the full training budget).
 *
 * <ul>
 *   <li>{@link #random}: a uniformly random set of exactly ⌊s·N + ½⌋ weights;
 *   <li>{@link #snip}: SNIP (Lee et al. 2019), connection sensitivity |w·∂L/∂w| on one batch at
 *       initialisation, the weights of smallest sensitivity dropped over all layers at once.
 * </ul>
 */
public final class PruneAtInit {

  private PruneAtInit() {}

  /** A copy with a uniformly random fraction {@code sparsity} of all weights set to zero. */
  public static Network random(Network network, double sparsity, long seed) {
    checkSparsity(sparsity);
    Network out = network.copy();
    List<DenseLayer> dense = out.denseLayers();
    int total = (int) Sparsity.weights(out);
    int k = (int) MagnitudePruning.count(sparsity, total);
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    Random r = new Random(seed);
    for (int i = 0; i < k; i++) {
      int j = i + r.nextInt(total - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      zero(dense, order[i]);
    }
    return out;
  }

  /**
   * SNIP: a copy of {@code network} with the fraction {@code sparsity} of weights of smallest |w·∂L/∂w|
   * zeroed, the gradient being that of the mean training loss over the rows of {@code batch} (raw units).
   */
  public static Network snip(Network network, Dataset batch, double sparsity) {
    checkSparsity(sparsity);
    float[][] saliency = saliency(network, batch);
    Network out = network.copy();
    List<DenseLayer> dense = out.denseLayers();
    boolean[][] drop = MagnitudePruning.smallest(saliency,
        MagnitudePruning.count(sparsity, Sparsity.weights(out)));
    for (int l = 0; l < dense.size(); l++) {
      float[] w = dense.get(l).weight();
      for (int i = 0; i < w.length; i++) {
        if (drop[l][i]) {
          w[i] = 0f;
        }
      }
    }
    return out;
  }

  /** |w·∂L/∂w| per weight, one array per dense layer, the gradient of the batch's mean loss. */
  static float[][] saliency(Network network, Dataset batch) {
    int rows = batch.rows();
    if (rows < 1) {
      throw new IllegalArgumentException("SNIP needs at least one row, " + batch.name() + " has none");
    }
    if (batch.features() != network.inputSize()) {
      throw new IllegalArgumentException("data set " + batch.name() + " has " + batch.features()
          + " features, the network reads " + network.inputSize());
    }
    float[] x = batch.x().clone();
    if (network.inputScaling() != null) {
      network.inputScaling().apply(batch.x(), 0, x, 0, rows);
    }
    float[] targets = batch.targets();
    if (targets != null && network.outputScaling() != null) {
      targets = targets.clone();
      network.outputScaling().apply(batch.targets(), 0, targets, 0, rows);
    }
    Workspace ws = new Workspace(network, rows);
    Gradients g = new Gradients(network);
    float[] out = ws.forward(network, x, 0, rows, null);
    Loss.forTask(network.task()).evaluate(rows, network.outputSize(), out, batch.labels(), targets,
        ws.outputGradient());
    ws.backward(g, null);
    List<DenseLayer> dense = network.denseLayers();
    float[][] s = new float[dense.size()][];
    for (int l = 0; l < dense.size(); l++) {
      float[] w = dense.get(l).weight();
      float[] gw = g.weight(l);
      s[l] = new float[w.length];
      for (int i = 0; i < w.length; i++) {
        s[l][i] = Math.abs(w[i] * gw[i]);
      }
    }
    return s;
  }

  private static void zero(List<DenseLayer> dense, int flat) {
    for (DenseLayer d : dense) {
      if (flat < d.weight().length) {
        d.weight()[flat] = 0f;
        return;
      }
      flat -= d.weight().length;
    }
  }

  private static void checkSparsity(double s) {
    if (!(s >= 0 && s <= 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1], found " + s);
    }
  }
}
