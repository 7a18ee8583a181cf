package dev.topiary.interop.torch;

import dev.topiary.core.json.Json;
import dev.topiary.core.json.JsonException;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain PyTorch state dict of a multilayer perceptron, saved as safetensors
 * ({@code safetensors.torch.save_file(model.state_dict(), path)}), into a Topiary {@link Network}: the
 * topology is inferred from the tensors' names and shapes.
 *
 * <ul>
 *   <li>Linear layers named {@code PREFIX.N.weight} [out, in] and {@code PREFIX.N.bias} [out], with one
 *       common PREFIX (such as {@code layers}, as in a {@code ModuleList}, or none, as in an
 *       {@code nn.Sequential} saved directly: {@code 0.weight}, {@code 2.weight}, ...); N need not be
 *       consecutive (a {@code Sequential}'s activations take indices); a missing bias is zero;
 *   <li>optionally {@code input_scaling.mean} and {@code input_scaling.scale} [inputs]: x ↦ (x − mean)/scale;
 *   <li>every layer but the last gets the given activation; the last is linear (logits or values).
 * </ul>
 * F32, F64 and BF16/F16 tensors are read (converted to float). Anything else in the file — a tensor with
 * another name, widths that do not connect — is refused with a {@link StateDictException} naming it.
 */
public final class StateDictImport {

  private static final Pattern LAYER = Pattern.compile("^(?:(.*)\\.)?(\\d+)\\.(weight|bias)$");
  private static final long MAX_HEADER = 16L << 20;

  private StateDictImport() {}

  /**
   * Reads {@code file}.
   *
   * @param activation the hidden layers' activation (a state dict does not record it)
   * @param task the task; its output count must be the last layer's width
   * @throws StateDictException naming the tensor or the shape at fault
   * @throws IOException if the file cannot be read
   */
  public static Network read(Path file, Activation activation, Task task) throws IOException {
    Map<String, float[]> data = new TreeMap<>();
    Map<String, long[]> shapes = new TreeMap<>();
    readTensors(file, data, shapes);
    return build(file, data, shapes, activation, task);
  }

  /** The output width of the state dict in {@code file}: the last layer's rows. */
  public static int outputs(Path file) throws IOException {
    Map<String, float[]> data = new TreeMap<>();
    Map<String, long[]> shapes = new TreeMap<>();
    readTensors(file, data, shapes);
    List<int[]> layers = layers(file, shapes);
    return layers.get(layers.size() - 1)[2];
  }

  static Network build(Path file, Map<String, float[]> data, Map<String, long[]> shapes, Activation activation,
      Task task) throws StateDictException {
    List<int[]> layers = layers(file, shapes);
    String prefix = prefix(shapes);
    List<DenseLayer> dense = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      int[] l = layers.get(i);
      String name = (prefix.isEmpty() ? "" : prefix + ".") + l[0];
      float[] bias = data.containsKey(name + ".bias") ? data.get(name + ".bias") : new float[l[2]];
      dense.add(new DenseLayer(l[1], l[2], data.get(name + ".weight"), bias,
          i == layers.size() - 1 ? Activation.IDENTITY : activation));
    }
    int inputs = layers.get(0)[1];
    int outputs = layers.get(layers.size() - 1)[2];
    if (task.outputs() != outputs) {
      throw new StateDictException(file + ": the last layer (" + prefix + (prefix.isEmpty() ? "" : ".")
          + layers.get(layers.size() - 1)[0] + ") writes " + outputs + " outputs, the task needs "
          + task.outputs() + (task.isClassification() ? " classes" : ""));
    }
    Standardization scaling = null;
    if (data.containsKey("input_scaling.mean") || data.containsKey("input_scaling.scale")) {
      float[] mean = data.get("input_scaling.mean");
      float[] scale = data.get("input_scaling.scale");
      if (mean == null || scale == null || mean.length != inputs || scale.length != inputs) {
        throw new StateDictException(file + ": input_scaling.mean and input_scaling.scale must both be vectors"
            + " of the " + inputs + " inputs");
      }
      try {
        scaling = new Standardization(mean, scale);
      } catch (IllegalArgumentException e) {
        throw new StateDictException(file + ": input_scaling: " + e.getMessage());
      }
    }
    return new Network(inputs, dense, task, scaling, null);
  }

  /** The common name prefix of the layer tensors ("" for a bare Sequential). */
  private static String prefix(Map<String, long[]> shapes) {
    for (String name : shapes.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.matches()) {
        return m.group(1) == null ? "" : m.group(1);
      }
    }
    return "";
  }

  /** Each layer as {index, in, out}, in index order, checked to connect. */
  private static List<int[]> layers(Path file, Map<String, long[]> shapes) throws StateDictException {
    String prefix = null;
    TreeMap<Integer, long[]> weights = new TreeMap<>();
    TreeMap<Integer, long[]> biases = new TreeMap<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      String name = e.getKey();
      if (name.equals("input_scaling.mean") || name.equals("input_scaling.scale")) {
        continue;
      }
      Matcher m = LAYER.matcher(name);
      if (!m.matches()) {
        throw new StateDictException(file + ": tensor " + name + " is not a linear layer's weight or bias"
            + " (PREFIX.N.weight / PREFIX.N.bias) nor input_scaling.*; only plain MLPs are imported");
      }
      String p = m.group(1) == null ? "" : m.group(1);
      if (prefix == null) {
        prefix = p;
      } else if (!prefix.equals(p)) {
        throw new StateDictException(file + ": tensor " + name + " has the prefix '" + p + "', others '" + prefix
            + "'; a plain MLP keeps its layers in one list");
      }
      int index = Integer.parseInt(m.group(2));
      (m.group(3).equals("weight") ? weights : biases).put(index, e.getValue());
    }
    if (weights.isEmpty()) {
      throw new StateDictException(file + ": no layer weights (PREFIX.N.weight) found");
    }
    for (Integer b : biases.keySet()) {
      if (!weights.containsKey(b)) {
        throw new StateDictException(file + ": layer " + b + " has a bias but no weight");
      }
    }
    List<int[]> out = new ArrayList<>();
    int width = -1;
    for (Map.Entry<Integer, long[]> e : weights.entrySet()) {
      long[] w = e.getValue();
      String where = (prefix.isEmpty() ? "" : prefix + ".") + e.getKey();
      if (w.length != 2) {
        throw new StateDictException(file + ": " + where + ".weight has shape " + java.util.Arrays.toString(w)
            + "; a linear layer's weight is [out, in]");
      }
      long[] b = biases.get(e.getKey());
      if (b != null && (b.length != 1 || b[0] != w[0])) {
        throw new StateDictException(file + ": " + where + ".bias has shape " + java.util.Arrays.toString(b)
            + ", the weight needs [" + w[0] + "]");
      }
      if (width >= 0 && w[1] != width) {
        throw new StateDictException(file + ": " + where + ".weight reads " + w[1] + " values but the layer"
            + " before writes " + width);
      }
      out.add(new int[] {e.getKey(), (int) w[1], (int) w[0]});
      width = (int) w[0];
    }
    return out;
  }

  /** Reads every tensor of a safetensors file, checking the header against the file before allocating. */
  static void readTensors(Path file, Map<String, float[]> data, Map<String, long[]> shapes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new StateDictException(file + ": " + size + " bytes, too short for a safetensors file");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0, file);
      long n = len.getLong(0);
      if (n < 2 || n > MAX_HEADER || n > size - 8) {
        throw new StateDictException(file + ": header length " + Long.toUnsignedString(n) + " does not fit the"
            + " file's " + size + " bytes; not a safetensors file");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) n);
      readFully(ch, hb, 8, file);
      Object header;
      try {
        header = Json.parse(new String(hb.array(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (JsonException e) {
        throw new StateDictException(file + ": the header is not JSON: " + e.getMessage());
      }
      if (!(header instanceof Map<?, ?> h)) {
        throw new StateDictException(file + ": the header is not a JSON object");
      }
      long dataStart = 8 + n;
      long dataSize = size - dataStart;
      for (Map.Entry<?, ?> e : h.entrySet()) {
        String name = (String) e.getKey();
        if (name.equals("__metadata__")) {
          continue;
        }
        if (!(e.getValue() instanceof Map<?, ?> t) || !(t.get("dtype") instanceof String dtype)
            || !(t.get("shape") instanceof List<?> shape) || !(t.get("data_offsets") instanceof List<?> off)
            || off.size() != 2) {
          throw new StateDictException(file + ": tensor " + name + ": header entry needs dtype, shape and"
              + " data_offsets");
        }
        long[] dims = new long[shape.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
          if (!(shape.get(i) instanceof Long d) || d < 0) {
            throw new StateDictException(file + ": tensor " + name + ": shape " + shape + " is not valid");
          }
          dims[i] = d;
          elements *= d;
          if (elements > Integer.MAX_VALUE - 8) {
            throw new StateDictException(file + ": tensor " + name + " is larger than a Java array can hold");
          }
        }
        int width = switch (dtype) {
          case "F32" -> 4;
          case "F64" -> 8;
          case "F16", "BF16" -> 2;
          default -> throw new StateDictException(file + ": tensor " + name + ": dtype " + dtype
              + " is not a floating-point type Topiary reads (F32, F64, F16, BF16)");
        };
        if (!(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end) || begin < 0
            || end < begin || end > dataSize || end - begin != width * elements) {
          throw new StateDictException(file + ": tensor " + name + ": data_offsets " + off + " do not hold "
              + dtype + " " + shape + " inside the " + dataSize + "-byte data area");
        }
        ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, raw, dataStart + begin, file);
        raw.flip();
        float[] v = new float[(int) elements];
        for (int i = 0; i < v.length; i++) {
          v[i] = switch (dtype) {
            case "F32" -> raw.getFloat();
            case "F64" -> (float) raw.getDouble();
            case "BF16" -> Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
            default -> halfToFloat(raw.getShort());
          };
          if (!Float.isFinite(v[i])) {
            throw new StateDictException(file + ": tensor " + name + ": element " + i + " is " + v[i]);
          }
        }
        data.put(name, v);
        shapes.put(name, dims);
      }
    }
  }

  private static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0) {
      return Float.intBitsToFloat(sign) + (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new StateDictException(file + ": file ended at byte " + p);
      }
      p += r;
    }
  }
}
