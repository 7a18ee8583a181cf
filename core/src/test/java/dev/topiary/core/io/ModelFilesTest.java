package dev.topiary.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.core.model.TestNetworks;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

  @TempDir
  Path dir;

  /** Asserts that two networks have the same structure, task, scalings and bit-identical parameters. */
  static void assertSameNetwork(Network expected, Network actual) {
    assertEquals(expected.inputSize(), actual.inputSize());
    assertEquals(expected.task(), actual.task());
    assertEquals(expected.inputScaling(), actual.inputScaling());
    assertEquals(expected.outputScaling(), actual.outputScaling());
    assertEquals(expected.layers().size(), actual.layers().size());
    for (int i = 0; i < expected.layers().size(); i++) {
      Layer e = expected.layers().get(i);
      Layer a = actual.layers().get(i);
      assertEquals(e.getClass(), a.getClass(), "layer " + i);
    }
    List<DenseLayer> ed = expected.denseLayers();
    List<DenseLayer> ad = actual.denseLayers();
    assertEquals(ed.size(), ad.size());
    for (int i = 0; i < ed.size(); i++) {
      assertEquals(ed.get(i).inputSize(), ad.get(i).inputSize());
      assertEquals(ed.get(i).outputSize(), ad.get(i).outputSize());
      assertEquals(ed.get(i).activation(), ad.get(i).activation());
      assertArrayEquals(ed.get(i).weight(), ad.get(i).weight(), "weights of dense layer " + i);
      assertArrayEquals(ed.get(i).bias(), ad.get(i).bias(), "biases of dense layer " + i);
      assertNotSame(ed.get(i).weight(), ad.get(i).weight());
    }
  }

  @Property(tries = 60, seed = "20240517")
  void saveThenLoadGivesTheSameNetworkMetadataAndOutputs(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) throws IOException {
    Network n = TestNetworks.random(seed);
    Path dir = Files.createTempDirectory("topiary-roundtrip");
    try {
      Path file = dir.resolve("model.safetensors");
      Map<String, String> extra = Map.of("topiary.pruning", "{\"removed\": [1, 2]}",
          "note", "seed " + seed + " \u00e9\n\"quoted\"");
      ModelFiles.save(n, file, extra);
      ModelFile read = ModelFiles.read(file);
      assertSameNetwork(n, read.network());
      assertEquals(extra, read.extraMetadata());
      assertEquals(ModelFiles.FORMAT_VERSION, read.metadata().get(ModelFiles.KEY_FORMAT));
      int rows = 1 + (int) (seed % 37);
      float[] x = TestNetworks.inputs(n, rows, seed);
      assertArrayEquals(n.predict(x, rows), read.network().predict(x, rows));
      // Saving what was loaded writes the same bytes.
      Path again = dir.resolve("again.safetensors");
      ModelFiles.save(read.network(), again, read.extraMetadata());
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    } finally {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  @Test
  void theFileIsSafetensorsWithPyTorchStyleNamesAndAlignedData() throws IOException {
    Random r = new Random(3);
    Network n = new Network(5, List.of(
        TestNetworks.dense(5, 7, Activation.RELU, r),
        new ResidualBlock(List.of(TestNetworks.dense(7, 4, Activation.TANH, r),
            TestNetworks.dense(4, 7, Activation.IDENTITY, r))),
        TestNetworks.dense(7, 2, Activation.IDENTITY, r)),
        Task.regression(2), TestNetworks.scaling(5, r), TestNetworks.scaling(2, r));
    Path file = dir.resolve("m.safetensors");
    ModelFiles.save(n, file);
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, (8 + headerLength) % 8, "data area starts 8-byte aligned");
    assertEquals('{', bytes[8]);
    RawModelFile raw = new RawModelFile(file);
    assertEquals(List.of("__metadata__", "layers.0.weight", "layers.0.bias", "layers.1.f.0.weight",
        "layers.1.f.0.bias", "layers.1.f.1.weight", "layers.1.f.1.bias", "layers.2.weight", "layers.2.bias",
        "input_scaling.mean", "input_scaling.scale", "output_scaling.mean", "output_scaling.scale"),
        List.copyOf(raw.header.keySet()));
    assertEquals(Map.of("dtype", "F32", "shape", List.of(4L, 7L), "data_offsets", List.of(168L, 280L)),
        raw.tensor("layers.1.f.0.weight"));
    assertEquals(List.of(7L), raw.tensor("layers.0.bias").get("shape"));
    // layers.0 takes 5·7·4 + 7·4 = 168 bytes before it. Little-endian F32: the first weight is the first four data bytes.
    float w00 = ByteBuffer.wrap(raw.data).order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
    assertEquals(n.denseLayers().get(0).weight(0, 0), w00);
    assertEquals("{\"input\":5,\"layers\":[{\"kind\":\"dense\",\"in\":5,\"out\":7,\"activation\":\"relu\"},"
        + "{\"kind\":\"residual\",\"layers\":[{\"kind\":\"dense\",\"in\":7,\"out\":4,\"activation\":\"tanh\"},"
        + "{\"kind\":\"dense\",\"in\":4,\"out\":7,\"activation\":\"identity\"}]},"
        + "{\"kind\":\"dense\",\"in\":7,\"out\":2,\"activation\":\"identity\"}],"
        + "\"input_scaling\":true,\"output_scaling\":true}", raw.metadata().get(ModelFiles.KEY_TOPOLOGY));
    assertEquals("{\"kind\":\"regression\",\"outputs\":2}", raw.metadata().get(ModelFiles.KEY_TASK));
  }

  @Test
  void extraMetadataMayNotOverrideTheModelDescription() {
    Network n = TestNetworks.random(1);
    Path file = dir.resolve("m.safetensors");
    for (String key : List.of(ModelFiles.KEY_TOPOLOGY, ModelFiles.KEY_TASK, ModelFiles.KEY_FORMAT)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ModelFiles.save(n, file, Map.of(key, "x")));
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    assertTrue(Files.notExists(file));
  }

  private Path existingModel(Path file) throws IOException {
    ModelFiles.save(TestNetworks.random(5), file);
    return file;
  }

  private void assertOnlyFiles(Path directory, String... names) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      assertEquals(List.of(names), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file may be left behind");
    }
  }

  @Test
  void savingANetworkWithNanLeavesTheExistingFileUntouched() throws IOException {
    Path file = existingModel(dir.resolve("m.safetensors"));
    byte[] before = Files.readAllBytes(file);
    Network bad = TestNetworks.random(6).copy();
    bad.denseLayers().get(0).weight()[0] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(bad, file));
    assertTrue(e.getMessage().contains("layers.0.weight") && e.getMessage().contains("NaN"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertOnlyFiles(dir, "m.safetensors");
  }

  @Test
  void savingToAnImpossiblePathFailsWithoutSideEffects() throws IOException {
    Path file = existingModel(dir.resolve("m.safetensors"));
    byte[] before = Files.readAllBytes(file);
    // The parent of the target is a regular file.
    assertThrows(IOException.class, () -> ModelFiles.save(TestNetworks.random(7), file.resolve("x.safetensors")));
    // The parent does not exist.
    assertThrows(IOException.class,
        () -> ModelFiles.save(TestNetworks.random(7), dir.resolve("missing/x.safetensors")));
    assertArrayEquals(before, Files.readAllBytes(file));
    assertOnlyFiles(dir, "m.safetensors");
  }

  @Test
  void savingOverANonEmptyDirectoryFailsAndLeavesItIntact() throws IOException {
    Path target = dir.resolve("out");
    Files.createDirectory(target);
    Path inside = existingModel(target.resolve("keep.safetensors"));
    byte[] before = Files.readAllBytes(inside);
    assertThrows(IOException.class, () -> ModelFiles.save(TestNetworks.random(8), target));
    assertArrayEquals(before, Files.readAllBytes(inside));
    assertOnlyFiles(dir, "out");
  }

  @Test
  void savingIntoAReadOnlyDirectoryLeavesTheOldFileIntact() throws IOException {
    Path ro = dir.resolve("ro");
    Files.createDirectory(ro);
    Path file = existingModel(ro.resolve("m.safetensors"));
    byte[] before = Files.readAllBytes(file);
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // The superuser ignores directory permissions; there the impossible-path tests stand in.
      assumeTrue(!Files.isWritable(ro), "directory permissions are not enforced for this user");
      assertThrows(IOException.class, () -> ModelFiles.save(TestNetworks.random(9), file));
      assertArrayEquals(before, Files.readAllBytes(file));
      assertOnlyFiles(ro, "m.safetensors");
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void savingReplacesAnExistingFile() throws IOException {
    Path file = existingModel(dir.resolve("m.safetensors"));
    Network other = TestNetworks.random(10);
    ModelFiles.save(other, file);
    assertSameNetwork(other, ModelFiles.load(file));
    assertOnlyFiles(dir, "m.safetensors");
  }

  @Test
  void aSavedModelIsReadableLikeAnyFileAndAReplacedOneKeepsItsPermissions() throws IOException {
    Path fresh = dir.resolve("fresh.safetensors");
    ModelFiles.save(TestNetworks.random(11), fresh);
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    Path kept = existingModel(dir.resolve("kept.safetensors"));
    Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw----"));
    ModelFiles.save(TestNetworks.random(12), kept);
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
  }

  @Test
  void aMissingFileIsAnIoErrorButNotAFormatError() {
    IOException e = assertThrows(IOException.class, () -> ModelFiles.load(dir.resolve("none.safetensors")));
    assertTrue(!(e instanceof ModelFormatException), e.toString());
  }
}
