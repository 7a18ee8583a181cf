package dev.topiary.methods.greedy;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;

/**
 * The pre-activation Z of the consumer layer l+1 on a mini-batch, kept for the current selection S of
 * layer l's units and updated one unit at a time, so trying a candidate costs O(B·m) instead of a forward
 * pass through layers 1…l+1.
 *
 * <p>With g the per-unit coefficients (h for {@link GreedyVariant#SCALED}, h − μ for
 * {@link GreedyVariant#MEAN_REPLACEMENT}) and A = Σ_{j∈S} g_j·W[:, j]ᵀ (a [B × m] accumulator),
 * <pre>
 *   SCALED:            Z(S) = b + (n/|S|)·A            (Z(∅) = b)
 *   MEAN_REPLACEMENT:  Z(S) = (b + W·μ) + A            (Z(∅) = b + W·μ: every unit at its mean)
 * </pre>
 * and the candidate k gives Z(S ∪ {k}) from A + g_k·W[:, k]ᵀ. W is held transposed so that W[:, k] is a
 * contiguous row and each update is one axpy per batch row.
 */
final class IncrementalPreActivation {

  private final int rows;
  private final int n;
  private final int m;
  private final boolean scaled;
  private final float[] g;
  private final float[] wt;
  private final float[] base;
  private final float[] acc;
  private final boolean[] selected;
  private int size;

  /**
   * @param h the layer's outputs on the batch, [rows × n]
   * @param mean the per-unit means used by mean replacement (ignored for SCALED)
   * @param consumer layer l+1, reading the n units
   */
  IncrementalPreActivation(float[] h, int rows, double[] mean, DenseLayer consumer, GreedyVariant variant) {
    this.rows = rows;
    this.n = consumer.inputSize();
    this.m = consumer.outputSize();
    this.scaled = variant == GreedyVariant.SCALED;
    float[] w = consumer.weight();
    wt = new float[n * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        wt[j * m + i] = w[i * n + j];
      }
    }
    g = h.clone();
    base = consumer.bias().clone();
    if (!scaled) {
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          g[r * n + j] = (float) (h[r * n + j] - mean[j]);
        }
      }
      for (int i = 0; i < m; i++) {
        double s = base[i];
        for (int j = 0; j < n; j++) {
          s += (double) w[i * n + j] * mean[j];
        }
        base[i] = (float) s;
      }
    }
    acc = new float[rows * m];
    selected = new boolean[n];
  }

  /** Number of units selected so far. */
  int size() {
    return size;
  }

  /** True when unit j is selected. */
  boolean isSelected(int j) {
    return selected[j];
  }

  /** Writes Z(S ∪ {k}) to {@code z} ([rows × m]); k must not be selected yet. */
  void candidate(int k, float[] z) {
    if (selected[k]) {
      throw new IllegalArgumentException("unit " + k + " is already selected");
    }
    System.arraycopy(acc, 0, z, 0, rows * m);
    for (int r = 0; r < rows; r++) {
      Kernels.axpy(m, g[r * n + k], wt, k * m, z, r * m);
    }
    finish(size + 1, z);
  }

  /** Writes Z(S) to {@code z}. */
  void current(float[] z) {
    System.arraycopy(acc, 0, z, 0, rows * m);
    finish(size, z);
  }

  /** Adds unit k to S. */
  void add(int k) {
    if (selected[k]) {
      throw new IllegalArgumentException("unit " + k + " is already selected");
    }
    for (int r = 0; r < rows; r++) {
      Kernels.axpy(m, g[r * n + k], wt, k * m, acc, r * m);
    }
    selected[k] = true;
    size++;
  }

  private void finish(int count, float[] z) {
    if (scaled && count > 0) {
      Kernels.scale(rows * m, (float) n / count, z, 0);
    }
    Kernels.biasActivate(Activation.IDENTITY, rows, m, base, 0, z, 0, m);
  }
}
