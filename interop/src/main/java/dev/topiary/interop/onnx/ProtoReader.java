package dev.topiary.interop.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protocol-buffers wire encoding field by field over a byte range: the counterpart of
 * {@link ProtoWriter}, plus the 64-bit wire type (1) so that any field can at least be skipped. Every
 * length is checked against the range, so a truncated or hostile file raises {@link OnnxFormatException}
 * rather than reading past its end.
 */
final class ProtoReader {

  private final byte[] buf;
  private int pos;
  private final int end;
  private int field;
  private int wireType;

  ProtoReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  private ProtoReader(byte[] buf, int from, int to) {
    this.buf = buf;
    this.pos = from;
    this.end = to;
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() throws OnnxFormatException {
    if (pos >= end) {
      return false;
    }
    long tag = varint();
    field = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (field <= 0) {
      throw new OnnxFormatException("corrupt protobuf: field number " + field + " at byte " + pos);
    }
    return true;
  }

  int field() {
    return field;
  }

  int wireType() {
    return wireType;
  }

  /** The current field as a varint. */
  long varint() throws OnnxFormatException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new OnnxFormatException("corrupt protobuf: a varint runs past the end of its message");
      }
      int b = buf[pos++] & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new OnnxFormatException("corrupt protobuf: a varint longer than 10 bytes");
  }

  /** The current field as a 32-bit float. */
  float float32() throws OnnxFormatException {
    need(4);
    int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
        | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  /** The current length-delimited field as raw bytes. */
  byte[] bytes() throws OnnxFormatException {
    int n = length();
    byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  /** The current length-delimited field as UTF-8 text. */
  String string() throws OnnxFormatException {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** The current length-delimited field as an embedded message. */
  ProtoReader message() throws OnnxFormatException {
    int n = length();
    ProtoReader r = new ProtoReader(buf, pos, pos + n);
    pos += n;
    return r;
  }

  /** A packed repeated varint field's values, or the single value of an unpacked one. */
  long[] varints() throws OnnxFormatException {
    if (wireType == 0) {
      return new long[] {varint()};
    }
    ProtoReader r = message();
    long[] out = new long[8];
    int n = 0;
    while (r.pos < r.end) {
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = r.varint();
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** A packed repeated float field's values, or the single value of an unpacked one. */
  float[] floats() throws OnnxFormatException {
    if (wireType == 5) {
      return new float[] {float32()};
    }
    ProtoReader r = message();
    if ((r.end - r.pos) % 4 != 0) {
      throw new OnnxFormatException("corrupt protobuf: packed floats of " + (r.end - r.pos) + " bytes");
    }
    float[] out = new float[(r.end - r.pos) / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.float32();
    }
    return out;
  }

  /** Skips the current field. */
  void skip() throws OnnxFormatException {
    switch (wireType) {
      case 0 -> varint();
      case 1 -> { need(8); pos += 8; }
      case 2 -> {
        int n = length(); // before the +=, which would read pos first
        pos += n;
      }
      case 5 -> { need(4); pos += 4; }
      default -> throw new OnnxFormatException("corrupt protobuf: wire type " + wireType + " of field " + field);
    }
  }

  private int length() throws OnnxFormatException {
    long n = varint();
    if (n < 0 || n > end - pos) {
      throw new OnnxFormatException("corrupt protobuf: field " + field + " claims " + n + " bytes, "
          + (end - pos) + " remain (file truncated?)");
    }
    return (int) n;
  }

  private void need(int n) throws OnnxFormatException {
    if (end - pos < n) {
      throw new OnnxFormatException("corrupt protobuf: field " + field + " needs " + n + " bytes, "
          + (end - pos) + " remain (file truncated?)");
    }
  }
}
