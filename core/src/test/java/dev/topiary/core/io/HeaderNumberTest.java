package dev.topiary.core.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A number too large for a double in a model header is reported, not re-encoded into a JSON failure. */
class HeaderNumberTest {

  @TempDir Path dir;

  @Test
  void aShapeOfInfinityIsAModelFormatError() throws Exception {
    Path f = dir.resolve("inf.safetensors");
    RawModelFile.writeRaw(f, "{\"__metadata__\":{},\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1e999,2],"
        + "\"data_offsets\":[0,8]}}", new byte[8]);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(f));
    assertTrue(e.getMessage().contains("Infinity") && e.getMessage().contains("inf.safetensors"), e.getMessage());
  }

  @Test
  void duplicateClassLabelsAreAModelFormatError() throws Exception {
    Path f = dir.resolve("dup.safetensors");
    ModelFiles.save(dev.topiary.core.model.Network.mlp(2, new int[] {3}, dev.topiary.kernels.Activation.RELU,
        dev.topiary.core.model.Task.classification(java.util.List.of("ab", "cd")), 1), f);
    byte[] bytes = java.nio.file.Files.readAllBytes(f);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = text.indexOf("cd\\\"]");
    assertTrue(at > 0, "fixture: the labels in the header");
    // Same length, so the header length and offsets stay valid: only the labels are wrong.
    bytes[at] = 'a';
    bytes[at + 1] = 'b';
    java.nio.file.Files.write(f, bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(f));
    assertTrue(e.getMessage().contains("class label \"ab\" appears twice"), e.getMessage());
  }
}
