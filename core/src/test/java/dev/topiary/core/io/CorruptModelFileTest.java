package dev.topiary.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.core.model.TestNetworks;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a model file can be broken gives a ModelFormatException that names the problem. */
class CorruptModelFileTest {

  @TempDir
  Path dir;

  Path good;
  Path bad;

  /** 5 → 7 (relu) → [7 → 4 → 7] → 3, classification, with input standardisation. */
  static Network model() {
    Random r = new Random(21);
    return new Network(5, List.of(
        TestNetworks.dense(5, 7, Activation.RELU, r),
        new ResidualBlock(List.of(TestNetworks.dense(7, 4, Activation.TANH, r),
            TestNetworks.dense(4, 7, Activation.IDENTITY, r))),
        TestNetworks.dense(7, 3, Activation.IDENTITY, r)),
        Task.classification(List.of("a", "b", "c")), TestNetworks.scaling(5, r), null);
  }

  @BeforeEach
  void writeGoodModel() throws IOException {
    good = dir.resolve("good.safetensors");
    bad = dir.resolve("bad.safetensors");
    ModelFiles.save(model(), good);
  }

  /** Reading {@code bad} fails with a ModelFormatException naming the file and every fragment. */
  private ModelFormatException assertRejected(String... fragments) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(bad));
    String m = e.getMessage();
    assertTrue(m.startsWith(bad.toString() + ": "), m);
    assertEquals(bad, e.file());
    for (String f : fragments) {
      assertTrue(m.contains(f), () -> "message '" + m + "' lacks '" + f + "'");
    }
    return e;
  }

  private RawModelFile raw() throws IOException {
    return new RawModelFile(good);
  }

  private byte[] goodBytes() throws IOException {
    return Files.readAllBytes(good);
  }

  private static byte[] headerLength(long n) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private void editMetadata(String key, String value) throws IOException {
    RawModelFile f = raw();
    Map<String, Object> m = new LinkedHashMap<>(f.metadata());
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    f.header.put("__metadata__", m);
    f.write(bad);
  }

  private void editTensor(String name, String field, Object value) throws IOException {
    RawModelFile f = raw();
    f.header.put(name, RawModelFile.with(f.tensor(name), field, value));
    f.write(bad);
  }

  private void editTopology(String from, String to) throws IOException {
    String topology = (String) raw().metadata().get(ModelFiles.KEY_TOPOLOGY);
    assertTrue(topology.contains(from), topology);
    editMetadata(ModelFiles.KEY_TOPOLOGY, topology.replace(from, to));
  }

  @Test
  void theUncorruptedFileReads() throws IOException {
    ModelFilesTest.assertSameNetwork(model(), ModelFiles.load(good));
    // Rewriting the parsed header without alignment padding is still a valid file.
    raw().write(bad);
    ModelFilesTest.assertSameNetwork(model(), ModelFiles.load(bad));
  }

  // --- the 8-byte header length -------------------------------------------------------------

  @Test
  void emptyFile() throws IOException {
    Files.write(bad, new byte[0]);
    assertRejected("file is 0 bytes", "too short");
  }

  @Test
  void truncatedHeaderLength() throws IOException {
    Files.write(bad, Arrays.copyOf(goodBytes(), 5));
    assertRejected("file is 5 bytes", "8-byte header length");
  }

  @Test
  void headerLengthLargerThanTheFile() throws IOException {
    byte[] b = goodBytes();
    System.arraycopy(headerLength(b.length), 0, b, 0, 8);
    Files.write(bad, b);
    assertRejected("header length " + b.length + " bytes is larger than the " + (b.length - 8) + " bytes");
  }

  @Test
  void hugeHeaderLength() throws IOException {
    byte[] b = goodBytes();
    System.arraycopy(headerLength(1L << 62), 0, b, 0, 8);
    Files.write(bad, b);
    assertRejected("header length 4611686018427387904 bytes exceeds the limit");
  }

  @Test
  void headerLengthWithTheTopBitSetIsReadAsUnsigned() throws IOException {
    Files.write(bad, concat(headerLength(-1L), new byte[16]));
    assertRejected("header length 18446744073709551615 bytes exceeds the limit");
  }

  @Test
  void truncatedInsideTheHeader() throws IOException {
    Files.write(bad, Arrays.copyOf(goodBytes(), 40));
    assertRejected("is larger than the 32 bytes that follow it", "truncated");
  }

  // --- the JSON header ------------------------------------------------------------------------

  @Test
  void invalidJson() throws IOException {
    RawModelFile.writeRaw(bad, "{\"__metadata__\": {\"a\": \"b\"},\n \"x\": [1, 2}", new byte[0]);
    assertRejected("header is not valid JSON", "expected ',' or ']'", "line 2, column 12");
  }

  @Test
  void invalidUtf8() throws IOException {
    byte[] h = "{\"__metadata__\": {\"a\": \"\u00ff\"}}".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(bad, concat(headerLength(h.length), h));
    assertRejected("header is not valid UTF-8");
  }

  @Test
  void nonObjectHeader() throws IOException {
    RawModelFile.writeRaw(bad, "[1, 2, 3]", new byte[0]);
    assertRejected("header must be a JSON object, found an array");
  }

  @Test
  void missingMetadata() throws IOException {
    RawModelFile f = raw();
    f.header.remove("__metadata__");
    f.write(bad);
    assertRejected("not a Topiary model", "no __metadata__");
  }

  @Test
  void metadataValueThatIsNotAString() throws IOException {
    RawModelFile f = raw();
    Map<String, Object> m = new LinkedHashMap<>(f.metadata());
    m.put("epochs", 12L);
    f.header.put("__metadata__", m);
    f.write(bad);
    assertRejected("__metadata__ entry \"epochs\" must be a string, found 12");
  }

  @Test
  void aPlainSafetensorsFileWithoutTopiaryMetadata() throws IOException {
    RawModelFile f = raw();
    f.header.put("__metadata__", Map.of("format", "pt"));
    f.write(bad);
    assertRejected("not a Topiary model", ModelFiles.KEY_FORMAT);
  }

  @Test
  void aNewerFormatVersion() throws IOException {
    editMetadata(ModelFiles.KEY_FORMAT, "2");
    assertRejected("format version 2 is not supported", "reads version 1");
  }

  @Test
  void missingTopology() throws IOException {
    editMetadata(ModelFiles.KEY_TOPOLOGY, null);
    assertRejected("__metadata__ has no " + ModelFiles.KEY_TOPOLOGY);
  }

  @Test
  void topologyThatIsNotJson() throws IOException {
    editMetadata(ModelFiles.KEY_TOPOLOGY, "{\"input\": 5,");
    assertRejected("metadata topiary.topology is not valid JSON");
  }

  @Test
  void topologyWhoseWidthsDoNotConnect() throws IOException {
    editTopology("\"in\":7,\"out\":3", "\"in\":6,\"out\":3");
    assertRejected("topiary.topology: layers[2]: reads 6 values but receives 7");
  }

  @Test
  void topologyWithAResidualBlockThatChangesWidth() throws IOException {
    editTopology("\"in\":4,\"out\":7", "\"in\":4,\"out\":8");
    assertRejected("layers[1]: a residual block must return to its width 7, but its last layer writes 8");
  }

  @Test
  void topologyWithAnUnknownActivation() throws IOException {
    editTopology("\"relu\"", "\"swishy\"");
    assertRejected("layers[0]: unknown activation 'swishy'");
  }

  @Test
  void topologyWithANegativeSize() throws IOException {
    editTopology("\"input\":5", "\"input\":-5");
    assertRejected("\"input\" must be an integer in [1, 2147483647], found -5");
  }

  @Test
  void topologyWithAnAbsurdLayerSize() throws IOException {
    editTopology("{\"kind\":\"dense\",\"in\":7,\"out\":3,", "{\"kind\":\"dense\",\"in\":7,\"out\":2000000000,");
    assertRejected("layers[2]: a 2000000000 x 7 weight matrix is larger than a Java array can hold");
  }

  @Test
  void taskThatDoesNotMatchTheOutputLayer() throws IOException {
    editMetadata(ModelFiles.KEY_TASK, "{\"kind\":\"classification\",\"labels\":[\"a\",\"b\"]}");
    assertRejected("the last layer writes 3 outputs but topiary.task needs 2");
  }

  @Test
  void taskOfAnUnknownKind() throws IOException {
    editMetadata(ModelFiles.KEY_TASK, "{\"kind\":\"ranking\"}");
    assertRejected("metadata topiary.task: unknown task kind \"ranking\"");
  }

  // --- tensor entries -------------------------------------------------------------------------

  @Test
  void missingTensor() throws IOException {
    RawModelFile f = raw();
    f.header.remove("layers.1.f.0.bias");
    f.write(bad);
    assertRejected("tensor layers.1.f.0.bias is missing", "needs it with shape [4]");
  }

  @Test
  void missingStandardisationTensor() throws IOException {
    RawModelFile f = raw();
    f.header.remove("input_scaling.scale");
    f.write(bad);
    assertRejected("tensor input_scaling.scale is missing");
  }

  @Test
  void extraUnknownTensorIsRejected() throws IOException {
    RawModelFile f = raw();
    long end = f.data.length;
    f.header.put("layers.9.weight", Map.of("dtype", "F32", "shape", List.of(1L), "data_offsets",
        List.of(end, end + 4)));
    f.data = Arrays.copyOf(f.data, f.data.length + 4);
    f.write(bad);
    assertRejected("tensor layers.9.weight is not part of the topology");
  }

  @Test
  void wrongDtypes() throws IOException {
    for (String dtype : List.of("F16", "BF16", "F64", "I32")) {
      editTensor("layers.0.weight", "dtype", dtype);
      assertRejected("tensor layers.0.weight: unsupported dtype " + dtype, "F32");
    }
  }

  @Test
  void shapeThatDoesNotMatchTheTopology() throws IOException {
    editTensor("layers.0.weight", "shape", List.of(5L, 7L));
    assertRejected("tensor layers.0.weight: shape [5, 7] does not match the topology, which needs [7, 5]");
  }

  @Test
  void shapeWithTheWrongRank() throws IOException {
    editTensor("layers.2.bias", "shape", List.of(1L, 3L));
    assertRejected("tensor layers.2.bias: shape [1, 3] does not match the topology, which needs [3]");
  }

  @Test
  void malformedShapeAndOffsets() throws IOException {
    editTensor("layers.0.bias", "shape", List.of(7.5));
    assertRejected("tensor layers.0.bias: \"shape\" must hold non-negative integers, found 7.5");
    editTensor("layers.0.bias", "data_offsets", List.of(140L));
    assertRejected("tensor layers.0.bias: \"data_offsets\" must be an array of 2 non-negative integers");
    editTensor("layers.0.bias", "data_offsets", List.of(-4L, 24L));
    assertRejected("\"data_offsets\" must hold non-negative integers, found -4");
    editTensor("layers.0.bias", "data_offsets", List.of(168L, 140L));
    assertRejected("tensor layers.0.bias: data_offsets [168, 140] end before they begin");
    editTensor("layers.0.bias", "dtype", null);
    assertRejected("tensor layers.0.bias: \"dtype\" must be a string");
  }

  @Test
  void offsetsSpanningTheWrongNumberOfBytes() throws IOException {
    editTensor("layers.0.bias", "data_offsets", List.of(140L, 164L));
    assertRejected("tensor layers.0.bias: data_offsets [140, 164] span 24 bytes, but F32 [7] needs 28");
  }

  @Test
  void offsetsOutsideTheDataArea() throws IOException {
    long size = raw().data.length;
    editTensor("layers.0.bias", "data_offsets", List.of(size, size + 28));
    assertRejected("tensor layers.0.bias: data_offsets [" + size + ", " + (size + 28)
        + "] reach past the end of the data area, which holds " + size + " bytes");
  }

  @Test
  void overlappingOffsets() throws IOException {
    // layers.0.bias moved onto the start of layers.0.weight.
    editTensor("layers.0.bias", "data_offsets", List.of(0L, 28L));
    assertRejected("overlap", "layers.0.weight [0, 140)", "layers.0.bias [0, 28)");
  }

  @Test
  void bytesThatBelongToNoTensor() throws IOException {
    RawModelFile f = raw();
    long[] o = f.offsets("layers.2.bias");
    // Move the last tensor (input_scaling.scale) 4 bytes further, leaving a hole.
    long[] s = f.offsets("input_scaling.scale");
    assertEquals(f.data.length, s[1]);
    f.header.put("input_scaling.scale",
        RawModelFile.with(f.tensor("input_scaling.scale"), "data_offsets", List.of(s[0] + 4, s[1] + 4)));
    f.data = Arrays.copyOf(f.data, f.data.length + 4);
    f.write(bad);
    assertTrue(o[1] <= s[0]);
    assertRejected("bytes [" + s[0] + ", " + (s[0] + 4) + ") of the data area belong to no tensor");
  }

  @Test
  void trailingBytesAfterTheLastTensor() throws IOException {
    Files.write(bad, concat(goodBytes(), new byte[12]));
    assertRejected("the data area holds", "12 trailing bytes");
  }

  @Test
  void truncatedData() throws IOException {
    byte[] b = goodBytes();
    Files.write(bad, Arrays.copyOf(b, b.length - 3));
    assertRejected("tensor input_scaling.scale", "reach past the end of the data area", "truncated");
  }

  // --- tensor values --------------------------------------------------------------------------

  private void putFloat(String tensor, int element, float value) throws IOException {
    RawModelFile f = raw();
    int at = (int) f.offsets(tensor)[0] + 4 * element;
    ByteBuffer.wrap(f.data).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, value);
    f.write(bad);
  }

  @Test
  void nanInWeightsIsRejectedWithItsPosition() throws IOException {
    putFloat("layers.1.f.1.weight", 9, Float.NaN);
    assertRejected("tensor layers.1.f.1.weight: element 9 (row 2, column 1) is NaN");
  }

  @Test
  void infinityInBiasesIsRejected() throws IOException {
    putFloat("layers.2.bias", 2, Float.NEGATIVE_INFINITY);
    assertRejected("tensor layers.2.bias: element 2 is -Infinity");
  }

  @Test
  void zeroStandardisationScaleIsRejected() throws IOException {
    putFloat("input_scaling.scale", 3, 0f);
    assertRejected("tensor input_scaling.scale: element 3 is 0");
  }

  // --- nothing but ModelFormatException, whatever the damage ----------------------------------

  private static byte[] goodFile;

  /** The bytes of a saved {@link #model()}, saved once for all tries. */
  private static synchronized byte[] goodFileBytes() throws IOException {
    if (goodFile == null) {
      Path tmp = Files.createTempFile("topiary-good", ".safetensors");
      try {
        ModelFiles.save(model(), tmp);
        goodFile = Files.readAllBytes(tmp);
      } finally {
        Files.delete(tmp);
      }
    }
    return goodFile.clone();
  }

  @Property(tries = 300, seed = "20240517")
  void damagedFilesFailCleanlyOrReadAsAValidNetwork(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
      throws IOException {
    Path tmp = Files.createTempDirectory("topiary-damage");
    Path dst = tmp.resolve("damaged.safetensors");
    try {
      byte[] b = goodFileBytes();
      Random r = new Random(seed);
      switch (r.nextInt(3)) {
        case 0: // flip a few random bytes, biased toward the length and the header
          for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            int at = r.nextBoolean() ? r.nextInt(Math.min(b.length, 400)) : r.nextInt(b.length);
            b[at] ^= (byte) (1 + r.nextInt(255));
          }
          break;
        case 1: // truncate
          b = Arrays.copyOf(b, r.nextInt(b.length));
          break;
        default: // append garbage
          byte[] extra = new byte[1 + r.nextInt(64)];
          r.nextBytes(extra);
          b = concat(b, extra);
      }
      Files.write(dst, b);
      try {
        Network n = ModelFiles.load(dst);
        // Damage that left a valid file (a flipped weight bit): the network is whole and usable.
        float[] p = n.predict(new float[5], 1);
        assertEquals(3, p.length);
      } catch (ModelFormatException expected) {
        assertTrue(expected.getMessage().startsWith(dst.toString()), expected.getMessage());
      } catch (RuntimeException | IOException e) {
        fail("damaged file raised " + e, e);
      }
    } finally {
      Files.deleteIfExists(dst);
      Files.delete(tmp);
    }
  }
}
