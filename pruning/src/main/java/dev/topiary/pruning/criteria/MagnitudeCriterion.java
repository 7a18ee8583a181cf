package dev.topiary.pruning.criteria;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.kernels.Kernels;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Weight magnitude (the norms criteria of the pruning survey): a unit whose weights are small contributes
 * little. The score of unit j of layer l is the L1 or L2 norm of
 *
 * <ul>
 *   <li>{@link Direction#IN}: its incoming weights, row j of W_l (the bias is not included);
 *   <li>{@link Direction#OUT}: its outgoing weights, column j of W_{l+1} (its consumer);
 *   <li>{@link Direction#BOTH}: the product ‖W_l[j, :]‖·‖W_{l+1}[:, j]‖. The product, not the sum, because
 *       a ReLU-family unit computes the same function when its incoming weights and bias are multiplied by
 *       c &gt; 0 and its outgoing weights divided by c; the product is invariant under that rescaling, a
 *       sum would rank the same function differently depending on c.
 * </ul>
 *
 * Needs no data; the norms come from {@link Kernels#rowNorms} and {@link Kernels#columnNorms}.
 *
 * @param p 1 or 2
 * @param direction which weights are measured
 */
public record MagnitudeCriterion(int p, Direction direction) implements UnitCriterion {

  /** Which of a unit's weights are measured. */
  public enum Direction {
    /** Row j of the layer's own weight matrix. */
    IN,
    /** Column j of the consumer's weight matrix. */
    OUT,
    /** The product of the two norms. */
    BOTH
  }

  /** Checks the norm. */
  public MagnitudeCriterion {
    if (p != 1 && p != 2) {
      throw new IllegalArgumentException("magnitude criterion: norm must be 1 or 2, found " + p);
    }
    java.util.Objects.requireNonNull(direction, "direction");
  }

  @Override
  public String name() {
    return "l" + p + "-" + direction.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public boolean needsStatistics() {
    return false;
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    int w = layer.width();
    double[] s = new double[w];
    java.util.Arrays.fill(s, 1.0);
    if (direction != Direction.OUT) {
      DenseLayer d = layer.address().resolve(context.network());
      float[] n = new float[w];
      Kernels.rowNorms(p, w, d.inputSize(), d.weight(), 0, d.inputSize(), n, 0);
      for (int j = 0; j < w; j++) {
        s[j] *= n[j];
      }
    }
    if (direction != Direction.IN) {
      if (layer.consumer() == null) {
        throw new IllegalArgumentException("criterion '" + name() + "': " + layer.address()
            + " is not prunable, so it has no single consumer whose columns are its outgoing weights");
      }
      DenseLayer c = layer.consumer().resolve(context.network());
      float[] n = new float[w];
      Kernels.columnNorms(p, c.outputSize(), w, c.weight(), 0, w, n, 0);
      for (int j = 0; j < w; j++) {
        s[j] *= n[j];
      }
    }
    return s;
  }
}
