package dev.topiary.interop.torch;

import dev.topiary.core.json.Json;
import dev.topiary.core.json.JsonException;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain PyTorch state dict of a multilayer perceptron, plain or residual, saved as safetensors
 * ({@code safetensors.torch.save_file(model.state_dict(), path)}), into a Topiary {@link Network}: the
 * topology is inferred from the tensors' names and shapes.
 *
 * <p>The names follow one module list, PREFIX (such as {@code layers} for a {@code ModuleList}, or none
 * for an {@code nn.Sequential} saved directly), whose entry N is either
 *
 * <ul>
 *   <li>a linear layer: {@code PREFIX.N.weight} [out, in] and {@code PREFIX.N.bias} [out]; or
 *   <li>a residual block h ↦ h + f(h): {@code PREFIX.N.f.J.weight} and {@code PREFIX.N.f.J.bias} for the
 *       one or two linear layers J of its branch {@code f} (a {@code ModuleList} or a {@code Sequential}),
 *       the first reading and the last writing the block's width.
 * </ul>
 *
 * These are the names of Topiary's own model files and of {@code python/topiary_torch.py}'s modules. N and
 * J are read in increasing order and need not be consecutive (a {@code Sequential}'s activations take
 * indices); a missing bias is zero. Optionally {@code input_scaling.mean} and {@code input_scaling.scale}
 * [inputs] standardise the input, x ↦ (x − mean)/scale, and {@code output_scaling.mean} and
 * {@code output_scaling.scale} [outputs] map a regression model's outputs back, y ↦ y·scale + mean.
 *
 * <p>Activations are not in a state dict; they follow Topiary's residual networks
 * ({@link Network#residual}): the given activation after every linear layer outside the blocks but the
 * last (which is linear: logits or values), after a one-layer block's layer, and after the first layer of
 * a two-layer block, whose second layer is linear. The last entry must be a linear layer.
 *
 * <p>F32, F64 and BF16/F16 tensors are read (converted to float). Anything else — a tensor with another
 * name, an entry that is both a layer and a block, a block of more than two layers, widths that do not
 * connect — is refused with a {@link StateDictException} naming the tensor.
 */
public final class StateDictImport {

  private static final Pattern BLOCK = Pattern.compile("^(?:(.*)\\.)?(\\d+)\\.f\\.(\\d+)\\.(weight|bias)$");
  private static final Pattern LAYER = Pattern.compile("^(?:(.*)\\.)?(\\d+)\\.(weight|bias)$");
  private static final long MAX_HEADER = 16L << 20;

  private StateDictImport() {}

  /** A linear layer found in the file: its tensor name stem ({@code layers.3}), input and output widths. */
  private record Linear(String name, int in, int out) {}

  /** An entry of the module list: one linear layer, or the one or two layers of a residual block's f. */
  private record Entry(int index, boolean block, List<Linear> layers) {
    int in() {
      return layers.get(0).in();
    }

    int out() {
      return layers.get(layers.size() - 1).out();
    }
  }

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
    List<Entry> entries = entries(file, shapes);
    return entries.get(entries.size() - 1).out();
  }

  static Network build(Path file, Map<String, float[]> data, Map<String, long[]> shapes, Activation activation,
      Task task) throws StateDictException {
    List<Entry> entries = entries(file, shapes);
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (!e.block()) {
        layers.add(dense(data, e.layers().get(0), i == entries.size() - 1 ? Activation.IDENTITY : activation));
        continue;
      }
      List<DenseLayer> f = new ArrayList<>();
      for (int j = 0; j < e.layers().size(); j++) {
        boolean linear = j == 1; // a two-layer block ends linear; a one-layer block's layer is activated
        f.add(dense(data, e.layers().get(j), linear ? Activation.IDENTITY : activation));
      }
      layers.add(new ResidualBlock(f));
    }
    Entry last = entries.get(entries.size() - 1);
    int inputs = entries.get(0).in();
    int outputs = last.out();
    if (task.outputs() != outputs) {
      throw new StateDictException(file + ": the last layer (" + last.layers().get(0).name() + ") writes "
          + outputs + " outputs, the task needs " + task.outputs() + (task.isClassification() ? " classes" : ""));
    }
    Standardization in = scaling(file, data, "input_scaling", inputs, "inputs");
    Standardization out = scaling(file, data, "output_scaling", outputs, "outputs");
    if (out != null && task.isClassification()) {
      throw new StateDictException(file + ": output_scaling.* maps a regression model's outputs back to the"
          + " target's units; a classifier has none (pass --task regression if the model is one)");
    }
    return new Network(inputs, layers, task, in, out);
  }

  private static DenseLayer dense(Map<String, float[]> data, Linear l, Activation activation) {
    float[] bias = data.containsKey(l.name() + ".bias") ? data.get(l.name() + ".bias") : new float[l.out()];
    return new DenseLayer(l.in(), l.out(), data.get(l.name() + ".weight"), bias, activation);
  }

  /** {@code NAME.mean} and {@code NAME.scale} as a standardisation of {@code width} columns, or null. */
  private static Standardization scaling(Path file, Map<String, float[]> data, String name, int width,
      String what) throws StateDictException {
    float[] mean = data.get(name + ".mean");
    float[] scale = data.get(name + ".scale");
    if (mean == null && scale == null) {
      return null;
    }
    if (mean == null || scale == null || mean.length != width || scale.length != width) {
      throw new StateDictException(file + ": " + name + ".mean and " + name + ".scale must both be vectors"
          + " of the " + width + " " + what);
    }
    try {
      return new Standardization(mean, scale);
    } catch (IllegalArgumentException e) {
      throw new StateDictException(file + ": " + name + ": " + e.getMessage());
    }
  }

  private static boolean isScaling(String name) {
    return name.equals("input_scaling.mean") || name.equals("input_scaling.scale")
        || name.equals("output_scaling.mean") || name.equals("output_scaling.scale");
  }

  /** The module list's entries in index order, checked to connect. */
  private static List<Entry> entries(Path file, Map<String, long[]> shapes) throws StateDictException {
    String prefix = null;
    String prefixFrom = null;
    // index -> (inner index, or -1 for a plain layer) -> "weight"/"bias" -> tensor name
    TreeMap<Integer, TreeMap<Integer, Map<String, String>>> found = new TreeMap<>();
    for (String name : shapes.keySet()) {
      if (isScaling(name)) {
        continue;
      }
      Matcher m = BLOCK.matcher(name);
      boolean block = m.matches();
      if (!block) {
        m = LAYER.matcher(name);
        if (!m.matches()) {
          throw new StateDictException(file + ": tensor " + name + " is not a linear layer's weight or bias"
              + " (PREFIX.N.weight, PREFIX.N.f.J.weight for a residual block) nor input_scaling.* or"
              + " output_scaling.*; only plain and residual MLPs are imported (see docs/pytorch.md)");
        }
      }
      String p = m.group(1) == null ? "" : m.group(1);
      if (prefix == null) {
        prefix = p;
        prefixFrom = name;
      } else if (!prefix.equals(p)) {
        throw new StateDictException(file + ": tensor " + name + " has the prefix '" + p + "', but " + prefixFrom
            + " has '" + prefix + "'; the layers and blocks must be entries of one module list");
      }
      int index = Integer.parseInt(m.group(2));
      int inner = block ? Integer.parseInt(m.group(3)) : -1;
      String kind = m.group(block ? 4 : 3);
      TreeMap<Integer, Map<String, String>> entry = found.computeIfAbsent(index, k -> new TreeMap<>());
      if (!entry.isEmpty() && (entry.firstKey() < 0) != (inner < 0)) {
        String other = entry.firstEntry().getValue().values().iterator().next();
        throw new StateDictException(file + ": tensor " + name + " makes entry " + index + " "
            + (block ? "a residual block" : "a linear layer") + ", but " + other + " makes it "
            + (block ? "a linear layer" : "a residual block"));
      }
      entry.computeIfAbsent(inner, k -> new TreeMap<>()).put(kind, name);
    }
    if (found.isEmpty()) {
      throw new StateDictException(file + ": no layer weights (PREFIX.N.weight) found");
    }
    List<Entry> out = new ArrayList<>();
    int width = -1;
    for (Map.Entry<Integer, TreeMap<Integer, Map<String, String>>> e : found.entrySet()) {
      boolean block = e.getValue().firstKey() >= 0;
      if (block && e.getValue().size() > 2) {
        Map<String, String> third = new ArrayList<>(e.getValue().values()).get(2);
        throw new StateDictException(file + ": tensor " + third.values().iterator().next() + " is a third layer"
            + " in residual block " + e.getKey() + "; Topiary's blocks hold one or two layers");
      }
      List<Linear> layers = new ArrayList<>();
      for (Map<String, String> t : e.getValue().values()) {
        Linear l = linear(file, shapes, t);
        if (width >= 0 && l.in() != width) {
          throw new StateDictException(file + ": " + l.name() + ".weight reads " + l.in() + " values but the"
              + " layer before writes " + width);
        }
        layers.add(l);
        width = l.out();
      }
      Entry entry = new Entry(e.getKey(), block, layers);
      if (block && entry.out() != entry.in()) {
        throw new StateDictException(file + ": " + entry.layers().get(layers.size() - 1).name() + ".weight writes "
            + entry.out() + " values, but residual block " + e.getKey() + " reads " + entry.in()
            + "; a block must end at its input width");
      }
      out.add(entry);
    }
    Entry last = out.get(out.size() - 1);
    if (last.block()) {
      throw new StateDictException(file + ": the last entry, " + last.layers().get(0).name() + ", is a residual"
          + " block; the output must be a linear layer (PREFIX.N.weight)");
    }
    return out;
  }

  /** The layer of {@code t} ("weight"/"bias" to tensor names), its shapes checked. */
  private static Linear linear(Path file, Map<String, long[]> shapes, Map<String, String> t)
      throws StateDictException {
    String weight = t.get("weight");
    if (weight == null) {
      throw new StateDictException(file + ": " + t.get("bias") + " has no weight beside it");
    }
    String stem = weight.substring(0, weight.length() - ".weight".length());
    long[] w = shapes.get(weight);
    if (w.length != 2) {
      throw new StateDictException(file + ": " + weight + " has shape " + Arrays.toString(w)
          + "; a linear layer's weight is [out, in]");
    }
    long[] b = t.get("bias") == null ? null : shapes.get(t.get("bias"));
    if (b != null && (b.length != 1 || b[0] != w[0])) {
      throw new StateDictException(file + ": " + stem + ".bias has shape " + Arrays.toString(b)
          + ", the weight needs [" + w[0] + "]");
    }
    return new Linear(stem, (int) w[1], (int) w[0]);
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
