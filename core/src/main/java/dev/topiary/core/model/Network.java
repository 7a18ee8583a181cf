package dev.topiary.core.model;

import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Parallelism;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A feed-forward network: a chain of {@link Layer}s from {@link #inputSize()} raw features to the
 * task's outputs, together with what a deployed model needs to be used on raw data: the {@link Task}
 * (class labels or regression outputs), the input standardisation fitted on the training data, and for
 * regression the target standardisation the outputs are mapped back through.
 *
 * <p>The last layer is a {@link DenseLayer} with the identity activation producing logits
 * (classification) or standardised values (regression). "Hidden units" are the outputs of every dense
 * layer but the last, including the inner layers of residual blocks; these are what pruning removes.
 *
 * <p>Batched inference on raw inputs: {@link #predictLogits}, {@link #predictProbabilities},
 * {@link #predictClasses}, {@link #predictValues} and the allocating conveniences {@link #predict} and
 * {@link #predictClasses(float[], int)}. Rows run in blocks of 256 through scratch buffers kept per
 * thread (a {@link ThreadLocal}) and reused from call to call, so a warmed-up call allocates nothing,
 * memory stays bounded whatever the row count, and any number of threads may predict with one network
 * at once. Training that updates the parameter arrays in place must not run at the same time.
 */
public final class Network {

  private final int inputSize;
  private final List<Layer> layers;
  private final Task task;
  private final Standardization inputScaling;
  private final Standardization outputScaling;
  private final int maxWidth;

  /**
   * A network over the given layers, which it takes ownership of.
   *
   * @param inputScaling applied to raw inputs before the first layer; null for none
   * @param outputScaling regression only: outputs are mapped back to raw units through it; null for none
   * @throws IllegalArgumentException if the widths do not connect or do not match the task
   */
  public Network(int inputSize, List<? extends Layer> layers, Task task, Standardization inputScaling,
      Standardization outputScaling) {
    Objects.requireNonNull(task, "task");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    int width = inputSize;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (l.inputSize() != width) {
        throw new IllegalArgumentException(
            "layer " + i + " (" + l + ") reads " + l.inputSize() + " values but receives " + width);
      }
      width = l.outputSize();
    }
    if (!(layers.get(layers.size() - 1) instanceof DenseLayer)) {
      throw new IllegalArgumentException("the output layer must be a dense layer");
    }
    if (width != task.outputs()) {
      throw new IllegalArgumentException(
          "the network writes " + width + " outputs but the task needs " + task.outputs());
    }
    if (inputScaling != null && inputScaling.columns() != inputSize) {
      throw new IllegalArgumentException("input standardisation has " + inputScaling.columns()
          + " columns, the network reads " + inputSize);
    }
    if (outputScaling != null
        && (task.isClassification() || outputScaling.columns() != task.outputs())) {
      throw new IllegalArgumentException(
          "output standardisation is for regression outputs only, with one column per output");
    }
    this.inputSize = inputSize;
    this.layers = List.copyOf(layers);
    this.task = task;
    this.inputScaling = inputScaling;
    this.outputScaling = outputScaling;
    int widest = inputSize;
    for (Layer l : layers) {
      widest = Math.max(widest, l.outputSize());
      if (l instanceof ResidualBlock r) {
        for (DenseLayer d : r.layers()) {
          widest = Math.max(widest, d.outputSize());
        }
      }
    }
    this.maxWidth = widest;
  }

  /**
   * A uniform multilayer perceptron: {@code hidden.length} hidden dense layers with {@code activation},
   * then a linear output layer sized for the task, initialised from {@code seed}.
   */
  public static Network mlp(int inputSize, int[] hidden, Activation activation, Task task, long seed) {
    Random random = new Random(seed);
    List<Layer> layers = new ArrayList<>();
    int width = inputSize;
    Init init = Init.forActivation(activation);
    for (int h : hidden) {
      layers.add(DenseLayer.initialised(width, h, activation, init, random));
      width = h;
    }
    layers.add(DenseLayer.initialised(width, task.outputs(), Activation.IDENTITY, Init.XAVIER, random));
    return new Network(inputSize, layers, task, null, null);
  }

  /**
   * A residual multilayer perceptron: a stem (a dense layer from the input to {@code width} with
   * {@code activation}), {@code blocks} residual blocks h ↦ h + f(h) of that width, and a linear output
   * layer sized for the task, initialised from {@code seed}. With {@code layersPerBlock} = 2, f is
   * width → width with {@code activation} followed by width → width linear (its inner units are prunable);
   * with 1, f is a single width → width layer with {@code activation}.
   *
   * @throws IllegalArgumentException if blocks &lt; 0, width &lt; 1 or layersPerBlock is not 1 or 2
   */
  public static Network residual(int inputSize, int blocks, int width, int layersPerBlock,
      Activation activation, Task task, long seed) {
    if (blocks < 0 || width < 1) {
      throw new IllegalArgumentException("a residual network needs blocks >= 0 and width >= 1, found "
          + blocks + " blocks of width " + width);
    }
    if (layersPerBlock != 1 && layersPerBlock != 2) {
      throw new IllegalArgumentException("a residual block has 1 or 2 dense layers, found " + layersPerBlock);
    }
    Random random = new Random(seed);
    Init init = Init.forActivation(activation);
    List<Layer> layers = new ArrayList<>();
    layers.add(DenseLayer.initialised(inputSize, width, activation, init, random));
    for (int b = 0; b < blocks; b++) {
      List<DenseLayer> f = new ArrayList<>();
      if (layersPerBlock == 2) {
        f.add(DenseLayer.initialised(width, width, activation, init, random));
        f.add(DenseLayer.initialised(width, width, Activation.IDENTITY, Init.XAVIER, random));
      } else {
        f.add(DenseLayer.initialised(width, width, activation, init, random));
      }
      layers.add(new ResidualBlock(f));
    }
    layers.add(DenseLayer.initialised(width, task.outputs(), Activation.IDENTITY, Init.XAVIER, random));
    return new Network(inputSize, layers, task, null, null);
  }

  /** Width of the raw input. */
  public int inputSize() {
    return inputSize;
  }

  /** Width of the output: the class count or the regression output count. */
  public int outputSize() {
    return task.outputs();
  }

  /** The layers in order. */
  public List<Layer> layers() {
    return layers;
  }

  /** The task. */
  public Task task() {
    return task;
  }

  /** The input standardisation, or null. */
  public Standardization inputScaling() {
    return inputScaling;
  }

  /** The regression target standardisation, or null. */
  public Standardization outputScaling() {
    return outputScaling;
  }

  /** The same layers with other standardisations (layers shared, not copied). */
  public Network withScaling(Standardization input, Standardization output) {
    return new Network(inputSize, layers, task, input, output);
  }

  /** The same task and standardisations over other layers. */
  public Network withLayers(List<? extends Layer> newLayers) {
    return new Network(inputSize, newLayers, task, inputScaling, outputScaling);
  }

  /** A deep copy sharing no parameter arrays. */
  public Network copy() {
    return withLayers(layers.stream().map(Layer::copy).toList());
  }

  /** Every dense layer in order, including those inside residual blocks. */
  public List<DenseLayer> denseLayers() {
    List<DenseLayer> out = new ArrayList<>();
    for (Layer l : layers) {
      if (l instanceof DenseLayer d) {
        out.add(d);
      } else if (l instanceof ResidualBlock r) {
        out.addAll(r.layers());
      }
    }
    return out;
  }

  /** Total weights plus biases. */
  public long parameterCount() {
    return layers.stream().mapToLong(Layer::parameterCount).sum();
  }

  /** Total floating-point operations per example (see {@link Layer#flops()}). */
  public long flops() {
    return layers.stream().mapToLong(Layer::flops).sum();
  }

  /** The widest activation anywhere in the network, input included: sizes the inference scratch. */
  int maxWidth() {
    return maxWidth;
  }

  // ---------------------------------------------------------------------------------------------
  // Batched inference. Inputs are raw (unstandardised) rows; the network applies its own input
  // standardisation. Rows run in blocks of 256 through per-thread scratch buffers that are reused
  // from call to call: once a thread has warmed up, these methods allocate nothing (except the
  // convenience forms that return a new array), and any number of threads may call them at once on
  // one network, whose parameters they only read. Outputs must not overlap the inputs.

  /**
   * Writes the last layer's raw outputs for {@code rows} rows: logits for classification, standardised
   * values for regression.
   *
   * @param x raw inputs, row-major [rows × inputSize] from xOff
   * @param out [rows × outputSize] from outOff
   */
  public void predictLogits(float[] x, int xOff, int rows, float[] out, int outOff) {
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, outputSize(), "out");
    Forward.run(this, x, xOff, rows, Forward.Output.LOGITS, out, outOff, null, 0, null);
  }

  /**
   * {@link #predictLogits(float[], int, int, float[], int)} with every GEMM on the threads of
   * {@code parallelism} instead of the process-wide setting: what an embedder that runs its own tasks in
   * parallel (a Spark executor) passes, {@link Parallelism#sequential()}, so that a call never starts
   * threads of its own. The results do not depend on it.
   */
  public void predictLogits(float[] x, int xOff, int rows, float[] out, int outOff, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, outputSize(), "out");
    Forward.run(this, x, xOff, rows, Forward.Output.LOGITS, out, outOff, null, 0, parallelism);
  }

  /**
   * Writes class probabilities (softmax of the logits), [rows × classes] from outOff.
   *
   * @throws IllegalStateException if this is a regression network
   */
  public void predictProbabilities(float[] x, int xOff, int rows, float[] out, int outOff) {
    requireTask(true, "predictProbabilities");
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, outputSize(), "out");
    Forward.run(this, x, xOff, rows, Forward.Output.PROBABILITIES, out, outOff, null, 0, null);
  }

  /**
   * Writes the predicted class of each row (the index of its largest logit, the first on ties) to
   * {@code out[outOff … outOff+rows)}.
   *
   * @throws IllegalStateException if this is a regression network
   */
  public void predictClasses(float[] x, int xOff, int rows, int[] out, int outOff) {
    requireTask(true, "predictClasses");
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, 1, "out");
    Forward.run(this, x, xOff, rows, Forward.Output.CLASSES, null, 0, out, outOff, null);
  }

  /**
   * Writes regression outputs in raw target units (mapped back through {@link #outputScaling()} when
   * there is one), [rows × outputs] from outOff.
   *
   * @throws IllegalStateException if this is a classification network
   */
  public void predictValues(float[] x, int xOff, int rows, float[] out, int outOff) {
    requireTask(false, "predictValues");
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, outputSize(), "out");
    Forward.run(this, x, xOff, rows, Forward.Output.VALUES, out, outOff, null, 0, null);
  }

  /**
   * {@link #predictValues(float[], int, int, float[], int)} with every GEMM on the threads of
   * {@code parallelism} (see {@link #predictLogits(float[], int, int, float[], int, Parallelism)}).
   */
  public void predictValues(float[] x, int xOff, int rows, float[] out, int outOff, Parallelism parallelism) {
    java.util.Objects.requireNonNull(parallelism, "parallelism");
    requireTask(false, "predictValues");
    checkInference(x, xOff, rows, out == null ? -1 : out.length, outOff, outputSize(), "out");
    Forward.run(this, x, xOff, rows, Forward.Output.VALUES, out, outOff, null, 0, parallelism);
  }

  /**
   * The task's natural prediction for rows [0, rows) of x in a new [rows × outputSize] array: class
   * probabilities for classification, raw-unit values for regression.
   */
  public float[] predict(float[] x, int rows) {
    float[] out = new float[Math.multiplyExact(Math.max(rows, 0), outputSize())];
    if (task.isClassification()) {
      predictProbabilities(x, 0, rows, out, 0);
    } else {
      predictValues(x, 0, rows, out, 0);
    }
    return out;
  }

  /** The predicted class of each of rows [0, rows) of x, in a new array. */
  public int[] predictClasses(float[] x, int rows) {
    int[] out = new int[Math.max(rows, 0)];
    predictClasses(x, 0, rows, out, 0);
    return out;
  }

  private void requireTask(boolean classification, String method) {
    if (task.isClassification() != classification) {
      throw new IllegalStateException(method + " needs a "
          + (classification ? "classification" : "regression") + " network, this one is " + task.kind());
    }
  }

  private void checkInference(float[] x, int xOff, int rows, int outLength, int outOff, int outWidth,
      String outName) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, found " + rows);
    }
    if (x == null) {
      throw new IllegalArgumentException("x is null");
    }
    if (outLength < 0) {
      throw new IllegalArgumentException(outName + " is null");
    }
    long xEnd = (long) xOff + (long) rows * inputSize;
    if (xOff < 0 || xEnd > x.length) {
      throw new IndexOutOfBoundsException("x: " + rows + " rows of " + inputSize + " values from offset "
          + xOff + " need " + xEnd + " elements, array has " + x.length);
    }
    long outEnd = (long) outOff + (long) rows * outWidth;
    if (outOff < 0 || outEnd > outLength) {
      throw new IndexOutOfBoundsException(outName + ": " + rows + " rows of " + outWidth
          + " values from offset " + outOff + " need " + outEnd + " elements, array has " + outLength);
    }
  }

  /** A one-line description such as {@code 64-128-128-10 relu}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(inputSize);
    for (Layer l : layers) {
      if (l instanceof ResidualBlock r) {
        sb.append("-[res ").append(r.width()).append(']');
      } else {
        sb.append('-').append(l.outputSize());
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "Network[" + describe() + ", " + task.kind() + ", " + parameterCount() + " parameters]";
  }
}
