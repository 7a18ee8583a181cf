package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topiary export} and {@code topiary import}: a model survives the trip through ONNX. */
class ExportImportCommandTest {

  @TempDir Path dir;

  @Test
  void aModelExportedToOnnxImportsBackWithItsTaskFeaturesAndPredictions() throws Exception {
    Path m = dir.resolve("wine.safetensors");
    assertEquals(0, Cli.run("train", "--data", "builtin:wine", "--out", m.toString(), "--hidden", "12,9",
        "--activation", "tanh", "--epochs", "5", "--quiet").code());
    Path onnx = dir.resolve("wine.onnx");
    Cli.Result r = Cli.run("export", "--model", m.toString(), "--format", "onnx", "--out", onnx.toString(), "--json");
    assertEquals(17.0, Cli.num(r.json(), "opset"));
    assertEquals((double) Files.size(onnx), Cli.num(r.json(), "bytes"));
    Path back = dir.resolve("back.safetensors");
    assertEquals(0, Cli.run("import", "--model", onnx.toString(), "--out", back.toString(), "--quiet").code());

    ModelFile a = ModelFiles.read(m);
    ModelFile b = ModelFiles.read(back);
    assertEquals(a.network().task(), b.network().task());
    assertEquals(a.provenance().featureNames(), b.provenance().featureNames());
    assertEquals("topiary import", b.provenance().tool());
    Dataset wine = DataSources.load("builtin:wine").train();
    float[] pa = a.network().predict(wine.x(), wine.rows());
    float[] pb = b.network().predict(wine.x(), wine.rows());
    assertArrayEquals(pa, pb);
  }

  @Test
  void badRequestsFailWithOneLine() throws Exception {
    Path m = dir.resolve("iris.safetensors");
    ModelFiles.save(Network.mlp(4, new int[] {3}, dev.topiary.kernels.Activation.RELU,
        DataSources.load("builtin:iris").train().task(), 1), m);
    String e = Cli.run("export", "--model", m.toString(), "--format", "tflite", "--out",
        dir.resolve("x").toString()).errorLine(2);
    assertTrue(e.contains("tflite"), e);
    // A Topiary file read as a state dict: its tensors are named like one, but the activation is unknown.
    e = Cli.run("import", "--model", m.toString(), "--out", dir.resolve("y.safetensors").toString()).errorLine(2);
    assertTrue(e.contains("--activation"), e);
    Path junk = dir.resolve("junk.onnx");
    Files.write(junk, new byte[] {8, 8, 0x3a, 100, 1});
    e = Cli.run("import", "--model", junk.toString(), "--out", dir.resolve("z.safetensors").toString()).errorLine(2);
    assertTrue(e.contains("truncated") || e.contains("corrupt"), e);
    assertTrue(!Files.exists(dir.resolve("z.safetensors")));
  }
}
