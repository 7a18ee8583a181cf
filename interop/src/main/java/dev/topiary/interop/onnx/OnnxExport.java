package dev.topiary.interop.onnx;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Topiary {@link Network} as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}),
 * so that ONNX Runtime and other serving stacks run it. The graph computes exactly what the network's
 * batched inference computes, on raw inputs:
 *
 * <ul>
 *   <li>input {@code input}, float [batch, inputs];
 *   <li>the input standardisation as {@code Sub} and {@code Div} by {@code input_scaling.mean} and
 *       {@code input_scaling.scale};
 *   <li>each dense layer as {@code Gemm} (transB = 1) with {@code layers.i.weight} [out, in] and
 *       {@code layers.i.bias} [out] — the same names as the safetensors file — then its activation:
 *       {@code Relu}, {@code LeakyRelu} (α = 0.01), {@code Tanh}, {@code Sigmoid}, SiLU as
 *       {@code Mul(z, Sigmoid(z))} and GELU in its tanh form 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))
 *       from elementary operators (opset 17 has no {@code Gelu});
 *   <li>each residual block h ↦ h + f(h) as its chain of layers and an {@code Add};
 *   <li>outputs: {@code logits} [batch, classes] and, when asked for, {@code probabilities} (a
 *       {@code Softmax} over axis 1) for a classifier; {@code output} [batch, outputs] in the target's raw
 *       units for a regression model (its output standardisation as {@code Mul} and {@code Add}).
 * </ul>
 *
 * <p>The model's {@code metadata_props} carry the caller's metadata (Topiary writes the task, the class
 * labels and the feature names there, so that {@link OnnxImport} can read them back).
 */
public final class OnnxExport {

  /** The operator set written. */
  public static final int OPSET = 17;
  /** The ONNX IR version written (the one that goes with opset 17). */
  public static final int IR_VERSION = 8;
  /** Name of the graph input. */
  public static final String INPUT = "input";
  /** Name of a classifier's logits output. */
  public static final String LOGITS = "logits";
  /** Name of a classifier's optional probabilities output. */
  public static final String PROBABILITIES = "probabilities";
  /** Name of a regression model's output. */
  public static final String OUTPUT = "output";

  private static final int FLOAT = 1;

  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final Map<String, Float> scalars = new LinkedHashMap<>();
  private int counter;

  private OnnxExport() {}

  /**
   * The ONNX encoding of {@code network}.
   *
   * @param probabilities for a classifier, add the {@code probabilities} output
   * @param metadata written as the model's {@code metadata_props}
   */
  public static byte[] encode(Network network, boolean probabilities, Map<String, String> metadata) {
    return new OnnxExport().model(network, probabilities, metadata);
  }

  /**
   * Writes {@link #encode} to {@code file} through a temporary file renamed over it, so an existing file is
   * replaced whole or not at all.
   */
  public static void write(Network network, Path file, boolean probabilities, Map<String, String> metadata)
      throws IOException {
    byte[] bytes = encode(network, probabilities, metadata);
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private byte[] model(Network net, boolean probabilities, Map<String, String> metadata) {
    boolean classify = net.task().isClassification();
    String h = INPUT;
    Standardization in = net.inputScaling();
    if (in != null) {
      initializer("input_scaling.mean", new long[] {in.columns()}, in.mean());
      initializer("input_scaling.scale", new long[] {in.columns()}, in.scale());
      h = node("Sub", "input_scaling.centred", h, "input_scaling.mean");
      h = node("Div", "input_scaling.out", h, "input_scaling.scale");
    }
    List<Layer> layers = net.layers();
    for (int i = 0; i < layers.size(); i++) {
      boolean last = i == layers.size() - 1;
      if (layers.get(i) instanceof DenseLayer d) {
        String name = last ? (classify ? LOGITS : net.outputScaling() == null ? OUTPUT : "output.standardised")
            : "layers." + i + ".out";
        h = dense(d, "layers." + i, h, name);
      } else {
        List<DenseLayer> f = ((ResidualBlock) layers.get(i)).layers();
        String g = h;
        for (int j = 0; j < f.size(); j++) {
          String prefix = "layers." + i + ".f." + j;
          g = dense(f.get(j), prefix, g, prefix + ".out");
        }
        h = node("Add", "layers." + i + ".out", h, g);
      }
    }
    Standardization outScaling = net.outputScaling();
    if (outScaling != null) {
      initializer("output_scaling.mean", new long[] {outScaling.columns()}, outScaling.mean());
      initializer("output_scaling.scale", new long[] {outScaling.columns()}, outScaling.scale());
      h = node("Mul", "output.scaled", h, "output_scaling.scale");
      h = node("Add", OUTPUT, h, "output_scaling.mean");
    }
    int outputs = net.outputSize();
    List<ProtoWriter> outs = new ArrayList<>();
    outs.add(valueInfo(classify ? LOGITS : OUTPUT, outputs));
    if (classify && probabilities) {
      nodes.add(nodeProto("Softmax", List.of(LOGITS), PROBABILITIES).message(5, intAttribute("axis", 1)));
      outs.add(valueInfo(PROBABILITIES, outputs));
    }
    for (Map.Entry<String, Float> s : scalars.entrySet()) {
      initializer(s.getKey(), new long[0], new float[] {s.getValue()});
    }

    ProtoWriter graph = new ProtoWriter();
    for (ProtoWriter n : nodes) {
      graph.message(1, n);
    }
    graph.string(2, "topiary");
    for (ProtoWriter t : initializers) {
      graph.message(5, t);
    }
    graph.message(11, valueInfo(INPUT, net.inputSize()));
    for (ProtoWriter o : outs) {
      graph.message(12, o);
    }
    ProtoWriter model = new ProtoWriter()
        .varint(1, IR_VERSION)
        .string(2, "topiary")
        .string(3, "0.1.0")
        .message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(metadata).entrySet()) {
      model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
    }
    return model.toByteArray();
  }

  /** Gemm then the activation; the last node writes {@code out}. */
  private String dense(DenseLayer d, String prefix, String x, String out) {
    initializer(prefix + ".weight", new long[] {d.outputSize(), d.inputSize()}, d.weight());
    initializer(prefix + ".bias", new long[] {d.outputSize()}, d.bias());
    Activation a = d.activation();
    String z = a == Activation.IDENTITY ? out : prefix + ".z";
    nodes.add(nodeProto("Gemm", List.of(x, prefix + ".weight", prefix + ".bias"), z)
        .message(5, intAttribute("transB", 1)));
    switch (a) {
      case IDENTITY -> { }
      case RELU -> node("Relu", out, z);
      case TANH -> node("Tanh", out, z);
      case SIGMOID -> node("Sigmoid", out, z);
      case LEAKY_RELU -> nodes.add(nodeProto("LeakyRelu", List.of(z), out)
          .message(5, floatAttribute("alpha", Activation.LEAKY_SLOPE)));
      case SILU -> node("Mul", out, z, node("Sigmoid", prefix + ".sigmoid", z));
      case GELU -> {
        // 0.5·z·(1 + tanh(c·(z + a·z³))), as PyTorch's GELU(approximate="tanh") is exported.
        String z3 = node("Mul", prefix + ".z3", node("Mul", prefix + ".z2", z, z), z);
        String inner = node("Add", prefix + ".inner", z, node("Mul", prefix + ".az3", z3,
            scalar("gelu.a", (float) Activation.GELU_A)));
        String t = node("Tanh", prefix + ".tanh", node("Mul", prefix + ".u", inner,
            scalar("gelu.c", (float) Activation.GELU_C)));
        String half = node("Mul", prefix + ".half_z", z, scalar("half", 0.5f));
        node("Mul", out, half, node("Add", prefix + ".one_plus", t, scalar("one", 1f)));
      }
      default -> throw new AssertionError(a);
    }
    return out;
  }

  private String scalar(String name, float value) {
    scalars.put(name, value);
    return name;
  }

  private String node(String op, String out, String... inputs) {
    nodes.add(nodeProto(op, List.of(inputs), out));
    return out;
  }

  private ProtoWriter nodeProto(String op, List<String> inputs, String out) {
    ProtoWriter n = new ProtoWriter();
    for (String i : inputs) {
      n.string(1, i);
    }
    n.string(2, out);
    n.string(3, op + "_" + counter++);
    n.string(4, op);
    return n;
  }

  private static ProtoWriter intAttribute(String name, long value) {
    return new ProtoWriter().string(1, name).varint(3, value).varint(20, 2);
  }

  private static ProtoWriter floatAttribute(String name, float value) {
    return new ProtoWriter().string(1, name).float32(2, value).varint(20, 1);
  }

  private void initializer(String name, long[] dims, float[] data) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, FLOAT);
    t.string(8, name);
    ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    t.bytes(9, b.array());
    initializers.add(t);
  }

  private static ProtoWriter valueInfo(String name, int width) {
    ProtoWriter shape = new ProtoWriter()
        .message(1, new ProtoWriter().string(2, "batch"))
        .message(1, new ProtoWriter().varint(1, width));
    ProtoWriter tensor = new ProtoWriter().varint(1, FLOAT).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
  }
}
