package dev.topiary.core.io;

import dev.topiary.core.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A safetensors file taken apart, for tests that corrupt one piece and write it back. */
final class RawModelFile {

  /** The parsed header: tensor entries and {@code __metadata__}, in file order. */
  final Map<String, Object> header;
  /** The data area. */
  byte[] data;

  @SuppressWarnings("unchecked")
  RawModelFile(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    header = (Map<String, Object>) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    data = Arrays.copyOfRange(all, 8 + (int) n, all.length);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> tensor(String name) {
    return (Map<String, Object>) header.get(name);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> metadata() {
    return (Map<String, Object>) header.get("__metadata__");
  }

  /** The data offsets of a tensor. */
  long[] offsets(String name) {
    var l = (java.util.List<?>) tensor(name).get("data_offsets");
    return new long[] {(Long) l.get(0), (Long) l.get(1)};
  }

  /** Writes the header as JSON text and the data area. */
  void write(Path file) throws IOException {
    writeRaw(file, Json.write(header), data);
  }

  /** Writes an 8-byte length, the given header text and the data area. */
  static void writeRaw(Path file, String headerText, byte[] data) throws IOException {
    byte[] h = headerText.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Files.write(file, b.array());
  }

  /** A copy of a map with one entry replaced (or removed when value is null), order kept. */
  static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> c = new LinkedHashMap<>(m);
    if (value == null) {
      c.remove(key);
    } else {
      c.put(key, value);
    }
    return c;
  }
}
