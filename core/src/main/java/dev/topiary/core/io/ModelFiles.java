package dev.topiary.core.io;

import dev.topiary.core.json.Json;
import dev.topiary.core.json.JsonException;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes Topiary models as safetensors files, so PyTorch users can read Topiary models and
 * Topiary can read theirs.
 *
 * <h2>Layout</h2>
 * An 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON header (padded with spaces so
 * the data starts at a multiple of 8), then the raw little-endian tensor data. The header maps each
 * tensor name to {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}}, offsets counted
 * from the start of the data area, and holds a {@code __metadata__} object of string to string.
 *
 * <h2>Tensor names</h2>
 * Named like the state dict of a PyTorch module whose {@code layers} attribute is an
 * {@code nn.ModuleList} with one entry per Topiary layer (activations are applied in {@code forward}, so
 * they take no index):
 * <ul>
 *   <li>dense layer i: {@code layers.i.weight} [out, in] and {@code layers.i.bias} [out];
 *   <li>residual block i, whose chain f is an {@code nn.ModuleList} named {@code f}: {@code
 *       layers.i.f.j.weight} [out, in] and {@code layers.i.f.j.bias} [out] for its dense layer j;
 *   <li>the input standardisation, when there is one: {@code input_scaling.mean} and
 *       {@code input_scaling.scale} [inputs] (x ↦ (x − mean)/scale); the regression output
 *       standardisation: {@code output_scaling.mean} and {@code output_scaling.scale} [outputs]
 *       (y ↦ y·scale + mean). Stored as tensors rather than JSON text so that they round-trip
 *       bit-exactly.
 * </ul>
 * Only F32 is read or written; another dtype is reported as unsupported.
 *
 * <h2>Metadata</h2>
 * <ul>
 *   <li>{@value #KEY_FORMAT}: the format version, {@value #FORMAT_VERSION};
 *   <li>{@value #KEY_TOPOLOGY}: JSON text {@code {"input": 5, "layers": [...], "input_scaling": true,
 *       "output_scaling": false}}, each layer {@code {"kind": "dense", "in": 5, "out": 7,
 *       "activation": "relu"}} or {@code {"kind": "residual", "layers": [dense, ...]}};
 *   <li>{@value #KEY_TASK}: JSON text {@code {"kind": "classification", "labels": ["a", "b"]}} or
 *       {@code {"kind": "regression", "outputs": 2}};
 *   <li>anything else: free-form provenance added by the caller through {@code extraMetadata} (for
 *       example {@code topiary.pruning}), kept as it is.
 * </ul>
 *
 * <h2>Validation</h2>
 * {@link #read} checks, before it allocates any array for tensor data: the header length against the
 * file size and against {@link #MAX_HEADER_BYTES}; that the header is UTF-8 JSON, an object, whose
 * {@code __metadata__} is an object of strings; the topology and task; that every tensor the topology
 * implies is present and no other; each dtype, each shape against the topology, each byte range against
 * its shape; that the ranges lie inside the data area, do not overlap and cover it exactly (as the
 * safetensors reference implementation requires). Then it reads the data and rejects NaN or infinite
 * values (a model holding them cannot produce a meaningful output; they usually mean a diverged run).
 * Any failure is a {@link ModelFormatException} naming the file and the problem; nothing half-built is
 * returned, and since every tensor must lie inside the file, no allocation exceeds the file's size.
 *
 * <h2>Saving</h2>
 * {@link #save} refuses a network with NaN or infinite parameters, writes a temporary file in the target's
 * directory, forces it to disk and renames it over the target (atomically where the file system can), so a
 * crash or an error never leaves a torn file and leaves an existing file untouched. No Java
 * serialisation is involved.
 */
public final class ModelFiles {

  /** Metadata key of the format version. */
  public static final String KEY_FORMAT = "topiary.format";
  /** Metadata key of the topology JSON. */
  public static final String KEY_TOPOLOGY = "topiary.topology";
  /** Metadata key of the task JSON. */
  public static final String KEY_TASK = "topiary.task";
  /** The metadata keys that describe the model; extra metadata may not use them. */
  public static final Set<String> RESERVED_KEYS = Set.of(KEY_FORMAT, KEY_TOPOLOGY, KEY_TASK);
  /** The format version this code writes and reads. */
  public static final String FORMAT_VERSION = "1";

  /** Tensor name of the input standardisation's mean. */
  public static final String INPUT_MEAN = "input_scaling.mean";
  /** Tensor name of the input standardisation's scale. */
  public static final String INPUT_SCALE = "input_scaling.scale";
  /** Tensor name of the output standardisation's mean. */
  public static final String OUTPUT_MEAN = "output_scaling.mean";
  /** Tensor name of the output standardisation's scale. */
  public static final String OUTPUT_SCALE = "output_scaling.scale";

  /**
   * The largest header accepted: 16 MiB. A Topiary header (topology, task, provenance) is a few
   * kilobytes; the cap, below the reference implementation's 100 MB, keeps the memory that parsing a
   * hostile header can take well inside an ordinary heap.
   */
  public static final long MAX_HEADER_BYTES = 16L << 20;

  private static final String METADATA = "__metadata__";
  private static final int CHUNK = 1 << 16;

  private ModelFiles() {}

  /** Name prefix of top-level dense layer i: {@code layers.i}. */
  public static String layerName(int i) {
    return "layers." + i;
  }

  /** Name prefix of dense layer j inside residual block i: {@code layers.i.f.j}. */
  public static String blockLayerName(int i, int j) {
    return "layers." + i + ".f." + j;
  }

  // ---------------------------------------------------------------------------------------------
  // Saving

  /** Saves {@code network} to {@code file}, with no extra metadata. See {@link #save(Network, Path, Map)}. */
  public static void save(Network network, Path file) throws IOException {
    save(network, file, Map.of());
  }

  /**
   * Saves {@code network} to {@code file} (replacing it atomically if it exists), with
   * {@code extraMetadata} added to the header's {@code __metadata__}.
   *
   * @throws IllegalArgumentException if a parameter is NaN or infinite, or extra metadata uses a
   *     {@linkplain #RESERVED_KEYS reserved key}; the file is not touched
   * @throws IOException if writing fails; the file is not touched
   */
  public static void save(Network network, Path file, Map<String, String> extraMetadata) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_FORMAT, FORMAT_VERSION);
    metadata.put(KEY_TOPOLOGY, Topology.encode(network));
    metadata.put(KEY_TASK, Topology.encodeTask(network.task()));
    for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("extra metadata keys and values must not be null");
      }
      if (RESERVED_KEYS.contains(e.getKey()) || e.getKey().equals(METADATA)) {
        throw new IllegalArgumentException("extra metadata may not use the reserved key " + e.getKey());
      }
    }
    // Sorted, so the same model and metadata always give the same bytes.
    metadata.putAll(new java.util.TreeMap<>(extraMetadata));

    Map<String, float[]> tensors = tensorsOf(network);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put(METADATA, metadata);
    long offset = 0;
    for (Map.Entry<String, float[]> e : tensors.entrySet()) {
      float[] data = e.getValue();
      requireFinite(e.getKey(), data);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", "F32");
      t.put("shape", shapeOf(network, e.getKey(), data.length));
      t.put("data_offsets", List.of(offset, offset + 4L * data.length));
      header.put(e.getKey(), t);
      offset += 4L * data.length;
    }
    byte[] json;
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(Json.write(header)));
      json = new byte[encoded.remaining()];
      encoded.get(json);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("metadata holds text that is not valid Unicode", e);
    }
    // Pad with spaces so that the data area starts 8-byte aligned, as the reference writer does.
    int padded = (int) ((json.length + 8 + 7) / 8 * 8 - 8);
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

    writeAtomically(file, headerBytes, tensors.values());
  }

  private static Map<String, float[]> tensorsOf(Network network) {
    Map<String, float[]> t = new LinkedHashMap<>();
    List<Layer> layers = network.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (l instanceof DenseLayer d) {
        t.put(layerName(i) + ".weight", d.weight());
        t.put(layerName(i) + ".bias", d.bias());
      } else {
        List<DenseLayer> f = ((ResidualBlock) l).layers();
        for (int j = 0; j < f.size(); j++) {
          t.put(blockLayerName(i, j) + ".weight", f.get(j).weight());
          t.put(blockLayerName(i, j) + ".bias", f.get(j).bias());
        }
      }
    }
    if (network.inputScaling() != null) {
      t.put(INPUT_MEAN, network.inputScaling().mean());
      t.put(INPUT_SCALE, network.inputScaling().scale());
    }
    if (network.outputScaling() != null) {
      t.put(OUTPUT_MEAN, network.outputScaling().mean());
      t.put(OUTPUT_SCALE, network.outputScaling().scale());
    }
    return t;
  }

  private static List<Long> shapeOf(Network network, String name, int length) {
    if (name.endsWith(".weight")) {
      DenseLayer d = denseAt(network, name);
      return List.of((long) d.outputSize(), (long) d.inputSize());
    }
    return List.of((long) length);
  }

  private static DenseLayer denseAt(Network network, String name) {
    String[] parts = name.split("\\.");
    Layer l = network.layers().get(Integer.parseInt(parts[1]));
    return l instanceof DenseLayer d ? d : ((ResidualBlock) l).layers().get(Integer.parseInt(parts[3]));
  }

  private static void requireFinite(String name, float[] data) {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "cannot save a model whose tensor " + name + " holds " + data[i] + " at element " + i);
      }
    }
  }

  private static void writeAtomically(Path file, byte[] header, Iterable<float[]> tensors) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = TempFiles.create(target);
    boolean moved = false;
    try {
      ordinaryPermissions(tmp, target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        buf.flip();
        writeFully(ch, buf);
        writeFully(ch, ByteBuffer.wrap(header));
        for (float[] data : tensors) {
          for (int i = 0; i < data.length; ) {
            buf.clear();
            int n = Math.min(data.length - i, CHUNK / 4);
            buf.asFloatBuffer().put(data, i, n);
            buf.limit(4 * n);
            writeFully(ch, buf);
            i += n;
          }
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      TempFiles.renamed(tmp);
    } finally {
      if (!moved) {
        TempFiles.release(tmp);
      }
    }
  }

  /**
   * The saved model should be as readable as any file the user writes: the permissions of the file it
   * replaces, or rw-r--r-- for a new one.
   */
  private static void ordinaryPermissions(Path tmp, Path target) throws IOException {
    if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
      return;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
        ? Files.getPosixFilePermissions(target)
        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Loads the network in {@code file}; see {@link #read} for the checks. */
  public static Network load(Path file) throws IOException {
    return read(file).network();
  }

  /**
   * Reads the network and the metadata in {@code file}, checking everything listed in the class
   * description.
   *
   * @throws ModelFormatException if the file is not a valid Topiary model
   * @throws IOException if it cannot be read at all (missing, a directory, unreadable)
   */
  public static ModelFile read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "is a directory, not a model file");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, ch);
    }
  }

  private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  private static ModelFile read(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new ModelFormatException(file, "file is " + size + " bytes, too short for the 8-byte header length"
          + " of a safetensors file");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, lenBuf, 0);
    long n = lenBuf.getLong(0);
    String nText = Long.toUnsignedString(n);
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new ModelFormatException(file, "header length " + nText + " bytes exceeds the limit of "
          + MAX_HEADER_BYTES + " bytes (not a safetensors file, or corrupt)");
    }
    if (n > size - 8) {
      throw new ModelFormatException(file, "header length " + nText + " bytes is larger than the "
          + (size - 8) + " bytes that follow it (file truncated or corrupt)");
    }
    if (n < 2) {
      throw new ModelFormatException(file, "header length " + nText + " bytes is too small for a JSON object");
    }
    ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
    readFully(file, ch, headerBuf, 8);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(headerBuf.flip()).toString();
    } catch (CharacterCodingException e) {
      throw new ModelFormatException(file, "header is not valid UTF-8", e);
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (JsonException e) {
      throw new ModelFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> header)) {
      throw new ModelFormatException(file, "header must be a JSON object, found "
          + (parsed == null ? "null" : parsed instanceof List ? "an array" : "a " + parsed.getClass().getSimpleName()));
    }
    long dataSize = size - 8 - n;

    Map<String, String> metadata = metadata(file, header.get(METADATA));
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> e : header.entrySet()) {
      if (!e.getKey().equals(METADATA)) {
        entries.add(entry(file, (String) e.getKey(), e.getValue()));
      }
    }

    String version = metadata.get(KEY_FORMAT);
    if (version == null) {
      throw new ModelFormatException(file, "not a Topiary model: __metadata__ has no " + KEY_FORMAT
          + " (a Topiary model file also needs " + KEY_TOPOLOGY + " and " + KEY_TASK + ")");
    }
    if (!version.equals(FORMAT_VERSION)) {
      throw new ModelFormatException(file, "format version " + version + " is not supported; this version"
          + " of Topiary reads version " + FORMAT_VERSION);
    }
    Topology.Spec spec = Topology.decode(required(file, metadata, KEY_TOPOLOGY), file);
    Task task = Topology.decodeTask(required(file, metadata, KEY_TASK), file);
    Topology.Dense lastLayer = spec.layers().get(spec.layers().size() - 1).dense();
    if (lastLayer.out() != task.outputs()) {
      throw new ModelFormatException(file, "metadata " + KEY_TOPOLOGY + ": the last layer writes "
          + lastLayer.out() + " outputs but " + KEY_TASK + " needs " + task.outputs());
    }
    if (spec.outputScaling() && task.isClassification()) {
      throw new ModelFormatException(file, "metadata " + KEY_TOPOLOGY
          + ": output_scaling is for regression only, the task is classification");
    }

    Map<String, long[]> expected = spec.tensors(task.outputs());
    checkEntries(file, entries, expected, dataSize);

    Map<String, float[]> data = new LinkedHashMap<>();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (Entry e : entries) {
      data.put(e.name(), readTensor(file, ch, chunk, e, 8 + n));
    }
    return new ModelFile(build(file, spec, task, data), metadata);
  }

  private static String required(Path file, Map<String, String> metadata, String key)
      throws ModelFormatException {
    String v = metadata.get(key);
    if (v == null) {
      throw new ModelFormatException(file, "__metadata__ has no " + key);
    }
    return v;
  }

  private static Map<String, String> metadata(Path file, Object raw) throws ModelFormatException {
    if (raw == null) {
      throw new ModelFormatException(file, "not a Topiary model: the header has no __metadata__ (a Topiary"
          + " model file needs " + KEY_FORMAT + ", " + KEY_TOPOLOGY + " and " + KEY_TASK + ")");
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new ModelFormatException(file, "__metadata__ must be a JSON object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new ModelFormatException(file, "__metadata__ entry \"" + e.getKey()
            + "\" must be a string, found " + Topology.shown(e.getValue()));
      }
      out.put((String) e.getKey(), s);
    }
    return out;
  }

  private static Entry entry(Path file, String name, Object raw) throws ModelFormatException {
    String where = "tensor " + name;
    if (!(raw instanceof Map<?, ?> m)) {
      throw new ModelFormatException(file, where + ": header entry must be a JSON object with dtype, shape"
          + " and data_offsets");
    }
    if (!(m.get("dtype") instanceof String dtype)) {
      throw new ModelFormatException(file, where + ": \"dtype\" must be a string");
    }
    long[] shape = longs(file, where, "shape", m.get("shape"), -1);
    long[] offsets = longs(file, where, "data_offsets", m.get("data_offsets"), 2);
    if (offsets[1] < offsets[0]) {
      throw new ModelFormatException(file, where + ": data_offsets [" + offsets[0] + ", " + offsets[1]
          + "] end before they begin");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(Path file, String where, String key, Object raw, int length)
      throws ModelFormatException {
    if (!(raw instanceof List<?> l) || (length >= 0 && l.size() != length)) {
      throw new ModelFormatException(file, where + ": \"" + key + "\" must be an array of "
          + (length >= 0 ? length + " " : "") + "non-negative integers, found "
          + (raw == null ? "nothing" : Topology.shown(raw)));
    }
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Long v) || v < 0) {
        throw new ModelFormatException(file, where + ": \"" + key
            + "\" must hold non-negative integers, found " + Topology.shown(l.get(i)));
      }
      out[i] = v;
    }
    return out;
  }

  private static void checkEntries(Path file, List<Entry> entries, Map<String, long[]> expected,
      long dataSize) throws ModelFormatException {
    Set<String> present = new java.util.HashSet<>();
    for (Entry e : entries) {
      present.add(e.name());
    }
    for (String name : expected.keySet()) {
      if (!present.contains(name)) {
        throw new ModelFormatException(file, "tensor " + name + " is missing; the topology needs it with"
            + " shape " + Arrays.toString(expected.get(name)));
      }
    }
    for (Entry e : entries) {
      String where = "tensor " + e.name();
      long[] shape = expected.get(e.name());
      if (shape == null) {
        throw new ModelFormatException(file, where + " is not part of the topology (unexpected tensor; "
            + "the file holds " + entries.size() + " tensors, the topology needs " + expected.size() + ")");
      }
      if (!e.dtype().equals("F32")) {
        throw new ModelFormatException(file, where + ": unsupported dtype " + e.dtype()
            + "; Topiary reads F32 tensors only");
      }
      if (!Arrays.equals(shape, e.shape())) {
        throw new ModelFormatException(file, where + ": shape " + Arrays.toString(e.shape())
            + " does not match the topology, which needs " + Arrays.toString(shape));
      }
      long bytes = 4L * elements(shape);
      if (e.end() - e.begin() != bytes) {
        throw new ModelFormatException(file, where + ": data_offsets [" + e.begin() + ", " + e.end()
            + "] span " + (e.end() - e.begin()) + " bytes, but F32 " + Arrays.toString(shape) + " needs "
            + bytes);
      }
      if (e.end() > dataSize) {
        throw new ModelFormatException(file, where + ": data_offsets [" + e.begin() + ", " + e.end()
            + "] reach past the end of the data area, which holds " + dataSize
            + " bytes (file truncated or corrupt)");
      }
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < covered) {
        throw new ModelFormatException(file, "tensors " + previous.name() + " [" + previous.begin() + ", "
            + previous.end() + ") and " + e.name() + " [" + e.begin() + ", " + e.end() + ") overlap");
      }
      if (e.begin() > covered) {
        throw new ModelFormatException(file, "bytes [" + covered + ", " + e.begin()
            + ") of the data area belong to no tensor (before " + e.name() + ")");
      }
      covered = e.end();
      previous = e;
    }
    if (covered != dataSize) {
      throw new ModelFormatException(file, "the data area holds " + dataSize + " bytes but the tensors end at "
          + covered + " (" + (dataSize - covered) + " trailing bytes)");
    }
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d; // shapes come from a validated topology: at most MAX_ELEMENTS in all
    }
    return n;
  }

  private static float[] readTensor(Path file, FileChannel ch, ByteBuffer chunk, Entry e, long dataStart)
      throws IOException {
    int count = (int) ((e.end() - e.begin()) / 4);
    float[] out = new float[count];
    long pos = dataStart + e.begin();
    for (int i = 0; i < count; ) {
      int n = Math.min(count - i, CHUNK / 4);
      chunk.clear().limit(4 * n);
      readFully(file, ch, chunk, pos);
      chunk.flip();
      chunk.asFloatBuffer().get(out, i, n);
      for (int k = i; k < i + n; k++) {
        if (!Float.isFinite(out[k])) {
          throw new ModelFormatException(file, "tensor " + e.name() + ": element " + k
              + (e.shape().length == 2 ? " (row " + k / e.shape()[1] + ", column " + k % e.shape()[1] + ")" : "")
              + " is " + out[k] + "; a model must hold finite values only");
        }
      }
      pos += 4L * n;
      i += n;
    }
    return out;
  }

  private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) {
        throw new ModelFormatException(file, "file ended at byte " + p + " while reading (it shrank while"
            + " being read?)");
      }
      p += r;
    }
  }

  private static Network build(Path file, Topology.Spec spec, Task task, Map<String, float[]> data)
      throws ModelFormatException {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < spec.layers().size(); i++) {
      Topology.Item item = spec.layers().get(i);
      if (item.dense() != null) {
        layers.add(dense(item.dense(), layerName(i), data));
      } else {
        List<DenseLayer> f = new ArrayList<>();
        for (int j = 0; j < item.block().size(); j++) {
          f.add(dense(item.block().get(j), blockLayerName(i, j), data));
        }
        layers.add(new ResidualBlock(f));
      }
    }
    Standardization in = spec.inputScaling()
        ? scaling(file, INPUT_MEAN, INPUT_SCALE, data) : null;
    Standardization out = spec.outputScaling()
        ? scaling(file, OUTPUT_MEAN, OUTPUT_SCALE, data) : null;
    try {
      return new Network(spec.inputSize(), layers, task, in, out);
    } catch (IllegalArgumentException e) {
      // Unreachable after the checks above; kept so that no other exception type escapes.
      throw new ModelFormatException(file, "inconsistent model: " + e.getMessage(), e);
    }
  }

  private static DenseLayer dense(Topology.Dense d, String prefix, Map<String, float[]> data) {
    return new DenseLayer(d.in(), d.out(), data.get(prefix + ".weight"), data.get(prefix + ".bias"),
        d.activation());
  }

  private static Standardization scaling(Path file, String meanName, String scaleName,
      Map<String, float[]> data) throws ModelFormatException {
    float[] scale = data.get(scaleName);
    for (int j = 0; j < scale.length; j++) {
      if (scale[j] == 0f) {
        throw new ModelFormatException(file, "tensor " + scaleName + ": element " + j
            + " is 0; a standardisation scale must be non-zero");
      }
    }
    return new Standardization(data.get(meanName), scale);
  }
}
