package dev.topiary.methods;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small seeded networks and data sets for the methods tests. */
public final class Fixtures {

  private Fixtures() {}

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

  /** A chain of dense layers with the given hidden widths and a linear output layer for {@code task}. */
  public static Network mlp(long seed, int inputs, int[] hidden, Activation act, Task task) {
    Random r = new Random(seed);
    List<Layer> layers = new ArrayList<>();
    int width = inputs;
    for (int h : hidden) {
      layers.add(dense(r, width, h, act));
      width = h;
    }
    layers.add(dense(r, width, task.outputs(), Activation.IDENTITY));
    return new Network(inputs, layers, task, null, null);
  }

  /** Gaussian inputs, [rows × features]. */
  public static float[] gaussian(long seed, int rows, int features) {
    Random r = new Random(seed);
    float[] x = new float[rows * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** Regression data whose targets are the network's own outputs on Gaussian inputs. */
  public static Dataset selfRegression(Network network, long seed, int rows) {
    float[] x = gaussian(seed, rows, network.inputSize());
    float[] y = network.predict(x, rows);
    return new Dataset("self", rows, network.inputSize(), x, network.task(), null, y,
        names(network.inputSize()));
  }

  /** Classification data labelled by the network's own most probable class on Gaussian inputs. */
  public static Dataset selfClassification(Network network, long seed, int rows) {
    float[] x = gaussian(seed, rows, network.inputSize());
    int[] labels = network.predictClasses(x, rows);
    return new Dataset("self", rows, network.inputSize(), x, network.task(), labels, null,
        names(network.inputSize()));
  }

  /** Feature names f0, f1, …. */
  public static List<String> names(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("f" + i);
    }
    return out;
  }
}
