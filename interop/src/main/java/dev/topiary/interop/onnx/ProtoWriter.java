package dev.topiary.interop.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol-buffers wire encoding, only as much of it as an ONNX model needs: varints (wire type 0),
 * length-delimited fields (2) and 32-bit fields (5). Each message is built into its own buffer and written
 * into its parent as bytes, which keeps the writer a few lines long; an ONNX file of a dense network is a
 * few megabytes, so the copies cost nothing that matters.
 */
final class ProtoWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Field {@code field} as a varint (int32, int64, enum). */
  ProtoWriter varint(int field, long value) {
    tag(field, 0);
    raw(value);
    return this;
  }

  /** Field {@code field} as a 32-bit float. */
  ProtoWriter float32(int field, float value) {
    tag(field, 5);
    int bits = Float.floatToRawIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write(bits >>> (8 * i));
    }
    return this;
  }

  /** Field {@code field} as length-delimited bytes. */
  ProtoWriter bytes(int field, byte[] value) {
    tag(field, 2);
    raw(value.length);
    out.writeBytes(value);
    return this;
  }

  /** Field {@code field} as a UTF-8 string. */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Field {@code field} as an embedded message. */
  ProtoWriter message(int field, ProtoWriter value) {
    return bytes(field, value.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    raw(((long) field << 3) | wireType);
  }

  private void raw(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
