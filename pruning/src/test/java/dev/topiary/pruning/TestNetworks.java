package dev.topiary.pruning;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Random networks and data for the pruning tests, all drawn from a seed. */
public final class TestNetworks {

  private TestNetworks() {}

  /**
   * A random network: {@code depth} hidden stages of widths in [1, maxWidth], each a dense layer with
   * {@code act} or, when {@code residual}, possibly a residual block (at least one) whose chain has 1 to 3
   * layers; then a linear output layer. Sometimes with an input standardisation.
   */
  public static Network random(long seed, int depth, int maxWidth, Activation act, boolean residual) {
    Random r = new Random(seed);
    int inputs = 1 + r.nextInt(12);
    int forcedBlock = residual ? r.nextInt(depth) : -1;
    List<Layer> layers = new ArrayList<>();
    int width = inputs;
    for (int s = 0; s < depth; s++) {
      boolean block = residual && (s == forcedBlock || r.nextInt(3) == 0);
      if (block) {
        int chain = 1 + r.nextInt(3);
        List<DenseLayer> f = new ArrayList<>();
        int w = width;
        for (int k = 0; k < chain; k++) {
          boolean last = k == chain - 1;
          int out = last ? width : 1 + r.nextInt(maxWidth);
          Activation a = last && r.nextBoolean() ? Activation.IDENTITY : act;
          f.add(dense(r, w, out, a));
          w = out;
        }
        layers.add(new ResidualBlock(f));
      } else {
        int out = 1 + r.nextInt(maxWidth);
        layers.add(dense(r, width, out, act));
        width = out;
      }
    }
    Task task = r.nextBoolean()
        ? Task.regression(1 + r.nextInt(3))
        : Task.classification(List.of("a", "b", "c").subList(0, 2 + r.nextInt(2)));
    layers.add(dense(r, width, task.outputs(), Activation.IDENTITY));
    Standardization scaling = null;
    if (r.nextBoolean()) {
      float[] mean = new float[inputs];
      float[] scale = new float[inputs];
      for (int j = 0; j < inputs; j++) {
        mean[j] = (float) r.nextGaussian();
        scale[j] = (float) (0.5 + 1.5 * r.nextDouble());
      }
      scaling = new Standardization(mean, scale);
    }
    return new Network(inputs, layers, task, scaling, null);
  }

  /** A dense layer with weights N(0, 1/in) and biases N(0, 0.3²). */
  public static DenseLayer dense(Random r, int in, int out, Activation a) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    double sd = 1.0 / Math.sqrt(in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * sd);
    }
    for (int i = 0; i < out; i++) {
      b[i] = (float) (r.nextGaussian() * 0.3);
    }
    return new DenseLayer(in, out, w, b, a);
  }

  /** {@code rows × inputs} values uniform in [-2, 2]. */
  public static float[] inputs(long seed, int rows, int inputs) {
    Random r = new Random(seed);
    float[] x = new float[rows * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (4 * r.nextDouble() - 2);
    }
    return x;
  }

  /** An unlabeled-looking regression data set over {@code x} that fits {@code network}'s input width. */
  public static Dataset data(Network network, float[] x, int rows) {
    int f = network.inputSize();
    List<String> names = new ArrayList<>(Collections.nCopies(f, "x"));
    return new Dataset("test", rows, f, x, Task.regression(1), null, new float[rows], names);
  }

  /** A random strict subset (possibly empty) of [0, n), ascending. */
  public static int[] strictSubset(Random r, int n) {
    List<Integer> idx = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      idx.add(j);
    }
    Collections.shuffle(idx, r);
    int k = r.nextInt(n); // 0 .. n-1
    return idx.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
