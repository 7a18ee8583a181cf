package dev.topiary.bench;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.openblas.global.openblas_nolapack;
import smile.base.mlp.Layer;
import smile.base.mlp.LayerBuilder;
import smile.base.mlp.OutputFunction;
import smile.classification.MLP;
import smile.math.TimeFunction;

/**
 * The workload the training and inference comparisons share, built the same way for Topiary and for
 * Smile: a seeded random classification data set, and one ReLU network shape built by each library.
 */
final class Peers {

  /** Input width of the comparison networks (an MNIST image). */
  static final int INPUTS = 784;
  /** Classes of the comparison task. */
  static final int CLASSES = 10;
  /** The hidden widths of the throughput network, 784-512-512-512-10. */
  static final int[] HIDDEN = {512, 512, 512};
  /** Rows of the random training set: one epoch is 64 batches of 128. */
  static final int ROWS = 8_192;
  /** Rows per optimiser step. */
  static final int BATCH = 128;
  /** The SGD learning rate both libraries use. */
  static final double LEARNING_RATE = 0.01;
  /** The heavy-ball momentum both libraries use. */
  static final double MOMENTUM = 0.9;

  private Peers() {}

  /** The task: ten classes named 0 … 9. */
  static Task task() {
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      labels.add(Integer.toString(c));
    }
    return Task.classification(labels);
  }

  /** Row-major inputs uniform in [0, 1) and labels uniform over the classes, from {@code seed}. */
  static Dataset randomData(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[rows * INPUTS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(CLASSES);
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < INPUTS; j++) {
      names.add("x" + j);
    }
    return new Dataset("random", rows, INPUTS, x, task(), labels, null, names);
  }

  /** The same rows in double precision, one array per row, as Smile reads them. */
  static double[][] toRows(Dataset data) {
    double[][] rows = new double[data.rows()][data.features()];
    float[] x = data.x();
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < data.features(); j++) {
        rows[i][j] = x[i * data.features() + j];
      }
    }
    return rows;
  }

  /** Topiary's ReLU MLP with the given hidden widths and a linear output layer. */
  static Network topiaryNetwork(int[] hidden, long seed) {
    return Network.mlp(INPUTS, hidden, Activation.RELU, task(), seed);
  }

  /**
   * Smile's MLP of the same shape: ReLU hidden layers and a softmax output trained on cross-entropy
   * ({@code mle}), constant learning rate and momentum, no weight decay (Smile's default λ = 0).
   */
  static MLP smileNetwork(int[] hidden) {
    LayerBuilder[] layers = new LayerBuilder[hidden.length + 2];
    layers[0] = Layer.input(INPUTS);
    for (int i = 0; i < hidden.length; i++) {
      layers[i + 1] = Layer.rectifier(hidden[i]);
    }
    layers[hidden.length + 1] = Layer.mle(CLASSES, OutputFunction.SOFTMAX);
    MLP mlp = new MLP(layers);
    mlp.setLearningRate(TimeFunction.constant(LEARNING_RATE));
    mlp.setMomentum(TimeFunction.constant(MOMENTUM));
    return mlp;
  }

  /**
   * Sets the threads of both libraries: Topiary's kernels and the native OpenBLAS that Smile's matrix
   * code calls (which otherwise takes every core for its matrix-vector products), and checks that the
   * active Topiary kernels are the ones the {@code topiary.kernels} property asked for (vector unless
   * told otherwise), so that a silent fallback cannot pass for a measurement.
   */
  static void useThreads(int threads) {
    Kernels.setThreads(threads);
    openblas_nolapack.blas_set_num_threads(threads);
    int blas = openblas_nolapack.blas_get_num_threads();
    if (blas != threads) {
      throw new IllegalStateException("OpenBLAS runs " + blas + " threads, expected " + threads);
    }
    String wanted = System.getProperty("topiary.kernels", "vector");
    if (!wanted.equals("auto") && !wanted.equals(Kernels.implementation())) {
      throw new IllegalStateException("Topiary kernels are " + Kernels.implementation() + ", expected "
          + wanted);
    }
  }
}
