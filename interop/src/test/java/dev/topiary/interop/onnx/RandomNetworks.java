package dev.topiary.interop.onnx;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random networks of every kind Topiary makes, with widths that are not multiples of a vector length. */
final class RandomNetworks {

  private RandomNetworks() {}

  static DenseLayer dense(int in, int out, Activation a, Random r) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    double s = 1.5 / Math.sqrt(in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * s);
    }
    for (int i = 0; i < out; i++) {
      b[i] = (float) (r.nextGaussian() * 0.3);
    }
    return new DenseLayer(in, out, w, b, a);
  }

  static Standardization scaling(int n, Random r) {
    float[] mean = new float[n];
    float[] scale = new float[n];
    for (int j = 0; j < n; j++) {
      mean[j] = (float) (r.nextGaussian() * 3);
      scale[j] = (float) (0.5 + r.nextDouble() * 4);
    }
    return new Standardization(mean, scale);
  }

  /**
   * A network with the given activation in its hidden layers.
   *
   * @param residual put a residual block of two layers after the first hidden layer
   * @param regression a 2-output regression model with an output standardisation, else 3 classes
   */
  static Network of(Activation a, boolean residual, boolean scaled, boolean regression, long seed) {
    Random r = new Random(seed);
    int in = 7;
    int h = 13;
    List<Layer> layers = new ArrayList<>();
    layers.add(dense(in, h, a, r));
    if (residual) {
      layers.add(new ResidualBlock(List.of(dense(h, 5, a, r), dense(5, h, Activation.IDENTITY, r))));
    }
    layers.add(dense(h, 11, a, r));
    Task task = regression ? Task.regression(2) : Task.classification(List.of("a", "b", "c"));
    layers.add(dense(11, task.outputs(), Activation.IDENTITY, r));
    return new Network(in, layers, task, scaled ? scaling(in, r) : null, regression && scaled ? scaling(2, r) : null);
  }

  /** Raw inputs: around the standardisation's centre, spread wide enough to reach every activation's tails. */
  static float[] inputs(int rows, int features, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 4);
    }
    return x;
  }
}
