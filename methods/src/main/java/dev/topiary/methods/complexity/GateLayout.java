package dev.topiary.methods.complexity;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import java.util.List;

/**
 * Which structures of a network carry Bernoulli gates in complexity-aware training, and where each dense
 * layer sits.
 *
 * <p>Unit gates go on the units that can be removed without touching anything but the next layer: a
 * top-level dense layer followed by another top-level dense layer, and every inner layer of a residual
 * branch but the last. Not gated: the output layer, a layer that feeds a residual stream (its units are
 * the stream's coordinates, shared by every block), and the last layer of a branch (its outputs are added
 * one to one to the stream). Every residual block carries a block gate.
 *
 * @param top for each dense layer (in {@link Network#denseLayers()} order), its top-level index
 * @param inner for each dense layer, its index inside its residual branch, or -1 for a top-level layer
 * @param gated for each dense layer, whether its units carry gates
 * @param blocks for each top-level layer, whether it is a residual block (and so carries a block gate)
 */
public record GateLayout(int[] top, int[] inner, boolean[] gated, boolean[] blocks) {

  /** The layout of {@code network}. */
  public static GateLayout of(Network network) {
    List<Layer> layers = network.layers();
    int n = network.denseLayers().size();
    int[] top = new int[n];
    int[] inner = new int[n];
    boolean[] gated = new boolean[n];
    boolean[] blocks = new boolean[layers.size()];
    int d = 0;
    for (int s = 0; s < layers.size(); s++) {
      Layer l = layers.get(s);
      if (l instanceof DenseLayer) {
        top[d] = s;
        inner[d] = -1;
        gated[d] = s + 1 < layers.size() && layers.get(s + 1) instanceof DenseLayer;
        d++;
      } else {
        ResidualBlock r = (ResidualBlock) l;
        blocks[s] = true;
        int m = r.layers().size();
        for (int k = 0; k < m; k++) {
          top[d] = s;
          inner[d] = k;
          gated[d] = k < m - 1;
          d++;
        }
      }
    }
    return new GateLayout(top, inner, gated, blocks);
  }

  /** For each dense layer its width when gated, else 0: the shape {@code BernoulliGates} takes. */
  public int[] gatedWidths(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    int[] w = new int[dense.size()];
    for (int l = 0; l < w.length; l++) {
      w[l] = gated[l] ? dense.get(l).outputSize() : 0;
    }
    return w;
  }

  /** Number of gated units. */
  public int gatedUnits(Network network) {
    int c = 0;
    for (int w : gatedWidths(network)) {
      c += w;
    }
    return c;
  }

  /** Number of residual blocks. */
  public int blockCount() {
    int c = 0;
    for (boolean b : blocks) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
