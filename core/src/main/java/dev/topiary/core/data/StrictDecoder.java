package dev.topiary.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream into characters piece by piece, as strictly as {@link CsvLoader#decode} decodes a
 * whole file and with the same messages: with no encoding given, UTF-8, refusing a UTF-16 byte-order mark
 * and NUL characters; an invalid byte sequence is an error naming its line, column and bytes. Problems are
 * reported in reading order, so a stream with a NUL early and an invalid byte later reports the NUL, where
 * the whole-file decoder, which decodes everything before looking for NULs, would report the invalid byte.
 */
final class StrictDecoder {

  private final InputStream in;
  private final String source;
  private final Charset encoding;
  private final Charset charset;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes;
  private boolean started;
  private boolean inputEnded;
  private boolean flushing;
  private boolean flushed;

  // Where the characters decoded so far end: line and start of that line, counted as CsvLoader counts them.
  private long decoded;
  private int line = 1;
  private long lineStart;
  private boolean pendingCr;

  /**
   * @param in the bytes (read, not closed)
   * @param source names the input in errors
   * @param encoding the character set, or null for UTF-8 with the checks above
   * @param byteBuffer how many bytes to read at a time (at least 4)
   */
  StrictDecoder(InputStream in, String source, Charset encoding, int byteBuffer) {
    this.in = in;
    this.source = source;
    this.encoding = encoding;
    this.charset = encoding == null ? StandardCharsets.UTF_8 : encoding;
    this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.bytes = ByteBuffer.allocate(Math.max(4, byteBuffer));
    bytes.flip();
  }

  /**
   * Decodes characters into {@code dst[off, off + len)}, {@code len > 0}, waiting for input as needed.
   *
   * @return how many characters (at least 1), or -1 at the end of the input
   * @throws DataFormatException at an invalid byte sequence or (without an encoding) a NUL character
   */
  int read(char[] dst, int off, int len) throws IOException {
    if (!started) {
      start();
    }
    if (flushed) {
      return -1;
    }
    CharBuffer out = CharBuffer.wrap(dst, off, len);
    while (true) {
      if (!flushing) {
        CoderResult r = decoder.decode(bytes, out, inputEnded);
        if (r.isError()) {
          throw invalid(r, dst, off, out.position());
        }
        if (r.isOverflow()) {
          break;
        }
        if (!inputEnded) {
          if (out.position() > off) {
            break;
          }
          readBytes();
          continue;
        }
        flushing = true;
      }
      CoderResult r = decoder.flush(out);
      if (r.isError()) {
        throw invalid(r, dst, off, out.position());
      }
      if (r.isUnderflow()) {
        flushed = true;
      }
      break;
    }
    int count = out.position() - off;
    track(dst, off, count, encoding == null);
    return count == 0 ? -1 : count;
  }

  /** Reads the first bytes and refuses a UTF-16 byte-order mark when no encoding was given. */
  private void start() throws IOException {
    started = true;
    while (!inputEnded && bytes.remaining() < 2) {
      readBytes();
    }
    if (encoding == null && bytes.remaining() >= 2) {
      byte b0 = bytes.get(0);
      byte b1 = bytes.get(1);
      if ((b0 == (byte) 0xFF && b1 == (byte) 0xFE) || (b0 == (byte) 0xFE && b1 == (byte) 0xFF)) {
        throw CsvLoader.utf16Error(source);
      }
    }
  }

  /** Keeps the unread bytes and appends what the stream has next; marks the end of the input. */
  private void readBytes() throws IOException {
    bytes.compact();
    int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (r < 0) {
      inputEnded = true;
    } else {
      bytes.position(bytes.position() + r);
    }
    bytes.flip();
  }

  /** Advances the line count over {@code c[off, off + count)}, refusing NUL characters when asked. */
  private void track(char[] c, int off, int count, boolean refuseNul) throws DataFormatException {
    for (int i = off; i < off + count; i++) {
      char ch = c[i];
      if (ch == 0 && refuseNul) {
        throw CsvLoader.nulError(source, lineHere(), columnHere());
      }
      if (pendingCr && ch != '\n') {
        line++;
        lineStart = decoded;
      }
      decoded++;
      if (ch == '\n') {
        line++;
        lineStart = decoded;
      }
      pendingCr = ch == '\r';
    }
  }

  /** The line of the next character: a CR that ends the text so far ends a line. */
  private int lineHere() {
    return pendingCr ? line + 1 : line;
  }

  private int columnHere() {
    return (int) (decoded - (pendingCr ? decoded : lineStart)) + 1;
  }

  private DataFormatException invalid(CoderResult r, char[] dst, int off, int end) throws DataFormatException {
    track(dst, off, end - off, false);
    StringBuilder hex = new StringBuilder();
    int at = bytes.position();
    for (int i = at; i < Math.min(bytes.limit(), at + Math.max(1, r.length())); i++) {
      hex.append(hex.length() == 0 ? "" : " ")
          .append(String.format(java.util.Locale.ROOT, "0x%02X", bytes.get(i) & 0xFF));
    }
    return CsvLoader.invalidBytesError(source, lineHere(), columnHere(), charset, hex.toString(), encoding == null);
  }
}
