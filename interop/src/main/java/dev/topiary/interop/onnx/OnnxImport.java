package dev.topiary.interop.onnx;

import dev.topiary.core.json.Json;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model of a dense feed-forward network into a Topiary {@link Network}, so that a model
 * exported by {@code torch.onnx.export} (or by {@link OnnxExport}) can be pruned.
 *
 * <h2>What is accepted</h2>
 * One float input [batch, features] and a graph made of:
 * <ul>
 *   <li>optionally, first, {@code Sub} then {@code Div} by constant vectors: the input standardisation;
 *   <li>{@code Gemm} (alpha = beta = 1, transA = 0, either transB) with constant weights and bias, or
 *       {@code MatMul} by a constant matrix followed by an {@code Add} of a constant bias;
 *   <li>after each dense layer, any element-wise function built from {@code Relu}, {@code LeakyRelu},
 *       {@code Tanh}, {@code Sigmoid}, {@code Exp}, {@code Neg}, {@code Pow}, {@code Sqrt}, and {@code Add},
 *       {@code Sub}, {@code Mul}, {@code Div} by scalars or by other functions of the same layer's output
 *       (so {@code Mul(z, Sigmoid(z))} and PyTorch's decomposed tanh-form GELU are read as what they
 *       compute). The function is identified by evaluating it, in double precision, on 801 points of
 *       [−8, 8] and comparing with each {@link Activation}; it must match one within 1e-5 (relative to
 *       1 + |f|), so the exact (erf) GELU, whose tanh form differs by up to 5e-4, is refused;
 *   <li>{@code Add} of a layer's output to an earlier one: a residual block h ↦ h + f(h);
 *   <li>{@code Identity}, {@code Constant}, and a final {@code Softmax} (a classifier's probabilities).
 * </ul>
 * The first graph output is the model's output: the last dense layer's (or its softmax's). Anything else —
 * another operator, a branch, an activation after a residual sum — is refused with an
 * {@link OnnxFormatException} that names the node.
 *
 * <h2>Task</h2>
 * The caller's task if given; else the {@code topiary.task} metadata that {@link OnnxExport} writes; else
 * a classifier with classes {@code 0 … k−1} when the output has k &gt; 1 columns and a single-output
 * regression when it has one.
 */
public final class OnnxImport {

  /** Largest deviation from an activation that still identifies it, relative to 1 + |f(z)|. */
  static final double TOLERANCE = 1e-5;

  /** A model read from ONNX, with the model's {@code metadata_props}. */
  public record Imported(Network network, Map<String, String> metadata) {}

  private sealed interface Sym permits Point, Centred, Affine, Expr, Const, Probs {}

  /** The state after {@code item} top-level layers (0: the input, standardised if it is). */
  private record Point(int item) implements Sym {}

  /** The input minus a constant vector, waiting for its Div. */
  private record Centred(float[] mean) implements Sym {}

  /** A dense layer's pre-activation W·x + b, reading from point {@code from}. */
  private record Affine(int in, int out, float[] weight, float[] bias, int from, String node) implements Sym {}

  /** An element-wise function of one layer's pre-activation. */
  private record Expr(Affine base, Term term, String node) implements Sym {}

  /** A constant. */
  private record Const(float[] values, long[] dims) implements Sym {}

  /** The softmax of a classifier's logits. */
  private record Probs(Sym logits) implements Sym {}

  /** An element-wise expression tree over the pre-activation z. */
  private interface Term {
    double at(double z);
  }

  private final Path file;
  private final OnnxGraph graph;
  private final Map<String, Sym> values = new HashMap<>();
  private final Map<Sym, Point> finalised = new IdentityHashMap<>();
  private final List<Layer> items = new ArrayList<>();
  private final int inputs;
  private Standardization scaling;

  private OnnxImport(Path file, OnnxGraph graph, int inputs) {
    this.file = file;
    this.graph = graph;
    this.inputs = inputs;
  }

  /**
   * Reads {@code file}.
   *
   * @param task the task, or null to take it from the file's metadata or its output width
   * @throws OnnxFormatException naming the node, operator or field that cannot be read
   */
  public static Imported read(Path file, Task task) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 8) {
      throw new OnnxFormatException(file + ": " + size + " bytes, larger than Topiary reads");
    }
    return decode(Files.readAllBytes(file), file, task);
  }

  /** As {@link #read}, on the file's bytes; {@code file} names it in messages. */
  public static Imported decode(byte[] bytes, Path file, Task task) throws OnnxFormatException {
    OnnxGraph g;
    try {
      g = OnnxGraph.parse(bytes, file);
    } catch (OnnxFormatException e) {
      if (e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new OnnxFormatException(file + ": " + e.getMessage());
    }
    List<String> realInputs = new ArrayList<>();
    for (String in : g.inputs) {
      if (!g.initializers.containsKey(in)) {
        realInputs.add(in);
      }
    }
    if (realInputs.size() != 1) {
      throw new OnnxFormatException(file + ": the graph has " + realInputs.size() + " inputs " + realInputs
          + "; a dense network has one");
    }
    if (g.outputs.isEmpty()) {
      throw new OnnxFormatException(file + ": the graph has no output");
    }
    int width = inputWidth(g, file);
    OnnxImport im = new OnnxImport(file, g, width);
    return im.run(realInputs.get(0), task);
  }

  /** The input width: read from the first layer's weights, as the input's shape may be symbolic. */
  private static int inputWidth(OnnxGraph g, Path file) throws OnnxFormatException {
    for (OnnxGraph.Node n : g.nodes) {
      if (n.op().equals("Gemm") || n.op().equals("MatMul")) {
        OnnxGraph.Tensor w = n.inputs().size() > 1 ? g.initializers.get(n.inputs().get(1)) : null;
        if (w != null && w.dims().length == 2) {
          boolean transB = n.op().equals("Gemm") && attr(n, "transB", 0) == 1;
          return (int) (transB ? w.dims()[1] : w.dims()[0]);
        }
        break;
      }
    }
    throw new OnnxFormatException(file + ": no Gemm or MatMul with constant weights found; not a dense network");
  }

  private Imported run(String input, Task task) throws OnnxFormatException {
    values.put(input, new Point(0));
    for (Map.Entry<String, OnnxGraph.Tensor> e : graph.initializers.entrySet()) {
      if (e.getValue().values() != null) {
        values.put(e.getKey(), new Const(e.getValue().values(), e.getValue().dims()));
      }
    }
    for (OnnxGraph.Node n : graph.nodes) {
      if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
        throw refuse(n, "operator domain '" + n.domain() + "' is not supported");
      }
      Sym result = step(n);
      if (n.outputs().isEmpty()) {
        throw refuse(n, "has no output");
      }
      values.put(n.outputs().get(0), result);
    }
    Sym out = values.get(graph.outputs.get(0));
    if (out == null) {
      throw new OnnxFormatException(file + ": graph output '" + graph.outputs.get(0) + "' is not computed");
    }
    boolean softmax = out instanceof Probs;
    if (out instanceof Probs p) {
      out = p.logits();
    }
    Point last = finalise(out, "graph output '" + graph.outputs.get(0) + "'");
    if (last.item() != items.size() || items.isEmpty() || !(items.get(items.size() - 1) instanceof DenseLayer)) {
      throw new OnnxFormatException(file + ": graph output '" + graph.outputs.get(0)
          + "' must be the last dense layer's output");
    }
    int outputs = items.get(items.size() - 1).outputSize();
    Task t = task != null ? task : taskFromMetadata(outputs, softmax);
    if (t.outputs() != outputs) {
      throw new OnnxFormatException(file + ": the model writes " + outputs + " outputs but the task needs "
          + t.outputs());
    }
    try {
      return new Imported(new Network(inputs, items, t, scaling, null), Map.copyOf(graph.metadata));
    } catch (IllegalArgumentException e) {
      throw new OnnxFormatException(file + ": " + e.getMessage());
    }
  }

  private Task taskFromMetadata(int outputs, boolean softmax) throws OnnxFormatException {
    String json = graph.metadata.get("topiary.task");
    if (json != null) {
      try {
        if (Json.parse(json) instanceof Map<?, ?> m) {
          if ("classification".equals(m.get("kind")) && m.get("labels") instanceof List<?> l) {
            List<String> labels = new ArrayList<>();
            for (Object o : l) {
              labels.add(String.valueOf(o));
            }
            return Task.classification(labels);
          }
          if ("regression".equals(m.get("kind"))) {
            return Task.regression(outputs);
          }
        }
      } catch (RuntimeException e) {
        throw new OnnxFormatException(file + ": metadata topiary.task is not readable: " + e.getMessage());
      }
    }
    if (outputs == 1 && !softmax) {
      return Task.regression(1);
    }
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < outputs; c++) {
      labels.add(Integer.toString(c));
    }
    return Task.classification(labels);
  }

  private Sym step(OnnxGraph.Node n) throws OnnxFormatException {
    switch (n.op()) {
      case "Identity":
        return in(n, 0);
      case "Constant": {
        OnnxGraph.Attribute v = n.attributes().get("value");
        if (v != null && v.t() != null && v.t().values() != null) {
          return new Const(v.t().values(), v.t().dims());
        }
        OnnxGraph.Attribute f = n.attributes().get("value_float");
        if (f != null) {
          return new Const(new float[] {f.f()}, new long[0]);
        }
        throw refuse(n, "only float tensor constants are supported");
      }
      case "Gemm":
        return gemm(n);
      case "MatMul":
        return matmul(n);
      case "Softmax": {
        Sym x = in(n, 0);
        long axis = attr(n, "axis", graph.opset >= 13 ? -1 : 1);
        if (axis != 1 && axis != -1) {
          throw refuse(n, "softmax over axis " + axis + "; only the class axis (1 or -1) is supported");
        }
        return new Probs(x);
      }
      case "Sub":
      case "Div":
      case "Add":
      case "Mul":
        return binary(n);
      case "Relu":
      case "Tanh":
      case "Sigmoid":
      case "Exp":
      case "Neg":
      case "Sqrt":
      case "LeakyRelu":
        return unary(n);
      case "Pow":
        return pow(n);
      default:
        throw refuse(n, "operator " + n.op() + " is not part of the dense-network subset Topiary imports"
            + " (Gemm, MatMul, Add, Sub, Mul, Div, Relu, LeakyRelu, Tanh, Sigmoid, Pow, Softmax, Identity)");
    }
  }

  private Sym in(OnnxGraph.Node n, int k) throws OnnxFormatException {
    if (k >= n.inputs().size() || n.inputs().get(k).isEmpty()) {
      throw refuse(n, "input " + (k + 1) + " is missing");
    }
    Sym s = values.get(n.inputs().get(k));
    if (s == null) {
      throw refuse(n, "reads '" + n.inputs().get(k) + "', which is neither computed before it nor a float"
          + " initializer");
    }
    return s;
  }

  private Const constant(OnnxGraph.Node n, int k) throws OnnxFormatException {
    Sym s = in(n, k);
    if (!(s instanceof Const c)) {
      throw refuse(n, "input " + (k + 1) + " ('" + n.inputs().get(k) + "') must be a constant");
    }
    return c;
  }

  private Sym gemm(OnnxGraph.Node n) throws OnnxFormatException {
    if (attr(n, "transA", 0) != 0) {
      throw refuse(n, "transA = 1 is not supported");
    }
    if (fattr(n, "alpha", 1f) != 1f || fattr(n, "beta", 1f) != 1f) {
      throw refuse(n, "alpha and beta must be 1");
    }
    Point x = finalise(in(n, 0), n.describe());
    Const b = constant(n, 1);
    if (b.dims().length != 2) {
      throw refuse(n, "weights must be a matrix, found shape " + java.util.Arrays.toString(b.dims()));
    }
    boolean transB = attr(n, "transB", 0) == 1;
    int out = (int) (transB ? b.dims()[0] : b.dims()[1]);
    int in = (int) (transB ? b.dims()[1] : b.dims()[0]);
    float[] w = transB ? b.values().clone() : transpose(b.values(), in, out);
    float[] bias = new float[out];
    if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
      Const c = constant(n, 2);
      if (c.values().length == out) {
        bias = c.values().clone();
      } else if (c.values().length == 1) {
        java.util.Arrays.fill(bias, c.values()[0]);
      } else {
        throw refuse(n, "bias has " + c.values().length + " values for " + out + " outputs");
      }
    }
    return affine(n, x, in, out, w, bias);
  }

  private Sym matmul(OnnxGraph.Node n) throws OnnxFormatException {
    Point x = finalise(in(n, 0), n.describe());
    Const b = constant(n, 1);
    if (b.dims().length != 2) {
      throw refuse(n, "the second operand must be a constant matrix, found shape "
          + java.util.Arrays.toString(b.dims()));
    }
    int in = (int) b.dims()[0];
    int out = (int) b.dims()[1];
    return affine(n, x, in, out, transpose(b.values(), in, out), new float[out]);
  }

  private Affine affine(OnnxGraph.Node n, Point x, int in, int out, float[] w, float[] bias)
      throws OnnxFormatException {
    if (x.item() != items.size()) {
      throw refuse(n, "reads the output of an earlier layer; only a chain of layers with residual Adds is"
          + " supported");
    }
    int width = items.isEmpty() ? inputs : items.get(items.size() - 1).outputSize();
    if (in != width) {
      throw refuse(n, "reads " + in + " values but receives " + width);
    }
    return new Affine(in, out, w, bias, x.item(), n.describe());
  }

  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  /** A value that already feeds a later layer is that layer's output: a point of the chain. */
  private Sym resolved(Sym s) {
    Point p = finalised.get(s);
    return p != null ? p : s;
  }

  private Sym binary(OnnxGraph.Node n) throws OnnxFormatException {
    Sym a = resolved(in(n, 0));
    Sym b = resolved(in(n, 1));
    String op = n.op();
    // Input standardisation: (x - mean) / scale before any layer.
    if (op.equals("Sub") && a instanceof Point p && p.item() == 0 && items.isEmpty() && scaling == null
        && b instanceof Const c && c.values().length == inputs) {
      return new Centred(c.values());
    }
    if (op.equals("Div") && a instanceof Centred c && b instanceof Const s && s.values().length == inputs) {
      try {
        scaling = new Standardization(c.mean(), s.values());
      } catch (IllegalArgumentException e) {
        throw refuse(n, e.getMessage());
      }
      return new Point(0);
    }
    // A bias added to a layer's pre-activation (MatMul then Add, or an extra shift).
    if (op.equals("Add") && (a instanceof Affine || b instanceof Affine) && (a instanceof Const || b instanceof Const)) {
      Affine f = (Affine) (a instanceof Affine ? a : b);
      Const c = (Const) (a instanceof Const ? a : b);
      if (c.values().length == f.out() || c.values().length == 1) {
        float[] bias = f.bias().clone();
        for (int j = 0; j < bias.length; j++) {
          bias[j] += c.values().length == 1 ? c.values()[0] : c.values()[j];
        }
        return new Affine(f.in(), f.out(), f.weight(), bias, f.from(), f.node());
      }
    }
    // A per-output scale of a layer's pre-activation (a regression model's output standardisation, as
    // OnnxExport writes it) is still linear: fold it into the weights and bias.
    if ((op.equals("Mul") || op.equals("Div")) && a instanceof Affine f && b instanceof Const c
        && f.out() > 1 && c.values().length == f.out()) {
      float[] w = f.weight().clone();
      float[] bias = f.bias().clone();
      for (int j = 0; j < f.out(); j++) {
        float s = c.values()[j];
        for (int i = 0; i < f.in(); i++) {
          w[j * f.in() + i] = op.equals("Mul") ? w[j * f.in() + i] * s : w[j * f.in() + i] / s;
        }
        bias[j] = op.equals("Mul") ? bias[j] * s : bias[j] / s;
      }
      return new Affine(f.in(), f.out(), w, bias, f.from(), f.node());
    }
    // A residual sum: a layer's output added to an earlier state.
    if (op.equals("Add") && (a instanceof Point || b instanceof Point)
        && !(a instanceof Const) && !(b instanceof Const)) {
      Point p = (Point) (a instanceof Point ? a : b);
      Sym other = a instanceof Point ? b : a;
      if (other instanceof Point earlier && earlier.item() < p.item()) {
        other = p;
        p = earlier;
      }
      Point q = finalise(other, n.describe());
      return residual(n, p, q);
    }
    // An element-wise function of one layer's pre-activation.
    Term ta = term(n, a);
    Term tb = term(n, b);
    Affine base = baseOf(n, a, b);
    Term t = switch (op) {
      case "Add" -> z -> ta.at(z) + tb.at(z);
      case "Sub" -> z -> ta.at(z) - tb.at(z);
      case "Mul" -> z -> ta.at(z) * tb.at(z);
      default -> z -> ta.at(z) / tb.at(z);
    };
    return new Expr(base, t, n.describe());
  }

  private Sym residual(OnnxGraph.Node n, Point p, Point q) throws OnnxFormatException {
    if (q.item() != items.size() || p.item() >= q.item()) {
      throw refuse(n, "adds two values that are not a layer's input and the output of the layers after it");
    }
    List<DenseLayer> chain = new ArrayList<>();
    for (int i = p.item(); i < q.item(); i++) {
      if (!(items.get(i) instanceof DenseLayer d)) {
        throw refuse(n, "a residual block would contain another residual block");
      }
      chain.add(d);
    }
    try {
      ResidualBlock block = new ResidualBlock(chain);
      items.subList(p.item(), q.item()).clear();
      items.add(block);
    } catch (IllegalArgumentException e) {
      throw refuse(n, e.getMessage());
    }
    return new Point(items.size());
  }

  private Sym unary(OnnxGraph.Node n) throws OnnxFormatException {
    Sym a = resolved(in(n, 0));
    if (a instanceof Point) {
      throw refuse(n, "applies to " + (items.isEmpty() ? "the input" : "a residual sum") + "; Topiary applies"
          + " activations after dense layers only");
    }
    Term t = term(n, a);
    Affine base = baseOf(n, a, null);
    double alpha = fattr(n, "alpha", 0.01f);
    Term r = switch (n.op()) {
      case "Relu" -> z -> Math.max(0.0, t.at(z));
      case "Tanh" -> z -> Math.tanh(t.at(z));
      case "Sigmoid" -> z -> 1.0 / (1.0 + Math.exp(-t.at(z)));
      case "Exp" -> z -> Math.exp(t.at(z));
      case "Neg" -> z -> -t.at(z);
      case "Sqrt" -> z -> Math.sqrt(t.at(z));
      default -> z -> { double v = t.at(z); return v > 0 ? v : alpha * v; };
    };
    return new Expr(base, r, n.describe());
  }

  private Sym pow(OnnxGraph.Node n) throws OnnxFormatException {
    Sym a = in(n, 0);
    Const e = constant(n, 1);
    if (e.values().length != 1) {
      throw refuse(n, "the exponent must be a scalar");
    }
    Term t = term(n, a);
    double p = e.values()[0];
    return new Expr(baseOf(n, a, null), z -> Math.pow(t.at(z), p), n.describe());
  }

  private Term term(OnnxGraph.Node n, Sym s) throws OnnxFormatException {
    if (s instanceof Affine) {
      return z -> z;
    }
    if (s instanceof Expr e) {
      return e.term();
    }
    if (s instanceof Const c) {
      if (c.values().length != 1) {
        throw refuse(n, "combines a layer's output with a constant of " + c.values().length + " values;"
            + " only scalars are supported in an activation");
      }
      double v = c.values()[0];
      return z -> v;
    }
    throw refuse(n, "is not an element-wise function of one dense layer's output");
  }

  private Affine baseOf(OnnxGraph.Node n, Sym a, Sym b) throws OnnxFormatException {
    Affine x = base(a);
    Affine y = b == null ? null : base(b);
    if (x == null && y == null) {
      throw refuse(n, "computes on constants only");
    }
    if (x != null && y != null && x != y) {
      throw refuse(n, "combines the outputs of two different layers");
    }
    return x != null ? x : y;
  }

  private static Affine base(Sym s) {
    return s instanceof Affine a ? a : s instanceof Expr e ? e.base() : null;
  }

  /** Turns a layer's (activated) output into a layer of the network and the point after it. */
  private Point finalise(Sym s, String consumer) throws OnnxFormatException {
    if (s instanceof Point p) {
      return p;
    }
    Point done = finalised.get(s);
    if (done != null) {
      return done;
    }
    Affine a;
    Activation act;
    if (s instanceof Affine f) {
      a = f;
      act = Activation.IDENTITY;
    } else if (s instanceof Expr e) {
      Affine linear = linear(e);
      a = linear != null ? linear : e.base();
      act = linear != null ? Activation.IDENTITY : identify(e);
    } else if (s instanceof Centred) {
      throw new OnnxFormatException(file + ": " + consumer + " reads the input minus its mean without the"
          + " division by its scale; Topiary's standardisation is (x - mean) / scale");
    } else {
      throw new OnnxFormatException(file + ": " + consumer + " reads a constant or a softmax where it needs a"
          + " layer's output");
    }
    if (a.from() != items.size()) {
      throw new OnnxFormatException(file + ": " + a.node() + " is used after later layers; only a chain of"
          + " layers with residual Adds is supported");
    }
    items.add(new DenseLayer(a.in(), a.out(), a.weight(), a.bias(), act));
    Point p = new Point(items.size());
    finalised.put(s, p);
    return p;
  }

  /**
   * When the expression is no activation but an affine map u·z + v of the pre-activation (a single-output
   * regression model's output standardisation, say), the layer with u and v folded in; else null.
   */
  private static Affine linear(Expr e) {
    double v = e.term().at(0);
    double u = e.term().at(1) - v;
    if (u == 1 && v == 0) {
      return null; // the identity: identify() names it
    }
    for (int i = 0; i <= 800; i++) {
      double z = -8 + i * 0.02;
      double want = u * z + v;
      if (!(Math.abs(e.term().at(z) - want) <= TOLERANCE * (1 + Math.abs(want)))) {
        return null;
      }
    }
    Affine f = e.base();
    float[] w = f.weight().clone();
    float[] b = f.bias().clone();
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) (w[k] * u);
    }
    for (int j = 0; j < b.length; j++) {
      b[j] = (float) (b[j] * u + v);
    }
    return new Affine(f.in(), f.out(), w, b, f.from(), f.node());
  }

  private Activation identify(Expr e) throws OnnxFormatException {
    double worstBest = Double.POSITIVE_INFINITY;
    for (Activation act : Activation.values()) {
      double worst = 0;
      for (int i = 0; i <= 800 && worst <= TOLERANCE; i++) {
        double z = -8 + i * 0.02;
        double want = act.apply(z);
        double got = e.term().at(z);
        double d = Math.abs(got - want) / (1 + Math.abs(want));
        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
      }
      if (worst <= TOLERANCE) {
        return act;
      }
      worstBest = Math.min(worstBest, worst);
    }
    throw new OnnxFormatException(file + ": " + e.node() + " ends an element-wise function of "
        + e.base().node() + " that is none of Topiary's activations (identity, relu, leaky_relu with slope"
        + " 0.01, tanh, sigmoid, gelu in its tanh form, silu); the closest differs by "
        + String.format(java.util.Locale.ROOT, "%.2g", worstBest));
  }

  private OnnxFormatException refuse(OnnxGraph.Node n, String why) {
    return new OnnxFormatException(file + ": " + n.describe() + " " + why);
  }

  private static long attr(OnnxGraph.Node n, String name, long fallback) {
    OnnxGraph.Attribute a = n.attributes().get(name);
    return a == null ? fallback : a.i();
  }

  private static float fattr(OnnxGraph.Node n, String name, float fallback) {
    OnnxGraph.Attribute a = n.attributes().get(name);
    return a == null ? fallback : a.f();
  }
}
