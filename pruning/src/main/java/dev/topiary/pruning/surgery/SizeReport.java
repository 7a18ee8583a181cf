package dev.topiary.pruning.surgery;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.pruning.units.LayerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Units, parameters and FLOPs of every dense layer of a network before and after pruning, and the totals
 * of the two networks ({@link Network#parameterCount()}, {@link Network#flops()}, which also count the skip
 * additions of residual blocks).
 *
 * @param layers one entry per dense layer of the network before pruning, in forward order
 * @param parametersBefore total parameters before
 * @param parametersAfter total parameters after
 * @param flopsBefore total FLOPs per example before
 * @param flopsAfter total FLOPs per example after
 */
public record SizeReport(List<LayerSize> layers, long parametersBefore, long parametersAfter,
    long flopsBefore, long flopsAfter) {

  /** Copies the list. */
  public SizeReport {
    layers = List.copyOf(layers);
  }

  /**
   * Compares {@code before} with {@code after}, which must be what a plan made of it: the same top-level
   * layers in order, less the residual blocks listed in {@code removedBlocks} (original indices).
   *
   * @throws IllegalArgumentException if {@code after} does not have that structure
   */
  public static SizeReport compare(Network before, Network after, List<Integer> removedBlocks) {
    List<LayerSize> out = new ArrayList<>();
    List<Layer> old = before.layers();
    List<Layer> now = after.layers();
    int t2 = 0;
    for (int t = 0; t < old.size(); t++) {
      Layer l = old.get(t);
      boolean removed = removedBlocks.contains(t);
      Layer m = removed ? null : now.get(t2++);
      if (l instanceof DenseLayer d) {
        if (!(m instanceof DenseLayer e)) {
          throw new IllegalArgumentException("layers[" + t + "] is dense before but not after");
        }
        out.add(size(LayerAddress.top(t), d, e));
      } else if (l instanceof ResidualBlock r) {
        if (!removed && !(m instanceof ResidualBlock)) {
          throw new IllegalArgumentException("layers[" + t + "] is a residual block before but not after");
        }
        for (int k = 0; k < r.layers().size(); k++) {
          DenseLayer e = removed ? null : ((ResidualBlock) m).layers().get(k);
          out.add(size(LayerAddress.inBlock(t, k), r.layers().get(k), e));
        }
      }
    }
    if (t2 != now.size()) {
      throw new IllegalArgumentException("the pruned network has " + now.size() + " layers, expected " + t2);
    }
    return new SizeReport(out, before.parameterCount(), after.parameterCount(), before.flops(), after.flops());
  }

  private static LayerSize size(LayerAddress a, DenseLayer d, DenseLayer e) {
    return new LayerSize(a, d.outputSize(), e == null ? 0 : e.outputSize(), d.parameterCount(),
        e == null ? 0 : e.parameterCount(), d.flops(), e == null ? 0 : e.flops());
  }

  /** Parameters after over parameters before. */
  public double parameterRatio() {
    return (double) parametersAfter / parametersBefore;
  }

  /** FLOPs after over FLOPs before. */
  public double flopRatio() {
    return (double) flopsAfter / flopsBefore;
  }
}
