package dev.topiary.pruning.units;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import java.util.List;

/**
 * The layer-by-layer forward pass of a network on a batch of raw inputs that shows every hidden layer's
 * post-activation output to an {@link Observer} as it is computed. Everything in this module that runs a
 * network goes through here: statistics, the schedules, and the tests of surgery.
 *
 * <p>Raw inputs go through the network's input standardisation first. The result is the output layer's
 * activation: logits for classification, standardised values for regression (the output standardisation
 * is not inverted, since pruning compares networks, not predictions in raw units). A residual block
 * computes its chain f on the stream h and writes h + f(h).
 *
 * <p>One instance owns workspaces for batches of up to {@link #maxRows()} rows and is not thread-safe;
 * give each thread its own.
 */
public final class ForwardPass {

  /** Default rows per batch. */
  public static final int DEFAULT_BATCH = 256;

  /** Receives each hidden layer's post-activation output during {@link #run}. */
  @FunctionalInterface
  public interface Observer {
    /**
     * Called once per hidden layer in forward order. {@code h} holds {@code rows × layer.width()} values,
     * row-major and contiguous from offset 0; it is a workspace, valid only during the call, and must not
     * be modified.
     */
    void hiddenOutput(HiddenLayer layer, float[] h, int rows);
  }

  private final Network network;
  private final UnitLayout layout;
  private final int maxRows;
  private final float[] input;
  private final float[][] denseOut; // one per dense layer in forward order, the output layer last
  private final float[][] streamOut; // one per top-level layer; used only for residual blocks
  private final Parallelism parallelism;

  /** A forward pass over {@code network} for batches of at most {@code maxRows} rows. */
  public ForwardPass(Network network, int maxRows) {
    this(network, maxRows, null);
  }

  /**
   * A forward pass whose GEMMs run on the threads of {@code parallelism} (null: the process-wide
   * {@link Kernels#parallelism()}); an embedder that runs tasks in parallel itself (a Spark executor)
   * passes {@link Parallelism#sequential()}. The results do not depend on it.
   */
  public ForwardPass(Network network, int maxRows, Parallelism parallelism) {
    this.parallelism = parallelism;
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, found " + maxRows);
    }
    this.network = network;
    this.layout = UnitLayout.of(network);
    this.maxRows = maxRows;
    this.input = new float[maxRows * network.inputSize()];
    List<DenseLayer> dense = network.denseLayers();
    this.denseOut = new float[dense.size()][];
    for (int i = 0; i < dense.size(); i++) {
      denseOut[i] = new float[maxRows * dense.get(i).outputSize()];
    }
    List<Layer> layers = network.layers();
    this.streamOut = new float[layers.size()][];
    for (int t = 0; t < layers.size(); t++) {
      if (layers.get(t) instanceof ResidualBlock r) {
        streamOut[t] = new float[maxRows * r.width()];
      }
    }
  }

  /** The network this pass runs. */
  public Network network() {
    return network;
  }

  /** The hidden layers, as reported to observers. */
  public UnitLayout layout() {
    return layout;
  }

  /** The largest batch one call accepts. */
  public int maxRows() {
    return maxRows;
  }

  /**
   * Runs {@code rows} raw input rows starting at {@code x[xOff]} (row-major, {@code inputSize} values
   * each) and returns the output layer's activations, {@code rows × outputSize} values from offset 0 of
   * an internal workspace that the next call overwrites.
   *
   * @param observer receives every hidden layer's output; may be null
   */
  public float[] run(float[] x, int xOff, int rows, Observer observer) {
    if (rows < 0 || rows > maxRows) {
      throw new IllegalArgumentException("batch of " + rows + " rows, this pass takes 1.." + maxRows);
    }
    int in = network.inputSize();
    Standardization scaling = network.inputScaling();
    if ((long) xOff + (long) rows * in > x.length || xOff < 0) {
      throw new IndexOutOfBoundsException(rows + " rows of " + in + " inputs at offset " + xOff
          + " need " + ((long) xOff + (long) rows * in) + " values, the array has " + x.length);
    }
    if (scaling != null) {
      scaling.apply(x, xOff, input, 0, rows);
    } else {
      System.arraycopy(x, xOff, input, 0, rows * in);
    }
    float[] cur = input;
    int di = 0;
    List<Layer> layers = network.layers();
    List<HiddenLayer> hidden = layout.hidden();
    for (int t = 0; t < layers.size(); t++) {
      Layer l = layers.get(t);
      if (l instanceof DenseLayer d) {
        denseStep(d, cur, rows, denseOut[di], parallelism);
        cur = denseOut[di];
        if (di < hidden.size() && observer != null) {
          observer.hiddenOutput(hidden.get(di), cur, rows);
        }
        di++;
      } else if (l instanceof ResidualBlock r) {
        float[] src = cur;
        for (DenseLayer d : r.layers()) {
          denseStep(d, src, rows, denseOut[di], parallelism);
          src = denseOut[di];
          if (observer != null) {
            observer.hiddenOutput(hidden.get(di), src, rows);
          }
          di++;
        }
        int n = rows * r.width();
        float[] stream = streamOut[t];
        System.arraycopy(cur, 0, stream, 0, n);
        Kernels.axpy(n, 1f, src, 0, stream, 0); // h + f(h)
        cur = stream;
      }
    }
    return cur;
  }

  private static void denseStep(DenseLayer d, float[] x, int rows, float[] y, Parallelism p) {
    Kernels.dense(rows, d.inputSize(), d.outputSize(), x, 0, d.weight(), 0, d.bias(), 0, d.activation(), y, 0,
        p != null ? p : Kernels.parallelism());
  }

  /**
   * The outputs of {@code network} on {@code rows} raw input rows, computed in batches of
   * {@link #DEFAULT_BATCH}: a new {@code rows × outputSize} array.
   */
  public static float[] outputs(Network network, float[] x, int rows) {
    int out = network.outputSize();
    float[] y = new float[rows * out];
    ForwardPass pass = new ForwardPass(network, Math.max(1, Math.min(rows, DEFAULT_BATCH)));
    for (int start = 0; start < rows; start += pass.maxRows) {
      int n = Math.min(pass.maxRows, rows - start);
      float[] b = pass.run(x, start * network.inputSize(), n, null);
      System.arraycopy(b, 0, y, start * out, n * out);
    }
    return y;
  }
}
