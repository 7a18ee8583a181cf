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
}
