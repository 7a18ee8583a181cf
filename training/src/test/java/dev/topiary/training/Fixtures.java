package dev.topiary.training;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Split;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.gates.UnitGates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random networks, data sets, fixed gates and a tiny CSV reader for the tests. */
final class Fixtures {

  private Fixtures() {}

  static Task classes(int k) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      labels.add("c" + i);
    }
    return Task.classification(labels);
  }

  static DenseLayer dense(int in, int out, Activation act, Random r) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * 0.6);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (r.nextGaussian() * 0.3);
    }
    return new DenseLayer(in, out, w, b, act);
  }

  /**
   * A small random network: 1–2 hidden dense layers of odd and unit widths, optionally a residual block
   * of one or two layers, then a linear output layer.
   */
  static Network randomNetwork(Random r, int in, Activation act, boolean residual, Task task) {
    List<Layer> layers = new ArrayList<>();
    int width = in;
    int hidden = 1 + r.nextInt(2);
    for (int h = 0; h < hidden; h++) {
      int w = 1 + r.nextInt(6);
      layers.add(dense(width, w, act, r));
      width = w;
    }
    if (residual) {
      List<DenseLayer> chain = new ArrayList<>();
      if (r.nextBoolean()) {
        chain.add(dense(width, width, act, r));
      } else {
        int inner = 1 + r.nextInt(5);
        chain.add(dense(width, inner, act, r));
        chain.add(dense(inner, width, r.nextBoolean() ? Activation.IDENTITY : act, r));
      }
      layers.add(new ResidualBlock(chain));
      if (r.nextBoolean()) {
        int w = 1 + r.nextInt(5);
        layers.add(dense(width, w, act, r));
        width = w;
      }
    }
    layers.add(dense(width, task.outputs(), Activation.IDENTITY, r));
    return new Network(in, layers, task, null, null);
  }

  static float[] gaussian(Random r, int n, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * sd);
    }
    return a;
  }

  /** Gates with fixed values, recording the gradients they receive. */
  static final class FixedGates implements UnitGates {
    final float[][] units;
    final float[] blocks;
    float[][] unitGradients;
    float[] blockGradients;
    int samples;

    FixedGates(float[][] units, float[] blocks) {
      this.units = units;
      this.blocks = blocks;
    }

    @Override
    public float[] unitGates(int denseLayer) {
      return units[denseLayer];
    }

    @Override
    public float blockGate(int layer) {
      return blocks[layer];
    }

    @Override
    public void sample(Random random) {
      samples++;
    }

    @Override
    public void accumulateGradient(GateGradients g) {
      unitGradients = new float[g.denseLayers()][];
      for (int l = 0; l < g.denseLayers(); l++) {
        unitGradients[l] = g.units(l).clone();
      }
      blockGradients = new float[blocks.length];
      for (int s = 0; s < blocks.length; s++) {
        blockGradients[s] = g.block(s);
      }
    }
  }

  /** An embedded data set, through core's loader. */
  static Dataset builtin(String id, boolean classification) {
    try {
      Dataset d = DataSources.load("builtin:" + id).train();
      if (d.task().isClassification() != classification) {
        throw new IllegalStateException("builtin:" + id + " is not a " + (classification ? "classification" : "regression") + " set");
      }
      return d;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read builtin:" + id, e);
    }
  }

  /** Core's seeded split into train, validation and (when a third fraction is given) test parts. */
  static Dataset[] split(Dataset data, long seed, double... fractions) {
    Split s = Split.of(data, new Split.Fractions(fractions[0], fractions[1],
        fractions.length > 2 ? fractions[2] : 0.0), seed);
    return fractions.length > 2 ? new Dataset[] {s.train(), s.validation(), s.test()}
        : new Dataset[] {s.train(), s.validation()};
  }
}
