package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.gates.UnitGates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Reads an embedded CSV of the datasets module: header row, numeric cells, last column the target. */
  static Dataset builtin(String id, boolean classification) {
    String resource = "/dev/topiary/datasets/" + id + ".csv";
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String[] header = reader.readLine().split(",");
      int features = header.length - 1;
      List<float[]> rows = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        float[] v = new float[cells.length];
        for (int j = 0; j < cells.length; j++) {
          v[j] = Float.parseFloat(cells[j].trim());
        }
        rows.add(v);
      }
      int n = rows.size();
      float[] x = new float[n * features];
      int[] labels = new int[n];
      float[] targets = new float[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        System.arraycopy(rows.get(i), 0, x, i * features, features);
        targets[i] = rows.get(i)[features];
        labels[i] = (int) targets[i];
        k = Math.max(k, labels[i] + 1);
      }
      List<String> names = Arrays.asList(header).subList(0, features);
      return classification
          ? new Dataset("builtin:" + id, n, features, x, classes(k), labels, null, names)
          : new Dataset("builtin:" + id, n, features, x, Task.regression(1), null, targets, names);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** A stratified (classification) or plain random split into the given fractions, from a seed. */
  static Dataset[] split(Dataset data, long seed, double... fractions) {
    Random r = new Random(seed);
    List<List<Integer>> groups = new ArrayList<>();
    if (data.task().isClassification()) {
      for (int c = 0; c < data.task().classes(); c++) {
        groups.add(new ArrayList<>());
      }
      for (int i = 0; i < data.rows(); i++) {
        groups.get(data.labels()[i]).add(i);
      }
    } else {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < data.rows(); i++) {
        all.add(i);
      }
      groups.add(all);
    }
    List<List<Integer>> parts = new ArrayList<>();
    for (int p = 0; p < fractions.length; p++) {
      parts.add(new ArrayList<>());
    }
    for (List<Integer> g : groups) {
      java.util.Collections.shuffle(g, r);
      int from = 0;
      double cumulative = 0;
      for (int p = 0; p < fractions.length; p++) {
        cumulative += fractions[p];
        int to = p == fractions.length - 1 ? g.size() : (int) Math.round(cumulative * g.size());
        parts.get(p).addAll(g.subList(from, to));
        from = to;
      }
    }
    Dataset[] out = new Dataset[fractions.length];
    for (int p = 0; p < fractions.length; p++) {
      List<Integer> idx = parts.get(p);
      java.util.Collections.shuffle(idx, r);
      out[p] = data.subset(idx.stream().mapToInt(Integer::intValue).toArray(), data.name() + "#" + p);
    }
    return out;
  }
}
