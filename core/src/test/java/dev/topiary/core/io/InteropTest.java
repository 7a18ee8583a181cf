package dev.topiary.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.topiary.core.json.Json;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads models written by {@code src/test/resources/interop/make_fixtures.py} (numpy only, tensors in
 * name order, header padded like the safetensors reference writer) and compares Topiary's outputs with
 * the ones numpy computed in double precision.
 */
class InteropTest {

  /** Float inference on these small networks (fan-in ≤ 7) agrees with float64 to about 1e-6. */
  private static final double TOLERANCE = 2e-5;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(InteropTest.class.getResource("/interop/" + name).toURI());
  }

  private static Map<?, ?> expected(String model) throws IOException, URISyntaxException {
    String text = Files.readString(resource("expected.json"), StandardCharsets.UTF_8);
    return (Map<?, ?>) ((Map<?, ?>) Json.parse(text)).get(model);
  }

  /** A [rows × cols] JSON array of numbers, flattened row-major into floats (exact for the inputs). */
  private static float[] matrix(Object json) {
    List<?> rows = (List<?>) json;
    int cols = ((List<?>) rows.get(0)).size();
    float[] out = new float[rows.size() * cols];
    for (int i = 0; i < rows.size(); i++) {
      List<?> row = (List<?>) rows.get(i);
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = (float) ((Number) row.get(j)).doubleValue();
      }
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      double tol = TOLERANCE * Math.max(1.0, Math.abs(expected[i]));
      assertEquals(expected[i], actual[i], tol, "element " + i);
    }
  }

  @Test
  void classifierWrittenByNumpyGivesTheSameOutputs() throws Exception {
    ModelFile file = ModelFiles.read(resource("classifier.safetensors"));
    Network n = file.network();
    assertEquals(Task.classification(List.of("setosa", "versicolor", "virginica")), n.task());
    assertEquals("5-7-3", n.describe());
    assertEquals(Activation.RELU, n.denseLayers().get(0).activation());
    assertEquals(List.of("producer"), List.copyOf(file.extraMetadata().keySet()));

    Map<?, ?> e = expected("classifier");
    float[] x = matrix(e.get("inputs"));
    int rows = ((List<?>) e.get("inputs")).size();
    float[] logits = new float[rows * 3];
    n.predictLogits(x, 0, rows, logits, 0);
    assertClose(matrix(e.get("logits")), logits);
    assertClose(matrix(e.get("probabilities")), n.predict(x, rows));
    int[] classes = ((List<?>) e.get("classes")).stream().mapToInt(c -> ((Long) c).intValue()).toArray();
    assertArrayEquals(classes, n.predictClasses(x, rows));
  }

  @Test
  void regressorWithAResidualBlockWrittenByNumpyGivesTheSameOutputs() throws Exception {
    Network n = ModelFiles.load(resource("regressor.safetensors"));
    assertEquals(Task.regression(2), n.task());
    assertEquals("4-6-[res 6]-5-2", n.describe());
    ResidualBlock block = (ResidualBlock) n.layers().get(1);
    assertEquals(Activation.GELU, block.layers().get(0).activation());

    Map<?, ?> e = expected("regressor");
    float[] x = matrix(e.get("inputs"));
    int rows = ((List<?>) e.get("inputs")).size();
    float[] raw = new float[rows * 2];
    n.predictLogits(x, 0, rows, raw, 0);
    assertClose(matrix(e.get("outputs")), raw);
    assertClose(matrix(e.get("values")), n.predict(x, rows));
  }

  @Test
  void topiaryRewritesTheFixtureIntoAFileThatReadsBackIdentically() throws Exception {
    Path dir = Files.createTempDirectory("topiary-interop");
    Path copy = dir.resolve("copy.safetensors");
    try {
      ModelFile original = ModelFiles.read(resource("regressor.safetensors"));
      ModelFiles.save(original.network(), copy, original.extraMetadata());
      ModelFile again = ModelFiles.read(copy);
      ModelFilesTest.assertSameNetwork(original.network(), again.network());
      assertEquals(original.extraMetadata(), again.extraMetadata());
    } finally {
      Files.deleteIfExists(copy);
      Files.delete(dir);
    }
  }
}
