package dev.topiary.training.backprop;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.gates.UnitGates;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward and backward passes of a network over batches of up to {@link #maxRows()} rows, with every
 * buffer they need allocated once: per dense layer the pre-activations z (only for GELU and SiLU, whose
 * derivative needs z; the other activations derive it from their output), the activations a = act(z),
 * the gated outputs y = g ⊙ a when the layer is gated, and the gradient with respect to the output; per
 * residual block its output h + s·f(h) and the gradient there. A workspace serves any network of the same
 * shape (the same widths, activations and block structure) and is not thread-safe.
 *
 * <p>The passes, for a dense layer with input X [rows × in]:
 * <pre>
 *   forward:  Z = X·Wᵀ + b (gemmNT),  A = act(Z),  Y = A ⊙ g
 *   backward: ∂g = Σ_rows ∂Y ⊙ A,  ∂A = ∂Y ⊙ g,  ∂Z = ∂A ⊙ act'(Z),
 *             ∂W = ∂Zᵀ·X (gemmTN),  ∂b = Σ_rows ∂Z (sumColumns),  ∂X = ∂Z·W (gemmNN)
 * </pre>
 * and for a residual block, out = h + s·f(h): ∂h = ∂out + (back-propagation of s·∂out through f),
 * ∂s = Σ ∂out ⊙ f(h). The gradients are those of whatever the caller wrote into
 * {@link #outputGradient()} — for a {@code Loss}, the gradient of the batch's mean loss.
 */
public final class Workspace {

  private final int maxRows;
  private final int inputSize;
  private final Stage[] stages;
  private final Node[] nodes;
  private final int[] widths;
  private final int layerCount;
  /** The threads of this workspace's GEMMs; null for the kernels' process-wide setting. */
  private final Parallelism parallelism;

  private Network bound;
  private int rows;
  private UnitGates gates;

  /**
   * Buffers for {@code network}'s shape and batches of up to {@code maxRows} rows.
   *
   * @throws IllegalArgumentException if {@code maxRows} &lt; 1
   */
  public Workspace(Network network, int maxRows) {
    this(network, maxRows, null);
  }

  /**
   * Buffers for {@code network}'s shape and batches of up to {@code maxRows} rows, whose GEMMs run on
   * the threads of {@code parallelism} (null: on the kernels' process-wide setting,
   * {@link Kernels#parallelism()}, as it is at each pass). Results do not depend on the thread count.
   *
   * @throws IllegalArgumentException if {@code maxRows} &lt; 1
   */
  public Workspace(Network network, int maxRows, Parallelism parallelism) {
    this.parallelism = parallelism;
    if (maxRows < 1) {
      throw new IllegalArgumentException("a workspace needs maxRows >= 1, found " + maxRows);
    }
    this.maxRows = maxRows;
    this.inputSize = network.inputSize();
    List<Layer> layers = network.layers();
    this.layerCount = layers.size();
    stages = new Stage[layers.size()];
    List<Node> all = new ArrayList<>();
    float[] previousGradient = null;
    for (int s = 0; s < layers.size(); s++) {
      Layer layer = layers.get(s);
      if (layer instanceof DenseLayer d) {
        Node n = new Node(all.size(), d, maxRows, previousGradient);
        all.add(n);
        stages[s] = new Stage(new Node[] {n}, null, null);
        previousGradient = n.dy;
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        List<DenseLayer> chain = r.layers();
        Node[] ns = new Node[chain.size()];
        float[] into = previousGradient;
        for (int k = 0; k < ns.length; k++) {
          ns[k] = new Node(all.size(), chain.get(k), maxRows, into);
          all.add(ns[k]);
          into = ns[k].dy;
        }
        int d = r.width();
        Stage st = new Stage(ns, new float[maxRows * d], new float[maxRows * d]);
        stages[s] = st;
        previousGradient = st.dOut;
      }
    }
    nodes = all.toArray(new Node[0]);
    widths = new int[nodes.length];
    for (int l = 0; l < nodes.length; l++) {
      widths[l] = nodes[l].out;
    }
  }

  /** The largest batch this workspace takes. */
  public int maxRows() {
    return maxRows;
  }

  /** Output width of each dense layer, in {@link Network#denseLayers()} order. */
  public int[] unitWidths() {
    return widths.clone();
  }

  /** Number of top-level layers of the shape. */
  public int layerCount() {
    return layerCount;
  }

  /** True when {@code network} has the shape this workspace was made for. */
  public boolean fits(Network network) {
    if (network.inputSize() != inputSize || network.layers().size() != stages.length) {
      return false;
    }
    for (int s = 0; s < stages.length; s++) {
      if (!stages[s].fits(network.layers().get(s))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs the forward pass on {@code rows} contiguous rows of x starting at {@code xOff} (already in the
   * network's input space: standardised if the network has an input scaling), keeping what the backward
   * pass needs.
   *
   * @param gates the gates to apply, or null for none
   * @return the output buffer: [rows × outputs] row-major from index 0, valid until the next pass
   * @throws IllegalArgumentException if the network does not have this workspace's shape or rows is out
   *     of range
   */
  public float[] forward(Network network, float[] x, int xOff, int rows, UnitGates gates) {
    if (rows < 1 || rows > maxRows) {
      throw new IllegalArgumentException("batch of " + rows + " rows; this workspace takes 1.." + maxRows);
    }
    if (network != bound) {
      if (!fits(network)) {
        throw new IllegalArgumentException("network " + network.describe()
            + " does not have the shape this workspace was made for");
      }
      bound = network;
    }
    if (xOff < 0 || (long) xOff + (long) rows * inputSize > x.length) {
      throw new IndexOutOfBoundsException("input: " + rows + " rows of " + inputSize + " at offset " + xOff
          + " need " + ((long) xOff + (long) rows * inputSize) + " values, array has " + x.length);
    }
    this.rows = rows;
    this.gates = gates;
    List<Layer> layers = network.layers();
    float[] cur = x;
    int curOff = xOff;
    for (int s = 0; s < stages.length; s++) {
      Stage st = stages[s];
      Layer layer = layers.get(s);
      if (st.out == null) {
        Node n = st.chain[0];
        n.forward((DenseLayer) layer, cur, curOff, rows, gates, threads());
        cur = n.yCur;
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        float[] c = cur;
        int co = curOff;
        for (int k = 0; k < st.chain.length; k++) {
          st.chain[k].forward(r.layers().get(k), c, co, rows, gates, threads());
          c = st.chain[k].yCur;
          co = 0;
        }
        int n = rows * r.width();
        st.gate = gates == null ? 1f : gates.blockGate(s);
        System.arraycopy(cur, curOff, st.out, 0, n);
        Kernels.axpy(n, st.gate, c, 0, st.out, 0);
        cur = st.out;
      }
      curOff = 0;
    }
    return cur;
  }

  /**
   * The buffer the caller fills with ∂objective/∂output ([rows × outputs] from index 0) between
   * {@link #forward} and {@link #backward}.
   */
  public float[] outputGradient() {
    return nodes[nodes.length - 1].dy;
  }

  /**
   * The outputs (after activation and gate) of dense layer {@code denseLayer} in the last forward pass:
   * [rows × width] from index 0.
   */
  public float[] activations(int denseLayer) {
    return nodes[denseLayer].yCur;
  }

  /**
   * Sees the gradient with respect to each dense layer's output during {@link #backward(Gradients,
   * GateGradients, OutputGradientObserver)}: for pruning criteria that weigh a unit's output by its
   * gradient (first-order Taylor, OBD).
   */
  @FunctionalInterface
  public interface OutputGradientObserver {
    /**
     * Called once per dense layer, from the output layer back to the first, with ∂objective/∂y for the
     * layer's output y (after activation and gate; the values {@link #activations(int)} returns): [rows ×
     * width] row-major from index 0, a workspace valid only during the call, which must not be modified.
     *
     * @param denseLayer the layer's index in {@link Network#denseLayers()} order
     */
    void outputGradient(int denseLayer, float[] gradient, int rows);
  }

  /**
   * Back-propagates {@link #outputGradient()} through the network of the last forward pass, overwriting
   * every parameter gradient in {@code gradients} and, when the forward pass was gated, every gate
   * gradient in {@code gateGradients} (which may be null when it was not).
   */
  public void backward(Gradients gradients, GateGradients gateGradients) {
    backward(gradients, gateGradients, null);
  }

  /**
   * As {@link #backward(Gradients, GateGradients)}, also showing {@code observer} (which may be null) the
   * gradient with respect to every dense layer's output before it is propagated into that layer.
   */
  public void backward(Gradients gradients, GateGradients gateGradients, OutputGradientObserver observer) {
    if (bound == null) {
      throw new IllegalStateException("backward called before any forward pass");
    }
    if (gradients.denseLayers() != nodes.length) {
      throw new IllegalArgumentException("gradients for " + gradients.denseLayers()
          + " dense layers, the network has " + nodes.length);
    }
    if (gates != null && gateGradients == null) {
      throw new IllegalArgumentException("the forward pass was gated: gate gradients are needed");
    }
    if (gates != null) {
      gateGradients.clear();
    }
    List<Layer> layers = bound.layers();
    for (int s = stages.length - 1; s >= 0; s--) {
      Stage st = stages[s];
      Layer layer = layers.get(s);
      if (st.out == null) {
        st.chain[0].backward((DenseLayer) layer, rows, gradients, gateGradients, observer, threads());
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        int n = rows * r.width();
        Node last = st.chain[st.chain.length - 1];
        if (gates != null) {
          gateGradients.setBlock(s, Kernels.dot(n, st.dOut, 0, last.yCur, 0));
        }
        System.arraycopy(st.dOut, 0, last.dy, 0, n);
        if (st.gate != 1f) {
          Kernels.scale(n, st.gate, last.dy, 0);
        }
        for (int k = st.chain.length - 1; k >= 0; k--) {
          st.chain[k].backward(r.layers().get(k), rows, gradients, gateGradients, observer,
              threads());
        }
        float[] into = st.chain[0].dx;
        if (into != null) {
          Kernels.axpy(n, 1f, st.dOut, 0, into, 0);
        }
      }
    }
  }

  /**
   * The threads this workspace's products run on: its own {@link Parallelism}, else the kernels'
   * process-wide one as it is now.
   */
  public Parallelism threads() {
    return parallelism != null ? parallelism : Kernels.parallelism();
  }

  /** One top-level layer: a dense layer (out == null) or a residual block with its own buffers. */
  private static final class Stage {
    final Node[] chain;
    final float[] out;
    final float[] dOut;
    float gate = 1f;

    Stage(Node[] chain, float[] out, float[] dOut) {
      this.chain = chain;
      this.out = out;
      this.dOut = dOut;
    }

    boolean fits(Layer layer) {
      if (out == null) {
        return layer instanceof DenseLayer d && chain[0].fits(d);
      }
      if (!(layer instanceof ResidualBlock r) || r.layers().size() != chain.length) {
        return false;
      }
      for (int k = 0; k < chain.length; k++) {
        if (!chain[k].fits(r.layers().get(k))) {
          return false;
        }
      }
      return true;
    }
  }

  /** The buffers and passes of one dense layer. */
  private static final class Node {
    final int index;
    final int in;
    final int out;
    final Activation act;
    final boolean needsZ;
    final float[] z;
    final float[] a;
    final float[] dy;
    /** Where ∂X goes; null when nothing upstream needs it (the first layer). */
    final float[] dx;
    final int capacity;
    float[] y;
    float[] x;
    int xOff;
    float[] yCur;
    float[] gate;
    float[] gateRows;

    Node(int index, DenseLayer d, int maxRows, float[] dx) {
      this.index = index;
      this.in = d.inputSize();
      this.out = d.outputSize();
      this.act = d.activation();
      // GELU and SiLU need z for their derivative; ReLU, leaky ReLU and the identity can read the sign
      // from the output, tanh and sigmoid derive from the output itself.
      this.needsZ = act == Activation.GELU || act == Activation.SILU;
      this.capacity = maxRows * out;
      this.a = new float[capacity];
      this.z = needsZ ? new float[capacity] : a;
      this.dy = new float[capacity];
      this.dx = dx;
    }

    boolean fits(DenseLayer d) {
      return d.inputSize() == in && d.outputSize() == out && d.activation() == act;
    }

    void forward(DenseLayer layer, float[] input, int inputOff, int rows, UnitGates gates,
        Parallelism threads) {
      x = input;
      xOff = inputOff;
      if (needsZ) {
        Kernels.dense(rows, in, out, input, inputOff, layer.weight(), 0, layer.bias(), 0, Activation.IDENTITY,
            z, 0, threads);
        Kernels.activate(act, rows * out, z, 0, a, 0);
      } else {
        Kernels.dense(rows, in, out, input, inputOff, layer.weight(), 0, layer.bias(), 0, act, a, 0, threads);
      }
      gateRows = gates == null ? null : gates.unitGateRows(index);
      gate = gates == null ? null : gates.unitGates(index);
      if (gateRows != null) {
        if (gateRows.length < rows * out) {
          throw new IllegalArgumentException("dense layer " + index + ": per-example gates hold "
              + gateRows.length + " values, the batch needs " + rows * out);
        }
        if (y == null) {
          y = new float[capacity];
        }
        for (int k = 0, n = rows * out; k < n; k++) {
          y[k] = a[k] * gateRows[k];
        }
        yCur = y;
        return;
      }
      if (gate == null) {
        yCur = a;
        return;
      }
      if (gate.length != out) {
        throw new IllegalArgumentException("dense layer " + index + ": gate vector has " + gate.length
            + " values, the layer has " + out + " units");
      }
      if (y == null) {
        y = new float[capacity];
      }
      for (int i = 0; i < rows; i++) {
        int r = i * out;
        for (int j = 0; j < out; j++) {
          y[r + j] = a[r + j] * gate[j];
        }
      }
      yCur = y;
    }

    void backward(DenseLayer layer, int rows, Gradients g, GateGradients gg, OutputGradientObserver observer,
        Parallelism threads) {
      if (observer != null) {
        observer.outputGradient(index, dy, rows);
      }
      if (gateRows != null) {
        float[] dg = gg.units(index);
        java.util.Arrays.fill(dg, 0f);
        for (int i = 0; i < rows; i++) {
          int r = i * out;
          for (int j = 0; j < out; j++) {
            dg[j] += dy[r + j] * a[r + j];
            dy[r + j] *= gateRows[r + j];
          }
        }
      } else if (gate != null) {
        float[] dg = gg.units(index);
        java.util.Arrays.fill(dg, 0f);
        for (int i = 0; i < rows; i++) {
          int r = i * out;
          for (int j = 0; j < out; j++) {
            dg[j] += dy[r + j] * a[r + j];
            dy[r + j] *= gate[j];
          }
        }
      }
      int n = rows * out;
      Kernels.activationBackward(act, n, z, 0, a, 0, dy, 0, dy, 0);
      Kernels.gemmTN(out, in, rows, dy, 0, out, x, xOff, in, g.weight(index), 0, in, false, threads);
      Kernels.sumColumns(rows, out, dy, 0, out, g.bias(index), 0, false);
      if (dx != null) {
        Kernels.gemmNN(rows, in, out, dy, 0, out, layer.weight(), 0, in, dx, 0, in, false, threads);
      }
    }
  }
}
