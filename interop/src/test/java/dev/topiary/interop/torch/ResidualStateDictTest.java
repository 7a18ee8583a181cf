package dev.topiary.interop.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Residual MLPs as Topiary builds them ({@code train --architecture residual:BLOCKS:WIDTH[:LAYERS]}: a stem,
 * blocks h + f(h) of one or two layers, a head, and pruned ones whose blocks' inner width differs), written
 * as plain state dicts without Topiary's metadata, read back by {@link StateDictImport}.
 */
class ResidualStateDictTest {

  @TempDir Path dir;

  private static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.TANH, Activation.GELU,
      Activation.SILU, Activation.LEAKY_RELU, Activation.SIGMOID};

  private static DenseLayer dense(int in, int out, Activation a, Random r) {
    float[] w = new float[in * out];
    float[] b = new float[out];
    double s = 1.2 / Math.sqrt(in);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * s);
    }
    for (int i = 0; i < out; i++) {
      b[i] = (float) (r.nextGaussian() * 0.3);
    }
    return new DenseLayer(in, out, w, b, a);
  }

  private static Standardization scaling(int n, Random r) {
    float[] mean = new float[n];
    float[] scale = new float[n];
    for (int j = 0; j < n; j++) {
      mean[j] = (float) (r.nextGaussian() * 2);
      scale[j] = (float) (0.5 + 3 * r.nextDouble());
    }
    return new Standardization(mean, scale);
  }

  /**
   * A random residual network laid out as {@link Network#residual} lays it out: the stem and a one-layer
   * block's layer activated, a two-layer block's second layer linear, a linear head; the inner width of a
   * two-layer block drawn at random (as after pruning), widths not multiples of a vector length.
   */
  static Network randomResidual(long seed) {
    Random r = new Random(seed);
    Activation a = ACTIVATIONS[r.nextInt(ACTIVATIONS.length)];
    int in = 3 + r.nextInt(20);
    int width = 5 + r.nextInt(40);
    int blocks = r.nextInt(4);
    int perBlock = 1 + r.nextInt(2);
    List<Layer> layers = new ArrayList<>();
    layers.add(dense(in, width, a, r));
    for (int b = 0; b < blocks; b++) {
      if (perBlock == 1) {
        layers.add(new ResidualBlock(List.of(dense(width, width, a, r))));
      } else {
        int inner = 1 + r.nextInt(width + 3);
        layers.add(new ResidualBlock(List.of(dense(width, inner, a, r),
            dense(inner, width, Activation.IDENTITY, r))));
      }
    }
    boolean regression = r.nextBoolean();
    Task task = regression ? Task.regression(1 + r.nextInt(2)) : Task.classification(List.of("a", "b", "c"));
    layers.add(dense(width, task.outputs(), Activation.IDENTITY, r));
    return new Network(in, layers, task, r.nextBoolean() ? scaling(in, r) : null,
        regression && r.nextBoolean() ? scaling(task.outputs(), r) : null);
  }

  /**
   * The network's tensors as a plain state dict: {@code PREFIX.N.weight} for a dense entry and
   * {@code PREFIX.N.f.J.weight} for a block's layers, with entry N at {@code indexStep·N} (2 for a
   * {@code Sequential}, whose activations take the odd indices) and layer J of f at {@code innerStep·J}.
   */
  static Map<String, Object[]> stateDict(Network net, String prefix, int indexStep, int innerStep) {
    Map<String, Object[]> t = new LinkedHashMap<>();
    String p = prefix.isEmpty() ? "" : prefix + ".";
    for (int i = 0; i < net.layers().size(); i++) {
      Layer l = net.layers().get(i);
      if (l instanceof DenseLayer d) {
        put(t, p + (indexStep * i), d);
      } else {
        List<DenseLayer> f = ((ResidualBlock) l).layers();
        for (int j = 0; j < f.size(); j++) {
          put(t, p + (indexStep * i) + ".f." + (innerStep * j), f.get(j));
        }
      }
    }
    if (net.inputScaling() != null) {
      t.put("input_scaling.mean", vector(net.inputScaling().mean()));
      t.put("input_scaling.scale", vector(net.inputScaling().scale()));
    }
    if (net.outputScaling() != null) {
      t.put("output_scaling.mean", vector(net.outputScaling().mean()));
      t.put("output_scaling.scale", vector(net.outputScaling().scale()));
    }
    return t;
  }

  private static void put(Map<String, Object[]> t, String stem, DenseLayer d) {
    t.put(stem + ".weight", new Object[] {List.of((long) d.outputSize(), (long) d.inputSize()), d.weight()});
    t.put(stem + ".bias", vector(d.bias()));
  }

  private static Object[] vector(float[] v) {
    return new Object[] {List.of((long) v.length), v};
  }

  /** A safetensors file of F32 tensors and no metadata, as safetensors.torch.save_file writes it. */
  private Path write(String name, Map<String, Object[]> tensors) throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Object[]> e : tensors.entrySet()) {
      float[] v = (float[]) e.getValue()[1];
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", "F32");
      t.put("shape", e.getValue()[0]);
      t.put("data_offsets", List.of((long) data.size(), (long) data.size() + b.capacity()));
      header.put(e.getKey(), t);
      data.write(b.array());
    }
    byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(data.toByteArray());
    Path p = dir.resolve(name);
    Files.write(p, out.array());
    return p;
  }

  /** The network's outputs (logits or values in raw units) in double precision, from its float weights. */
  static double[] reference(Network net, float[] x, int rows) {
    int outs = net.outputSize();
    double[] y = new double[rows * outs];
    for (int i = 0; i < rows; i++) {
      double[] h = new double[net.inputSize()];
      for (int j = 0; j < h.length; j++) {
        h[j] = x[i * h.length + j];
        if (net.inputScaling() != null) {
          h[j] = (h[j] - net.inputScaling().mean()[j]) / net.inputScaling().scale()[j];
        }
      }
      for (Layer l : net.layers()) {
        if (l instanceof DenseLayer d) {
          h = apply(d, h);
        } else {
          double[] g = h;
          for (DenseLayer d : ((ResidualBlock) l).layers()) {
            g = apply(d, g);
          }
          for (int j = 0; j < h.length; j++) {
            g[j] += h[j];
          }
          h = g;
        }
      }
      for (int c = 0; c < outs; c++) {
        y[i * outs + c] = net.outputScaling() == null ? h[c]
            : h[c] * net.outputScaling().scale()[c] + net.outputScaling().mean()[c];
      }
    }
    return y;
  }

  private static double[] apply(DenseLayer d, double[] h) {
    double[] z = new double[d.outputSize()];
    for (int o = 0; o < z.length; o++) {
      double s = d.bias()[o];
      for (int j = 0; j < h.length; j++) {
        s += (double) d.weight(o, j) * h[j];
      }
      z[o] = d.activation().apply(s);
    }
    return z;
  }

  /** Σ over the dense layers of their fan-in: the length of the float sums an output goes through. */
  private static int depthOfSums(Network net) {
    return net.denseLayers().stream().mapToInt(DenseLayer::inputSize).sum();
  }

  private static float[] outputs(Network net, float[] x, int rows) {
    float[] y = new float[rows * net.outputSize()];
    if (net.task().isClassification()) {
      net.predictLogits(x, 0, rows, y, 0);
    } else {
      net.predictValues(x, 0, rows, y, 0);
    }
    return y;
  }

  @Test
  void randomResidualNetworksSurviveAPlainStateDict() throws Exception {
    String[][] layouts = {{"layers", "1", "1"}, {"", "2", "2"}, {"net.body", "1", "2"}};
    for (long seed = 1; seed <= 24; seed++) {
      Network net = randomResidual(seed);
      String[] layout = layouts[(int) (seed % layouts.length)];
      Path file = write("r" + seed + ".safetensors", stateDict(net, layout[0], Integer.parseInt(layout[1]),
          Integer.parseInt(layout[2])));
      Activation a = net.denseLayers().get(0).activation();
      Network back = StateDictImport.read(file, a, net.task());
      String where = "seed " + seed + " " + net.describe() + " prefix '" + layout[0] + "'";

      assertEquals(net.layers().size(), back.layers().size(), where);
      for (int i = 0; i < net.layers().size(); i++) {
        Layer l = net.layers().get(i);
        Layer m = back.layers().get(i);
        assertEquals(l.getClass(), m.getClass(), where + " layer " + i);
        List<DenseLayer> dl = l instanceof ResidualBlock b ? b.layers() : List.of((DenseLayer) l);
        List<DenseLayer> dm = m instanceof ResidualBlock b ? b.layers() : List.of((DenseLayer) m);
        assertEquals(dl.size(), dm.size(), where + " layer " + i);
        for (int j = 0; j < dl.size(); j++) {
          assertEquals(dl.get(j).activation(), dm.get(j).activation(), where + " layer " + i + "." + j);
          assertArrayEquals(dl.get(j).weight(), dm.get(j).weight(), where);
          assertArrayEquals(dl.get(j).bias(), dm.get(j).bias(), where);
        }
      }

      int rows = 37;
      float[] x = new float[rows * net.inputSize()];
      Random r = new Random(seed + 1000);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (r.nextGaussian() * 3);
      }
      double[] ref = reference(net, x, rows);
      float[] got = outputs(back, x, rows);
      // Float sums of length k carry a relative error up to about k·2⁻²⁴ of the magnitudes summed; the
      // activations add a few ulps each. Bound: 2⁻²⁰ per summed term, relative to the output's size.
      double tol = 0x1p-20 * depthOfSums(net) * 4;
      for (int i = 0; i < ref.length; i++) {
        double scale = 1 + Math.abs(ref[i]);
        assertTrue(Math.abs(got[i] - ref[i]) <= tol * scale,
            where + ": output " + i + " is " + got[i] + ", the double reference " + ref[i] + " (tolerance "
                + tol * scale + ")");
      }
      assertArrayEquals(outputs(net, x, rows), got, 0f, where + ": the imported network computes otherwise");
    }
  }

  @Test
  void aNetworkWithoutBlocksIsStillAPlainMlp() throws Exception {
    Random r = new Random(3);
    Network net = new Network(5, List.of(dense(5, 9, Activation.TANH, r), dense(9, 2, Activation.IDENTITY, r)),
        Task.regression(2), null, scaling(2, r));
    Network back = StateDictImport.read(write("plain.safetensors", stateDict(net, "layers", 1, 1)),
        Activation.TANH, Task.regression(2));
    assertEquals("5-9-2", back.describe());
    assertArrayEquals(net.outputScaling().scale(), back.outputScaling().scale());
  }

  private String refusal(Map<String, Object[]> t, Task task) throws Exception {
    Path p = write("bad" + t.hashCode() + ".safetensors", t);
    return assertThrows(StateDictException.class, () -> StateDictImport.read(p, Activation.RELU, task))
        .getMessage();
  }

  @Test
  void ambiguousAndUnknownLayoutsAreRefusedNamingTheTensor() throws Exception {
    Random r = new Random(11);
    Network net = new Network(4, List.of(dense(4, 6, Activation.RELU, r),
        new ResidualBlock(List.of(dense(6, 3, Activation.RELU, r), dense(3, 6, Activation.IDENTITY, r))),
        dense(6, 2, Activation.IDENTITY, r)), Task.regression(2), null, null);
    Task task = Task.regression(2);

    Map<String, Object[]> both = stateDict(net, "layers", 1, 1);
    both.put("layers.1.weight", new Object[] {List.of(6L, 6L), new float[36]});
    String m = refusal(both, task);
    assertTrue(m.contains("layers.1.weight") && m.contains("layers.1.f.0"), m);

    Map<String, Object[]> third = stateDict(net, "layers", 1, 1);
    third.put("layers.1.f.2.weight", new Object[] {List.of(6L, 6L), new float[36]});
    m = refusal(third, task);
    assertTrue(m.contains("layers.1.f.2.weight") && m.contains("third layer"), m);

    Map<String, Object[]> unknown = stateDict(net, "layers", 1, 1);
    unknown.put("layers.1.norm.weight", new Object[] {List.of(6L), new float[6]});
    m = refusal(unknown, task);
    assertTrue(m.contains("layers.1.norm.weight"), m);

    Map<String, Object[]> named = stateDict(net, "layers", 1, 1);
    named.put("layers.1.g.0.weight", named.remove("layers.1.f.0.weight"));
    m = refusal(named, task);
    assertTrue(m.contains("layers.1.g.0.weight"), m);

    Map<String, Object[]> notBack = stateDict(net, "layers", 1, 1);
    notBack.put("layers.1.f.1.weight", new Object[] {List.of(5L, 3L), new float[15]});
    notBack.put("layers.1.f.1.bias", new Object[] {List.of(5L), new float[5]});
    m = refusal(notBack, task);
    assertTrue(m.contains("layers.1.f.1.weight writes 5") && m.contains("input width"), m);

    Map<String, Object[]> endsInBlock = stateDict(net, "layers", 1, 1);
    endsInBlock.remove("layers.2.weight");
    endsInBlock.remove("layers.2.bias");
    m = refusal(endsInBlock, Task.regression(6));
    assertTrue(m.contains("layers.1.f.0") && m.contains("last entry"), m);

    Network cls = new Network(4, net.layers(), task, null, null);
    Map<String, Object[]> scaledClassifier = stateDict(cls, "layers", 1, 1);
    scaledClassifier.put("output_scaling.mean", vector(new float[2]));
    scaledClassifier.put("output_scaling.scale", vector(new float[] {1, 1}));
    m = refusal(scaledClassifier, Task.classification(List.of("a", "b")));
    assertTrue(m.contains("output_scaling"), m);
  }
}
