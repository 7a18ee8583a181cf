package dev.topiary.methods.complexity;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Physical removal of gated structures: builds the smaller network that computes what the gated network
 * computes when the removed gates are 0.
 *
 * <p>Gates sit after the activation, so a unit whose gate is 0 contributes exactly nothing: its row and
 * bias go, and so does the next layer's column, with no bias folding. A block whose gate is 0 adds nothing
 * and goes. A block one of whose inner layers loses every unit adds a constant c (the rest of its branch run
 * on zeros); it goes too, and {@code scale}·c is folded into the bias of every later layer that reads the
 * stream (the first layer of every later block, and the first top-level dense layer after it). With scale =
 * 1 (block gate 1) that is exact; during training scale is θ_B, the mean of the block gate.
 */
public final class GateSurgery {

  private GateSurgery() {}

  /**
   * The result of a removal.
   *
   * @param network the smaller network (new arrays; the input network is not changed)
   * @param sourceDense for each dense layer of the new network, its index in the old one
   * @param keptRows for each new dense layer, the old indices of its units
   * @param keptColumns for each new dense layer, the old indices of its inputs
   * @param sourceLayer for each new top-level layer, its old index
   * @param unitsRemoved gated units removed, blocks removed with them not counted
   * @param blocksRemoved residual blocks removed
   */
  public record Removal(Network network, int[] sourceDense, int[][] keptRows, int[][] keptColumns,
      int[] sourceLayer, int unitsRemoved, int blocksRemoved) {

    /**
     * For optimiser state: the source tensor of each new parameter tensor (weight 0, bias 0, weight 1, …)
     * and the old flat index of each of its elements.
     */
    public int[] sourceTensors() {
      int[] t = new int[2 * sourceDense.length];
      for (int l = 0; l < sourceDense.length; l++) {
        t[2 * l] = 2 * sourceDense[l];
        t[2 * l + 1] = 2 * sourceDense[l] + 1;
      }
      return t;
    }

    /** The old flat index of each element of each new tensor; {@code oldInputs[l]} is old layer l's input width. */
    public int[][] sourceElements(int[] oldInputs) {
      int[][] e = new int[2 * sourceDense.length][];
      for (int l = 0; l < sourceDense.length; l++) {
        int[] rows = keptRows[l];
        int[] cols = keptColumns[l];
        int oldIn = oldInputs[sourceDense[l]];
        int[] w = new int[rows.length * cols.length];
        for (int r = 0; r < rows.length; r++) {
          for (int c = 0; c < cols.length; c++) {
            w[r * cols.length + c] = rows[r] * oldIn + cols[c];
          }
        }
        e[2 * l] = w;
        e[2 * l + 1] = rows.clone();
      }
      return e;
    }
  }

  /**
   * Removes from {@code network} the units with {@code keepUnits[l][j] == false} and the blocks with
   * {@code keepBlocks[s] == false}.
   *
   * @param keepUnits per dense layer, which units stay; null for a layer that keeps them all. Only units of
   *     layers that {@link GateLayout} gates may be removed.
   * @param keepBlocks per top-level layer, false to remove that residual block
   * @param scale per top-level layer, the factor of the constant folded when a block goes because an inner
   *     layer emptied (the block gate's value or mean); ignored elsewhere
   * @throws IllegalArgumentException if a removal is not allowed (an ungated layer, the last unit of a
   *     top-level layer, a block flag on a dense layer)
   */
  public static Removal remove(Network network, boolean[][] keepUnits, boolean[] keepBlocks, double[] scale) {
    GateLayout layout = GateLayout.of(network);
    List<DenseLayer> dense = network.denseLayers();
    List<Layer> layers = network.layers();
    int nd = dense.size();
    // Working copies of the biases, which folding may change.
    float[][] bias = new float[nd][];
    for (int l = 0; l < nd; l++) {
      bias[l] = dense.get(l).bias().clone();
    }
    int[][] rows = new int[nd][];
    int unitsRemoved = 0;
    for (int l = 0; l < nd; l++) {
      int w = dense.get(l).outputSize();
      boolean[] keep = keepUnits == null ? null : keepUnits[l];
      if (keep == null) {
        rows[l] = range(w);
        continue;
      }
      if (keep.length != w) {
        throw new IllegalArgumentException("dense layer " + l + ": " + keep.length + " keep flags for " + w + " units");
      }
      int c = 0;
      for (boolean k : keep) {
        c += k ? 1 : 0;
      }
      if (c < w && !layout.gated()[l]) {
        throw new IllegalArgumentException("dense layer " + l + " has no unit gates; its units cannot be removed");
      }
      if (c == 0 && layout.inner()[l] < 0) {
        throw new IllegalArgumentException("dense layer " + l + " would lose its last unit");
      }
      rows[l] = new int[c];
      int i = 0;
      for (int j = 0; j < w; j++) {
        if (keep[j]) {
          rows[l][i++] = j;
        }
      }
    }
    boolean[] dropBlock = new boolean[layers.size()];
    int blocksRemoved = 0;
    int d = 0;
    for (int s = 0; s < layers.size(); s++) {
      Layer layer = layers.get(s);
      if (layer instanceof ResidualBlock r) {
        boolean gateOff = keepBlocks != null && !keepBlocks[s];
        int empty = -1;
        for (int k = 0; k < r.layers().size() - 1; k++) {
          if (rows[d + k].length == 0) {
            empty = k;
            break;
          }
        }
        if (gateOff || empty >= 0) {
          dropBlock[s] = true;
          blocksRemoved++;
          if (!gateOff) {
            // The branch adds a constant: run the rest of it on the zeros of the empty layer.
            float[] c = constantAfter(r, d, empty, rows, bias);
            foldIntoReaders(network, s, c, scale == null ? 1.0 : scale[s], bias);
          }
        } else {
          for (int k = 0; k < r.layers().size() - 1; k++) {
            unitsRemoved += r.layers().get(k).outputSize() - rows[d + k].length;
          }
        }
        d += r.layers().size();
      } else {
        if (keepBlocks != null && !keepBlocks[s]) {
          throw new IllegalArgumentException("layers[" + s + "] is not a residual block");
        }
        unitsRemoved += ((DenseLayer) layer).outputSize() - rows[d].length;
        d++;
      }
    }
    // Build the new layers: rows as kept, columns as the producer's kept rows.
    List<Layer> out = new ArrayList<>();
    List<Integer> srcDense = new ArrayList<>();
    List<int[]> keptRows = new ArrayList<>();
    List<int[]> keptCols = new ArrayList<>();
    List<Integer> srcLayer = new ArrayList<>();
    int[] previousRows = range(network.inputSize());
    d = 0;
    for (int s = 0; s < layers.size(); s++) {
      Layer layer = layers.get(s);
      if (layer instanceof DenseLayer) {
        out.add(shrink(dense.get(d), bias[d], rows[d], previousRows));
        srcDense.add(d);
        keptRows.add(rows[d]);
        keptCols.add(previousRows);
        previousRows = rows[d];
        srcLayer.add(s);
        d++;
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        int m = r.layers().size();
        if (!dropBlock[s]) {
          List<DenseLayer> f = new ArrayList<>();
          int[] in = previousRows;
          for (int k = 0; k < m; k++) {
            f.add(shrink(dense.get(d + k), bias[d + k], rows[d + k], in));
            srcDense.add(d + k);
            keptRows.add(rows[d + k]);
            keptCols.add(in);
            in = rows[d + k];
          }
          out.add(new ResidualBlock(f));
          srcLayer.add(s);
        }
        d += m;
      }
    }
    Network smaller = network.withLayers(out);
    return new Removal(smaller, srcDense.stream().mapToInt(Integer::intValue).toArray(),
        keptRows.toArray(new int[0][]), keptCols.toArray(new int[0][]),
        srcLayer.stream().mapToInt(Integer::intValue).toArray(), unitsRemoved, blocksRemoved);
  }

  /**
   * The constant a branch adds when its inner layer {@code empty} has no units left: zeros run through the
   * branch's later layers, each keeping only its kept units (removed units are gated to 0).
   */
  private static float[] constantAfter(ResidualBlock r, int first, int empty, int[][] rows, float[][] bias) {
    int m = r.layers().size();
    double[] v = new double[r.layers().get(empty).outputSize()];
    for (int k = empty + 1; k < m; k++) {
      DenseLayer l = r.layers().get(k);
      double[] next = new double[l.outputSize()];
      float[] w = l.weight();
      int in = l.inputSize();
      for (int j = 0; j < next.length; j++) {
        double z = bias[first + k][j];
        for (int i = 0; i < in; i++) {
          z += (double) w[j * in + i] * v[i];
        }
        next[j] = l.activation().apply(z);
      }
      if (k < m - 1) {
        boolean[] kept = new boolean[next.length];
        for (int j : rows[first + k]) {
          kept[j] = true;
        }
        for (int j = 0; j < next.length; j++) {
          if (!kept[j]) {
            next[j] = 0;
          }
        }
      }
      v = next;
    }
    float[] c = new float[v.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) v[i];
    }
    return c;
  }

  /** Adds W·(scale·c) to the bias of every layer after top-level layer s that reads the residual stream. */
  private static void foldIntoReaders(Network network, int s, float[] c, double scale, float[][] bias) {
    List<Layer> layers = network.layers();
    int d = 0;
    for (int t = 0; t < s + 1; t++) {
      d += layers.get(t) instanceof ResidualBlock r ? r.layers().size() : 1;
    }
    for (int t = s + 1; t < layers.size(); t++) {
      Layer l = layers.get(t);
      DenseLayer reader = l instanceof ResidualBlock r ? r.layers().get(0) : (DenseLayer) l;
      float[] w = reader.weight();
      int in = reader.inputSize();
      for (int j = 0; j < reader.outputSize(); j++) {
        double z = 0;
        for (int i = 0; i < in; i++) {
          z += (double) w[j * in + i] * c[i];
        }
        bias[d][j] = (float) (bias[d][j] + scale * z);
      }
      if (l instanceof DenseLayer) {
        return; // the stream ends here
      }
      d += ((ResidualBlock) l).layers().size();
    }
  }

  private static DenseLayer shrink(DenseLayer l, float[] bias, int[] rows, int[] cols) {
    int in = l.inputSize();
    float[] w = new float[rows.length * cols.length];
    float[] b = new float[rows.length];
    float[] src = l.weight();
    for (int r = 0; r < rows.length; r++) {
      int base = rows[r] * in;
      for (int c = 0; c < cols.length; c++) {
        w[r * cols.length + c] = src[base + cols[c]];
      }
      b[r] = bias[rows[r]];
    }
    return new DenseLayer(cols.length, rows.length, w, b, l.activation());
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    Arrays.setAll(r, i -> i);
    return r;
  }
}
