package dev.topiary.pruning.plan;

import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.LayerAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * Removal of a whole residual block h ↦ h + f(h).
 *
 * <p>Without a mean ({@link #drop}) the block becomes h ↦ h: exact only when f(h) ≈ 0 on the data, which
 * is what a block gate driven to zero gives. With a mean ({@link #fold}) it becomes h ↦ h + m, m the mean
 * of f(h) over the evaluation data, exact when f is constant on the data. Because m travels along the skip
 * path, surgery adds W·m to the bias of every dense layer that reads the residual stream after the block:
 * the first layer of each later block of the same stream and the top-level dense layer that ends it.
 *
 * @param layer the block's index in the network the plan was made for
 * @param mean the mean output of f per stream coordinate, or null to drop the block without folding
 */
public record BlockRemoval(int layer, double[] mean) {

  /**
   * Checks the values and copies the mean.
   *
   * @throws InvalidPlanException if the index is negative or a mean value is not finite
   */
  public BlockRemoval {
    if (layer < 0) {
      throw new InvalidPlanException("block index must be >= 0, found " + layer);
    }
    if (mean != null) {
      mean = mean.clone();
      for (int k = 0; k < mean.length; k++) {
        if (!Double.isFinite(mean[k])) {
          throw new InvalidPlanException("block layers[" + layer + "]: mean output " + k + " is " + mean[k]);
        }
      }
    }
  }

  /** Drop the block at top-level index {@code layer}: h + f(h) becomes h. */
  public static BlockRemoval drop(int layer) {
    return new BlockRemoval(layer, null);
  }

  /** Drop the block at {@code layer} and fold {@code mean} (the mean of f(h)) into the stream's readers. */
  public static BlockRemoval fold(int layer, double[] mean) {
    return new BlockRemoval(layer, Objects.requireNonNull(mean, "mean"));
  }

  /**
   * Drop the block at {@code layer} folding the mean of f(h) measured in {@code statistics} (the mean
   * output of the block's last layer).
   *
   * @throws InvalidPlanException if {@code layer} is not a residual block of the measured network
   */
  public static BlockRemoval foldMeasured(int layer, UnitStatistics statistics) {
    if (!statistics.layout().residualBlocks().contains(layer)) {
      throw new InvalidPlanException("layers[" + layer + "] is not a residual block of the measured network");
    }
    LayerAddress last = statistics.layout().hidden().stream()
        .filter(h -> h.address().layer() == layer)
        .reduce((a, b) -> b).orElseThrow().address();
    return fold(layer, statistics.layer(last).orElseThrow().mean());
  }

  /** True when the block's mean output is folded. */
  public boolean folds() {
    return mean != null;
  }

  /** A copy of the folded mean, or null. */
  @Override
  public double[] mean() {
    return mean == null ? null : mean.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockRemoval b && b.layer == layer && Arrays.equals(b.mean, mean);
  }

  @Override
  public int hashCode() {
    return 31 * layer + Arrays.hashCode(mean);
  }

  @Override
  public String toString() {
    return "BlockRemoval[layers[" + layer + "]" + (mean == null ? ", dropped" : ", mean folded") + "]";
  }
}
