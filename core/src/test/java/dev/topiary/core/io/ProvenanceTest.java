package dev.topiary.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library writes and reads provenance for any caller of {@link ModelFiles#save}. */
class ProvenanceTest {

  @TempDir Path dir;

  @Test
  void saveWritesEveryRecordedFieldAndReadGivesItBack() throws Exception {
    Network net = Network.mlp(3, new int[] {4}, Activation.RELU, Task.classification(List.of("a", "b")), 1);
    Provenance p = Provenance.NONE.withTool("my service")
        .withSplit("/data/x.csv", "label", 11L, new Split.Fractions(0.6, 0.2, 0.2))
        .withTraining(30, 24, Map.of("optimizer", "adam", "batch", 32L))
        .withFeatureNames(List.of("u", "v", "w"));
    Path f = dir.resolve("m.safetensors");
    ModelFiles.save(net, f, p, Map.of("mine", "kept"));
    ModelFile read = ModelFiles.read(f);
    assertEquals(p, read.provenance());
    assertEquals("kept", read.metadata().get("mine"));
    assertEquals("[\"u\",\"v\",\"w\"]", read.metadata().get(Provenance.FEATURES));
    assertTrue(read.provenance().recordsSplit());
  }

  @Test
  void aFileWithoutProvenanceReadsAsNothingRecorded() throws Exception {
    Network net = Network.mlp(2, new int[] {3}, Activation.TANH, Task.regression(1), 1);
    Path f = dir.resolve("bare.safetensors");
    ModelFiles.save(net, f);
    assertEquals(Provenance.NONE, ModelFiles.read(f).provenance());
    assertTrue(!Provenance.NONE.recordsSplit());
  }

  @Test
  void unreadableValuesCountAsNotRecorded() {
    Provenance p = Provenance.fromMetadata(Map.of(Provenance.SPLIT_SEED, "x", Provenance.SPLIT_FRACTIONS, "1,2",
        Provenance.FEATURES, "[1, 2]", Provenance.RECIPE, "{not json", Provenance.EPOCHS, "-3",
        Provenance.DATA, "builtin:iris"));
    assertNull(p.splitSeed());
    assertNull(p.fractions());
    assertNull(p.featureNames());
    assertNull(p.recipe());
    assertNull(p.epochs());
    assertEquals("builtin:iris", p.data());
    assertTrue(!p.recordsSplit());
  }

  @Test
  void featureChecksNameWhatDiffers() {
    List<String> model = List.of("a", "b", "c");
    Provenance.checkFeatures(model, List.of("a", "b", "c"), "d.csv");
    Provenance.checkFeatures(null, List.of("x"), "d.csv");
    Provenance.checkFeatures(model, null, "d.csv");
    String lacks = assertThrows(FeatureMismatchException.class,
        () -> Provenance.checkFeatures(model, List.of("a", "z", "c"), "d.csv")).getMessage();
    assertEquals("d.csv lacks the column 'b' the model was trained on, and has 'z' instead", lacks);
    String order = assertThrows(FeatureMismatchException.class,
        () -> Provenance.checkFeatures(model, List.of("a", "c", "b"), "d.csv")).getMessage();
    assertTrue(order.contains("column 2 is 'c'") && order.contains("'b'"), order);
    String count = assertThrows(FeatureMismatchException.class,
        () -> Provenance.checkFeatures(model, List.of("a", "b"), "d.csv")).getMessage();
    assertTrue(count.startsWith("d.csv has 2 feature columns, the model was trained on 3"), count);
  }
}
