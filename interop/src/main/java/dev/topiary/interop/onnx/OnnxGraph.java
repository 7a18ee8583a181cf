package dev.topiary.interop.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} that a dense network needs, decoded from the wire format: the
 * nodes in order with their attributes, the float initializers, the graph's inputs and outputs, the
 * operator set and the metadata. Fields Topiary does not use are skipped.
 */
final class OnnxGraph {

  /** A tensor: its shape and, for float tensors, its values (null for other element types). */
  record Tensor(String name, long[] dims, int dataType, float[] values) {

    long elements() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  /** A node attribute; the unused fields are 0 or null. */
  record Attribute(String name, float f, long i, String s, Tensor t) {}

  /** A node: operator, inputs, outputs and attributes. */
  record Node(String name, String op, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attribute> attributes) {

    /** How messages name this node: its name, else its first output, with the operator. */
    String describe() {
      String n = name != null && !name.isEmpty() ? name : outputs.isEmpty() ? "?" : outputs.get(0);
      return "node '" + n + "' (" + op + ")";
    }
  }

  final List<Node> nodes = new ArrayList<>();
  final Map<String, Tensor> initializers = new LinkedHashMap<>();
  final List<String> inputs = new ArrayList<>();
  final List<String> outputs = new ArrayList<>();
  final Map<String, String> metadata = new LinkedHashMap<>();
  long opset = -1;

  static OnnxGraph parse(byte[] bytes, Path file) throws OnnxFormatException {
    OnnxGraph g = new OnnxGraph();
    ProtoReader m = new ProtoReader(bytes);
    boolean sawGraph = false;
    while (m.next()) {
      switch (m.field()) {
        case 7 -> { g.graph(m.message()); sawGraph = true; }
        case 8 -> {
          ProtoReader o = m.message();
          String domain = "";
          long version = -1;
          while (o.next()) {
            if (o.field() == 1) {
              domain = o.string();
            } else if (o.field() == 2) {
              version = o.varint();
            } else {
              o.skip();
            }
          }
          if (domain.isEmpty() || domain.equals("ai.onnx")) {
            g.opset = version;
          }
        }
        case 14 -> {
          ProtoReader e = m.message();
          String k = null;
          String v = null;
          while (e.next()) {
            if (e.field() == 1) {
              k = e.string();
            } else if (e.field() == 2) {
              v = e.string();
            } else {
              e.skip();
            }
          }
          if (k != null) {
            g.metadata.put(k, v == null ? "" : v);
          }
        }
        default -> m.skip();
      }
    }
    if (!sawGraph) {
      throw new OnnxFormatException(file + ": not an ONNX model (no graph)");
    }
    return g;
  }

  private void graph(ProtoReader r) throws OnnxFormatException {
    while (r.next()) {
      switch (r.field()) {
        case 1 -> nodes.add(node(r.message()));
        case 5 -> {
          Tensor t = tensor(r.message());
          initializers.put(t.name(), t);
        }
        case 11 -> inputs.add(valueInfoName(r.message()));
        case 12 -> outputs.add(valueInfoName(r.message()));
        default -> r.skip();
      }
    }
  }

  private static String valueInfoName(ProtoReader r) throws OnnxFormatException {
    String name = "";
    while (r.next()) {
      if (r.field() == 1) {
        name = r.string();
      } else {
        r.skip();
      }
    }
    return name;
  }

  private static Node node(ProtoReader r) throws OnnxFormatException {
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = null;
    String op = null;
    String domain = "";
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> in.add(r.string());
        case 2 -> out.add(r.string());
        case 3 -> name = r.string();
        case 4 -> op = r.string();
        case 5 -> {
          Attribute a = attribute(r.message());
          attributes.put(a.name(), a);
        }
        case 7 -> domain = r.string();
        default -> r.skip();
      }
    }
    if (op == null) {
      throw new OnnxFormatException("a node " + (name == null ? "" : "'" + name + "' ") + "has no operator");
    }
    return new Node(name, op, domain, in, out, attributes);
  }

  private static Attribute attribute(ProtoReader r) throws OnnxFormatException {
    String name = "";
    float f = 0;
    long i = 0;
    String s = null;
    Tensor t = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = r.string();
        case 2 -> f = r.float32();
        case 3 -> i = r.varint();
        case 4 -> s = r.string();
        case 5 -> t = tensor(r.message());
        default -> r.skip();
      }
    }
    return new Attribute(name, f, i, s, t);
  }

  private static Tensor tensor(ProtoReader r) throws OnnxFormatException {
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    float[] floatData = null;
    byte[] raw = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          for (long d : r.varints()) {
            dims.add(d);
          }
        }
        case 2 -> type = (int) r.varint();
        case 4 -> {
          float[] more = r.floats();
          floatData = floatData == null ? more : concat(floatData, more);
        }
        case 8 -> name = r.string();
        case 9 -> raw = r.bytes();
        case 14 -> throw new OnnxFormatException("tensor '" + name + "' keeps its data in an external file;"
            + " save the model with its weights inside the .onnx file");
        default -> r.skip();
      }
    }
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();
    long n = 1;
    for (long x : d) {
      if (x < 0 || x > Integer.MAX_VALUE) {
        throw new OnnxFormatException("tensor '" + name + "' has dimension " + x);
      }
      n *= x;
      if (n > Integer.MAX_VALUE - 8) {
        throw new OnnxFormatException("tensor '" + name + "' is larger than a Java array can hold");
      }
    }
    float[] values = null;
    if (type == 1) {
      if (raw != null) {
        if (raw.length != 4 * n) {
          throw new OnnxFormatException("tensor '" + name + "' holds " + raw.length + " bytes, its shape "
              + java.util.Arrays.toString(d) + " needs " + 4 * n);
        }
        values = new float[(int) n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      } else {
        values = floatData == null ? new float[0] : floatData;
        if (values.length != n) {
          throw new OnnxFormatException("tensor '" + name + "' holds " + values.length + " floats, its shape "
              + java.util.Arrays.toString(d) + " needs " + n);
        }
      }
    }
    return new Tensor(name, d, type, values);
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
