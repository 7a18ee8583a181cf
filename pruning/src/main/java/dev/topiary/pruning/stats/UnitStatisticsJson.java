package dev.topiary.pruning.stats;

import dev.topiary.core.json.Json;
import dev.topiary.core.json.JsonException;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unit statistics as a JSON document, so that statistics gathered in one place (a cluster, with
 * {@code SparkUnitStatistics}) can prune a model in another ({@code topiary prune --statistics}). The
 * text is plain JSON; this class does no I/O (callers read and write the file).
 *
 * <p>Format, version {@value #VERSION}:
 *
 * <pre>
 * {
 *   "format": "topiary-unit-statistics", "version": 1,
 *   "model": {"inputs": 13, "fingerprint": "…64 hex digits…",
 *             "hidden": [{"layer": "dense[0]", "width": 64, "activation": "relu"}, …]},
 *   "rows": 178,
 *   "layers": [{"layer": "dense[0]", "count": 178, "mean": […], "std": […],
 *               "zero_fraction": […], "mean_abs": […],                   (optional)
 *               "class_moments": {"counts": […], "means": [[…]…], "stds": [[…]…]},   (optional)
 *               "histograms": {"min": […], "max": […], "counts": [[…]…]},          (optional)
 *               "covariance": {"count": 178, "mean": […], "matrix": […]}},        (optional, row-major)
 *              …]
 * }
 * </pre>
 *
 * <p>One entry of {@code layers} per hidden layer in forward order. Numbers are written with
 * {@link Double#toString}, so every value reads back to the same bits; a NaN (the moments of a class with
 * no rows) is written as {@code null}. The model's fingerprint is the SHA-256 of its parameters and input
 * and output standardisations (not of its file, whose metadata may change): statistics are only valid
 * for the network whose units they measured.
 */
public final class UnitStatisticsJson {

  /** The value of the {@code format} field. */
  public static final String FORMAT = "topiary-unit-statistics";

  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private UnitStatisticsJson() {}

  /**
   * The JSON text of {@code statistics}, gathered on {@code network}.
   *
   * @throws IllegalArgumentException if the statistics describe other hidden layers than the network's
   */
  public static String write(UnitStatistics statistics, Network network) {
    UnitLayout layout = UnitLayout.of(network);
    if (!layout.hidden().equals(statistics.layout().hidden())) {
      throw new IllegalArgumentException("the statistics describe hidden layers " + statistics.layout().hidden()
          + ", the network has " + layout.hidden());
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("version", VERSION);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("inputs", network.inputSize());
    model.put("fingerprint", fingerprint(network));
    List<Object> hidden = new ArrayList<>();
    for (HiddenLayer h : layout.hidden()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", h.address().toString());
      m.put("width", h.width());
      m.put("activation", h.activation().name().toLowerCase(java.util.Locale.ROOT));
      hidden.add(m);
    }
    model.put("hidden", hidden);
    doc.put("model", model);
    doc.put("rows", statistics.rows());
    List<Object> layers = new ArrayList<>();
    for (LayerStatistics l : statistics.layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", l.layer().address().toString());
      m.put("count", l.count());
      m.put("mean", nullable(l.mean()));
      m.put("std", nullable(l.std()));
      if (l.hasActivationSummaries()) {
        m.put("zero_fraction", nullable(l.zeroFraction()));
        m.put("mean_abs", nullable(l.meanAbsolute()));
      }
      if (l.classMoments() != null) {
        ClassMoments c = l.classMoments();
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("counts", c.counts());
        cm.put("means", nullable(c.means()));
        cm.put("stds", nullable(c.stds()));
        m.put("class_moments", cm);
      }
      if (l.histograms() != null) {
        Histograms h = l.histograms();
        Map<String, Object> hm = new LinkedHashMap<>();
        hm.put("min", nullable(h.min()));
        hm.put("max", nullable(h.max()));
        hm.put("counts", List.of(h.counts()));
        m.put("histograms", hm);
      }
      if (l.covariance() != null) {
        Covariance c = l.covariance();
        Map<String, Object> cv = new LinkedHashMap<>();
        cv.put("count", c.count());
        cv.put("mean", nullable(c.mean()));
        cv.put("matrix", nullable(c.covariance()));
        m.put("covariance", cv);
      }
      layers.add(m);
    }
    doc.put("layers", layers);
    return Json.write(doc) + "\n";
  }

  /**
   * Reads statistics written by {@link #write} and checks that they were gathered on {@code network}.
   *
   * @param source names the text in messages (its file)
   * @throws StatisticsFileException naming the problem: not JSON, another format or version, a missing or
   *     malformed field, hidden layers that differ from the network's (the first difference), or another
   *     model's parameters
   */
  public static UnitStatistics read(String text, String source, Network network) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (JsonException e) {
      throw new StatisticsFileException(source + ": not a unit-statistics file: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> doc) || !FORMAT.equals(doc.get("format"))) {
      throw new StatisticsFileException(source + ": not a unit-statistics file (expected a JSON object with "
          + "\"format\": \"" + FORMAT + "\")");
    }
    Reader r = new Reader(source);
    long version = r.integer(doc, "version");
    if (version != VERSION) {
      throw new StatisticsFileException(source + ": unit-statistics format version " + version
          + "; this Topiary reads version " + VERSION);
    }
    UnitLayout layout = UnitLayout.of(network);
    List<HiddenLayer> hidden = layout.hidden();
    Map<?, ?> model = r.object(doc, "model");
    long inputs = r.integer(model, "inputs");
    List<?> recorded = r.list(model, "hidden");
    if (inputs != network.inputSize()) {
      throw new StatisticsFileException(source + " was gathered on a model with " + inputs + " inputs; this "
          + "model has " + network.inputSize());
    }
    if (recorded.size() != hidden.size()) {
      throw new StatisticsFileException(source + " was gathered on a model with " + recorded.size()
          + " hidden layers " + widths(r, recorded) + "; this model has " + hidden.size() + " " + widths(hidden));
    }
    for (int i = 0; i < hidden.size(); i++) {
      Map<?, ?> h = r.object(recorded.get(i), "model.hidden[" + i + "]");
      HiddenLayer mine = hidden.get(i);
      String layer = r.string(h, "layer");
      long width = r.integer(h, "width");
      String act = r.string(h, "activation");
      String actual = mine.activation().name().toLowerCase(java.util.Locale.ROOT);
      if (!layer.equals(mine.address().toString()) || width != mine.width() || !act.equals(actual)) {
        throw new StatisticsFileException(source + ": hidden layer " + (i + 1) + " is " + layer + " with " + width
            + " " + act + " units there; in this model it is " + mine.address() + " with " + mine.width() + " "
            + actual + " units " + widths(r, recorded) + " vs " + widths(hidden));
      }
    }
    String fingerprint = r.string(model, "fingerprint");
    if (!fingerprint.equals(fingerprint(network))) {
      throw new StatisticsFileException(source + " was gathered on a model of the same shape but other "
          + "parameters (fingerprint " + abbreviate(fingerprint) + ", this model's " + abbreviate(fingerprint(network))
          + "): statistics describe the units of the model they were gathered on; gather them on this one");
    }
    List<?> layers = r.list(doc, "layers");
    if (layers.size() != hidden.size()) {
      throw new StatisticsFileException(source + ": " + layers.size() + " entries in \"layers\" for "
          + hidden.size() + " hidden layers");
    }
    List<LayerStatistics> out = new ArrayList<>();
    for (int i = 0; i < hidden.size(); i++) {
      HiddenLayer h = hidden.get(i);
      String at = "layers[" + i + "]";
      Map<?, ?> l = r.object(layers.get(i), at);
      if (!h.address().toString().equals(r.string(l, "layer"))) {
        throw new StatisticsFileException(source + ": " + at + " is for layer " + r.string(l, "layer")
            + ", expected " + h.address());
      }
      try {
        out.add(layer(r, h, l, at));
      } catch (IllegalArgumentException e) {
        throw new StatisticsFileException(source + ": " + at + ": " + e.getMessage());
      }
    }
    return new UnitStatistics(layout, out);
  }

  private static LayerStatistics layer(Reader r, HiddenLayer h, Map<?, ?> l, String at) {
    String source = r.source();
    int w = h.width();
    long count = r.integer(l, "count");
    double[] mean = r.doubles(l, "mean", w, at);
    double[] std = r.doubles(l, "std", w, at);
    double[] zf = l.containsKey("zero_fraction") ? r.doubles(l, "zero_fraction", w, at) : null;
    double[] ma = l.containsKey("mean_abs") ? r.doubles(l, "mean_abs", w, at) : null;
    ClassMoments cm = null;
    if (l.containsKey("class_moments")) {
      Map<?, ?> c = r.object(l.get("class_moments"), at + ".class_moments");
      List<?> counts = r.list(c, "counts");
      long[] n = new long[counts.size()];
      for (int k = 0; k < n.length; k++) {
        n[k] = r.integer(counts.get(k), at + ".class_moments.counts");
      }
      cm = new ClassMoments(n, r.matrix(c, "means", n.length, w, at), r.matrix(c, "stds", n.length, w, at));
    }
    Histograms hist = null;
    if (l.containsKey("histograms")) {
      Map<?, ?> hm = r.object(l.get("histograms"), at + ".histograms");
      List<?> rows = r.list(hm, "counts");
      if (rows.size() != w) {
        throw new StatisticsFileException(source + ": " + at + ".histograms has " + rows.size()
            + " units, the layer " + w);
      }
      long[][] counts = new long[w][];
      for (int j = 0; j < w; j++) {
        List<?> row = r.list(rows.get(j), at + ".histograms.counts");
        counts[j] = new long[row.size()];
        for (int b = 0; b < row.size(); b++) {
          counts[j][b] = r.integer(row.get(b), at + ".histograms.counts");
        }
      }
      hist = new Histograms(r.doubles(hm, "min", w, at), r.doubles(hm, "max", w, at), counts);
    }
    Covariance cov = null;
    if (l.containsKey("covariance")) {
      Map<?, ?> cv = r.object(l.get("covariance"), at + ".covariance");
      cov = new Covariance(w, r.integer(cv, "count"), r.doubles(cv, "mean", w, at),
          r.doubles(cv, "matrix", w * w, at));
    }
    return new LayerStatistics(h, count, mean, std, zf, ma, cm, hist, cov);
  }

  /**
   * SHA-256, in hex, of what the hidden units' values depend on and what pruning changes: the input width,
   * every dense layer's shape, activation, weights and biases in forward order, and the input and output
   * standardisations.
   */
  public static String fingerprint(Network network) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      d.update(b.putInt(network.inputSize()).flip());
      for (DenseLayer l : network.denseLayers()) {
        b.clear();
        d.update(b.putInt(l.inputSize()).putInt(l.outputSize()).flip());
        d.update(l.activation().name().getBytes(StandardCharsets.UTF_8));
        floats(d, l.weight());
        floats(d, l.bias());
      }
      for (Standardization s : new Standardization[] {network.inputScaling(), network.outputScaling()}) {
        d.update((byte) (s == null ? 0 : 1));
        if (s != null) {
          floats(d, s.mean());
          floats(d, s.scale());
        }
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static void floats(MessageDigest d, float[] a) {
    ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(a);
    d.update(b.array());
  }

  private static String abbreviate(String hex) {
    return hex.length() > 12 ? hex.substring(0, 12) + "…" : hex;
  }

  private static String widths(List<HiddenLayer> hidden) {
    return hidden.stream().map(h -> Integer.toString(h.width())).toList().toString();
  }

  private static String widths(Reader r, List<?> recorded) {
    List<String> w = new ArrayList<>();
    for (int i = 0; i < recorded.size(); i++) {
      w.add(Long.toString(r.integer(r.object(recorded.get(i), "model.hidden[" + i + "]"), "width")));
    }
    return w.toString();
  }

  /** Doubles with NaN as null (JSON has no NaN). */
  private static List<Object> nullable(double[] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (double v : a) {
      l.add(Double.isFinite(v) ? (Object) v : null);
    }
    return l;
  }

  private static List<Object> nullable(double[][] a) {
    List<Object> l = new ArrayList<>(a.length);
    for (double[] row : a) {
      l.add(nullable(row));
    }
    return l;
  }

  /** Typed field access that names the file and the field in every error. */
  private record Reader(String source) {

    StatisticsFileException bad(String field, String expected) {
      return new StatisticsFileException(source + ": field \"" + field + "\" is missing or not " + expected);
    }

    Map<?, ?> object(Object v, String field) {
      if (v instanceof Map<?, ?> m) {
        return m;
      }
      throw bad(field, "an object");
    }

    Map<?, ?> object(Map<?, ?> m, String field) {
      return object(m.get(field), field);
    }

    List<?> list(Object v, String field) {
      if (v instanceof List<?> l) {
        return l;
      }
      throw bad(field, "an array");
    }

    List<?> list(Map<?, ?> m, String field) {
      return list(m.get(field), field);
    }

    String string(Map<?, ?> m, String field) {
      if (m.get(field) instanceof String s) {
        return s;
      }
      throw bad(field, "a string");
    }

    long integer(Object v, String field) {
      if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !(v instanceof Double d
          && Math.abs(d) > 1e15)) {
        return n.longValue();
      }
      throw bad(field, "an integer");
    }

    long integer(Map<?, ?> m, String field) {
      return integer(m.get(field), field);
    }

    double[] doubles(Map<?, ?> m, String field, int length, String at) {
      List<?> l = list(m, field);
      if (l.size() != length) {
        throw new StatisticsFileException(source + ": " + at + "." + field + " has " + l.size() + " values, "
            + "expected " + length);
      }
      double[] a = new double[length];
      for (int i = 0; i < length; i++) {
        Object v = l.get(i);
        if (v == null) {
          a[i] = Double.NaN;
        } else if (v instanceof Number n) {
          a[i] = n.doubleValue();
        } else {
          throw bad(at + "." + field, "an array of numbers");
        }
      }
      return a;
    }

    double[][] matrix(Map<?, ?> m, String field, int rows, int cols, String at) {
      List<?> l = list(m, field);
      if (l.size() != rows) {
        throw new StatisticsFileException(source + ": " + at + "." + field + " has " + l.size() + " rows, "
            + "expected " + rows);
      }
      double[][] a = new double[rows][];
      for (int i = 0; i < rows; i++) {
        a[i] = doubles(Map.of(field, list(l.get(i), field)), field, cols, at);
      }
      return a;
    }
  }
}
