package dev.topiary.core.io;

import dev.topiary.core.json.Json;
import dev.topiary.core.json.JsonException;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON that {@code topiary.topology} and {@code topiary.task} hold, both ways, and the tensors a
 * topology implies. Decoding checks every field and that the widths connect, so the tensor shapes it
 * derives can be trusted before any data is read.
 */
final class Topology {

  /** The largest tensor a layer may have: the largest Java array. */
  static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private Topology() {}

  /** A dense layer's shape and activation. */
  record Dense(int in, int out, Activation activation) {}

  /** One top-level layer: a dense layer (block null) or a residual block (dense null). */
  record Item(Dense dense, List<Dense> block) {}

  /** A decoded topology. */
  record Spec(int inputSize, List<Item> layers, boolean inputScaling, boolean outputScaling) {

    /** Every tensor the file must hold, in file order, with its shape. */
    Map<String, long[]> tensors(int outputs) {
      Map<String, long[]> t = new LinkedHashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        Item item = layers.get(i);
        if (item.dense() != null) {
          addDense(t, ModelFiles.layerName(i), item.dense());
        } else {
          for (int j = 0; j < item.block().size(); j++) {
            addDense(t, ModelFiles.blockLayerName(i, j), item.block().get(j));
          }
        }
      }
      if (inputScaling) {
        t.put(ModelFiles.INPUT_MEAN, new long[] {inputSize});
        t.put(ModelFiles.INPUT_SCALE, new long[] {inputSize});
      }
      if (outputScaling) {
        t.put(ModelFiles.OUTPUT_MEAN, new long[] {outputs});
        t.put(ModelFiles.OUTPUT_SCALE, new long[] {outputs});
      }
      return t;
    }

    private static void addDense(Map<String, long[]> t, String prefix, Dense d) {
      t.put(prefix + ".weight", new long[] {d.out(), d.in()});
      t.put(prefix + ".bias", new long[] {d.out()});
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  static String encode(Network n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", n.inputSize());
    List<Object> layers = new ArrayList<>();
    for (Layer l : n.layers()) {
      if (l instanceof DenseLayer d) {
        layers.add(encodeDense(d));
      } else {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "residual");
        List<Object> f = new ArrayList<>();
        for (DenseLayer d : ((ResidualBlock) l).layers()) {
          f.add(encodeDense(d));
        }
        r.put("layers", f);
        layers.add(r);
      }
    }
    m.put("layers", layers);
    m.put("input_scaling", n.inputScaling() != null);
    m.put("output_scaling", n.outputScaling() != null);
    return Json.write(m);
  }

  private static Map<String, Object> encodeDense(DenseLayer d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "dense");
    m.put("in", d.inputSize());
    m.put("out", d.outputSize());
    m.put("activation", d.activation().name().toLowerCase(Locale.ROOT));
    return m;
  }

  static String encodeTask(Task t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
    if (t.isClassification()) {
      m.put("labels", t.classLabels());
    } else {
      m.put("outputs", t.outputs());
    }
    return Json.write(m);
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  static Task decodeTask(String json, Path file) throws ModelFormatException {
    String where = "metadata " + ModelFiles.KEY_TASK;
    Map<String, Object> m = object(parse(json, where, file), where, file);
    String kind = string(m, "kind", where, file);
    if (kind.equals("classification")) {
      Object labels = m.get("labels");
      if (!(labels instanceof List<?> list)) {
        throw new ModelFormatException(file, where + ": \"labels\" must be an array of strings");
      }
      List<String> names = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new ModelFormatException(file, where + ": class label " + Topology.shown(o) + " is not a string");
        }
        if (names.contains(s)) {
          throw new ModelFormatException(file, where + ": class label " + Topology.shown(s) + " appears twice; "
              + "each output needs its own class");
        }
        names.add(s);
      }
      if (names.size() < 2) {
        throw new ModelFormatException(file,
            where + ": a classification task needs at least 2 class labels, found " + names.size());
      }
      return Task.classification(names);
    }
    if (kind.equals("regression")) {
      return Task.regression(integer(m, "outputs", where, file, 1, Integer.MAX_VALUE));
    }
    throw new ModelFormatException(file,
        where + ": unknown task kind \"" + kind + "\", expected \"classification\" or \"regression\"");
  }

  static Spec decode(String json, Path file) throws ModelFormatException {
    String where = "metadata " + ModelFiles.KEY_TOPOLOGY;
    Map<String, Object> m = object(parse(json, where, file), where, file);
    int input = integer(m, "input", where, file, 1, Integer.MAX_VALUE);
    List<?> list = nonEmptyList(m.get("layers"), where + ": \"layers\" must be a non-empty array", file);
    List<Item> items = new ArrayList<>();
    int width = input;
    for (int i = 0; i < list.size(); i++) {
      String at = where + ": layers[" + i + "]";
      Map<String, Object> l = object(list.get(i), at, file);
      String kind = string(l, "kind", at, file);
      if (kind.equals("dense")) {
        Dense d = dense(l, at, width, file);
        items.add(new Item(d, null));
        width = d.out();
      } else if (kind.equals("residual")) {
        List<?> f = nonEmptyList(l.get("layers"), at + ": a residual block needs a non-empty \"layers\" array",
            file);
        List<Dense> block = new ArrayList<>();
        int w = width;
        for (int j = 0; j < f.size(); j++) {
          String at2 = at + ".layers[" + j + "]";
          Map<String, Object> fl = object(f.get(j), at2, file);
          String k2 = string(fl, "kind", at2, file);
          if (!k2.equals("dense")) {
            throw new ModelFormatException(file, at2 + ": kind \"" + k2 + "\", a residual block holds dense layers only");
          }
          Dense d = dense(fl, at2, w, file);
          block.add(d);
          w = d.out();
        }
        if (w != width) {
          throw new ModelFormatException(file, at + ": a residual block must return to its width " + width
              + ", but its last layer writes " + w);
        }
        items.add(new Item(null, List.copyOf(block)));
      } else {
        throw new ModelFormatException(file,
            at + ": unknown layer kind \"" + kind + "\", expected \"dense\" or \"residual\"");
      }
    }
    if (items.get(items.size() - 1).dense() == null) {
      throw new ModelFormatException(file, where + ": the last layer must be dense, found a residual block");
    }
    return new Spec(input, List.copyOf(items), bool(m, "input_scaling", where, file),
        bool(m, "output_scaling", where, file));
  }

  private static Dense dense(Map<String, Object> l, String at, int width, Path file)
      throws ModelFormatException {
    int in = integer(l, "in", at, file, 1, Integer.MAX_VALUE);
    int out = integer(l, "out", at, file, 1, Integer.MAX_VALUE);
    if (in != width) {
      throw new ModelFormatException(file, at + ": reads " + in + " values but receives " + width);
    }
    if ((long) in * out > MAX_ELEMENTS) {
      throw new ModelFormatException(file,
          at + ": a " + out + " x " + in + " weight matrix is larger than a Java array can hold");
    }
    String act = string(l, "activation", at, file);
    try {
      return new Dense(in, out, Activation.parse(act));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, at + ": " + e.getMessage());
    }
  }

  private static Object parse(String json, String where, Path file) throws ModelFormatException {
    try {
      return Json.parse(json);
    } catch (JsonException e) {
      throw new ModelFormatException(file, where + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** {@code value} as a non-empty JSON array, else a format error with {@code message}. */
  private static List<?> nonEmptyList(Object value, String message, Path file) throws ModelFormatException {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new ModelFormatException(file, message);
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String where, Path file) throws ModelFormatException {
    if (!(o instanceof Map)) {
      throw new ModelFormatException(file, where + " must be a JSON object, found " + Topology.shown(o));
    }
    return (Map<String, Object>) o;
  }

  private static String string(Map<String, Object> m, String key, String where, Path file)
      throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof String s)) {
      throw new ModelFormatException(file, where + ": \"" + key + "\" must be a string, found "
          + (m.containsKey(key) ? Topology.shown(v) : "nothing"));
    }
    return s;
  }

  private static boolean bool(Map<String, Object> m, String key, String where, Path file)
      throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Boolean b)) {
      throw new ModelFormatException(file, where + ": \"" + key + "\" must be true or false, found "
          + (m.containsKey(key) ? Topology.shown(v) : "nothing"));
    }
    return b;
  }

  private static int integer(Map<String, Object> m, String key, String where, Path file, int min, int max)
      throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Long n) || n < min || n > max) {
      throw new ModelFormatException(file, where + ": \"" + key + "\" must be an integer in [" + min + ", "
          + max + "], found " + (m.containsKey(key) ? Json.write(v) : "nothing"));
    }
    return (int) (long) n;
  }

  /**
   * A JSON value as an error message shows it: its JSON text, or, for a number too large for a double
   * (which JSON cannot write back), its plain text.
   */
  static String shown(Object o) {
    try {
      return Json.write(o);
    } catch (dev.topiary.core.json.JsonException e) {
      return String.valueOf(o);
    }
  }
}
