package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reading CSV as a stream through a small window gives what reading the text whole gives: the same
 * records, fields, line numbers, errors and rows, whatever the window and read sizes; and the memory held
 * is bounded by the window, not the input.
 */
class CsvStreamingTest {

  /** Texts that put every construct of the grammar where a window or a read may cut it. */
  private static final String[] TEXTS = {
    "a,b,c\n1,2,3\n4,5,6\n",
    "a,b\r\n1,2\r\n\r\n  \t \r\n3,4\r\n",
    "a,b\r1,2\r\r3,4",
    "\uFEFFx,y\n\"1,5\",2\n\"q\"\"uote\",\"multi\nline\r\nfield\"\n  \"sp\" , 7 \n",
    "x,y\n\"a\"\"\",\"\"\"\"\n\"\",\"\"\n\n\n5,\"6\r\"\n",
    "h\u00e9,\u4e2d\u6587\n\u00e9\u00e8,\ud83d\ude00\n1,2",
    "a,b\n1,2\n3,\"unterminated\n4,5\n",
    "a,b\n1,2\n\"x\"y,3\n",
    "only\n",
    "",
    "\n\n  \n",
  };

  /** One record as seen: its line, then its fields. */
  private static List<String> records(CsvRecords r, boolean stream) throws IOException {
    List<String> seen = new ArrayList<>();
    try {
      while (stream ? r.read() : r.next()) {
        StringBuilder sb = new StringBuilder().append(r.line()).append(':');
        for (int k = 0; k < r.count(); k++) {
          sb.append('[').append(r.string(k)).append(']');
        }
        seen.add(sb.toString());
      }
    } catch (DataFormatException e) {
      seen.add("error " + e.getMessage());
    }
    return seen;
  }

  private static CsvRecords streamed(byte[] bytes, int window, int chunk, Charset cs) throws IOException {
    return new CsvRecords(new StrictDecoder(new Trickle(bytes, chunk), "t.csv", cs, 4), window, ',', "t.csv");
  }

  @Test
  void everyWindowAndReadSizeSplitsTheTextAsTheWholeTextDoes() throws IOException {
    Random rnd = new Random(11);
    List<String> texts = new ArrayList<>(Arrays.asList(TEXTS));
    for (int t = 0; t < 20; t++) {
      texts.add(randomCsv(rnd));
    }
    for (String text : texts) {
      List<String> whole = records(new CsvRecords(text, ',', "t.csv"), false);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      for (int window = 1; window <= 13; window++) {
        for (int chunk : new int[] {1, 2, 3, 5, 64}) {
          assertEquals(whole, records(streamed(bytes, window, chunk, null), true),
              "window " + window + ", reads of " + chunk + " bytes: " + text);
        }
      }
    }
  }

  /** Short random records over an alphabet rich in delimiters, quotes, line ends and blanks. */
  private static String randomCsv(Random rnd) {
    String alphabet = ",,\"\"\n\r \tab1.";
    StringBuilder sb = new StringBuilder();
    int len = rnd.nextInt(60);
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void decodingProblemsNameTheSameLineAndCharacterAsTheWholeFileDecoder() throws IOException {
    byte[][] inputs = {
      bytes("a,b\n1,2\r\n3,", new byte[] {(byte) 0xC3, 0x28}, ",4\n"),
      bytes("a,b\r", new byte[] {(byte) 0xFF}, "\n"),
      bytes("a,b\n1,2\n3,4", new byte[] {0}, "\n"),
      bytes("a,b\r", new byte[] {0}, "\n"),
      bytes("", new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0}, ""),
      bytes("ok,\u00e9\n", new byte[] {(byte) 0xE2, (byte) 0x82}, ""),
    };
    for (byte[] in : inputs) {
      String expected = assertThrows(DataFormatException.class, () -> CsvLoader.decode(in, "t.csv", null))
          .getMessage();
      for (int window = 1; window <= 6; window++) {
        for (int chunk : new int[] {1, 2, 7}) {
          List<String> seen = new ArrayList<>();
          try {
            seen = records(streamed(in, window, chunk, null), true);
          } catch (DataFormatException e) {
            seen.add("error " + e.getMessage());
          }
          assertEquals("error " + expected, seen.get(seen.size() - 1), "window " + window + ", chunk " + chunk);
        }
      }
    }
  }

  @Test
  void aGivenEncodingIsDecodedAcrossReads() throws IOException {
    String text = "na\u00efve,\u00e9t\u00e9\n1,2\n";
    byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16);
    List<String> whole = records(new CsvRecords(text, ',', "t.csv"), false);
    for (int chunk = 1; chunk <= 5; chunk++) {
      assertEquals(whole, records(streamed(latin1, 3, chunk, StandardCharsets.ISO_8859_1), true));
      assertEquals(whole, records(streamed(utf16, 3, chunk, StandardCharsets.UTF_16), true));
    }
  }

  private static byte[] bytes(String before, byte[] middle, String after) {
    byte[] a = before.getBytes(StandardCharsets.UTF_8);
    byte[] c = after.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(a, a.length + middle.length + c.length);
    System.arraycopy(middle, 0, out, a.length, middle.length);
    System.arraycopy(c, 0, out, a.length + middle.length, c.length);
    return out;
  }

  @Test
  void raggedBatchesGiveTheRowsOfTheWholeText() throws IOException {
    int batch = 7;
    Random rnd = new Random(5);
    for (int rows : new int[] {0, 1, batch - 1, batch, batch + 1, 2 * batch + 3}) {
      for (LoadOptions.Missing missing : LoadOptions.Missing.values()) {
        StringBuilder sb = new StringBuilder("t,b,a\n");
        for (int i = 0; i < rows; i++) {
          sb.append(i % 3).append(',').append(i % 4 == 2 ? "NA" : rnd.nextGaussian()).append(',')
              .append((float) rnd.nextGaussian() * 100).append(i % 5 == 0 ? "\r\n\n" : "\n");
        }
        String text = sb.toString();
        LoadOptions options = LoadOptions.DEFAULTS.withMissing(missing);
        List<String> names = List.of("a", "b");
        float[] fill = {-1f, -2f};
        String whole;
        try {
          whole = readAll(CsvFeatureReader.parse(text, "t.csv", names, 2, null, options, fill), batch);
        } catch (DataFormatException e) {
          whole = e.getMessage();
        }
        for (int window : new int[] {1, 5, 64}) {
          String streamed;
          try {
            streamed = readAll(CsvFeatureReader.stream(new Trickle(text.getBytes(StandardCharsets.UTF_8), 3),
                null, "t.csv", names, 2, null, options, fill, window, 4), batch);
          } catch (DataFormatException e) {
            streamed = e.getMessage();
          }
          assertEquals(whole, streamed, rows + " rows, " + missing + ", window " + window);
        }
        if (missing == LoadOptions.Missing.ERROR && rows > 2) {
          assertTrue(whole.contains("line 5") && whole.contains("(b)"), whole);
        }
      }
    }
  }

  /** Every batch's rows as text: row number and bit patterns, batch by batch. */
  private static String readAll(CsvFeatureReader r, int batch) throws IOException {
    float[] x = new float[batch * 2];
    int[] rows = new int[batch];
    StringBuilder sb = new StringBuilder();
    int n;
    while ((n = r.read(x, rows, batch)) > 0) {
      sb.append("batch ").append(n).append('\n');
      for (int i = 0; i < n; i++) {
        sb.append(rows[i]).append(' ').append(Float.floatToRawIntBits(x[2 * i])).append(' ')
            .append(Float.floatToRawIntBits(x[2 * i + 1])).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void aBadCellFarDownNamesItsLineAfterTheEarlierBatchesWereRead() throws IOException {
    int bad = 50_000;
    StringBuilder sb = new StringBuilder("id,f1,f2\n");
    for (int i = 1; i <= 60_000; i++) {
      sb.append(i).append(',').append(i == bad ? "x1" : Integer.toString(i % 97)).append(",0.5\n");
    }
    String text = sb.toString();
    String expected = assertThrows(DataFormatException.class,
        () -> readAll(CsvFeatureReader.parse(text, "t.csv", List.of("f1", "f2"), 2, null, LoadOptions.DEFAULTS,
            null), 1024)).getMessage();
    assertTrue(expected.contains("line " + (bad + 1)) && expected.contains("column 2 (f1)"), expected);

    CsvFeatureReader r = CsvFeatureReader.stream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        null, "t.csv", List.of("f1", "f2"), 2, null, LoadOptions.DEFAULTS, null, 4096, 4096);
    float[] x = new float[1024 * 2];
    int[] rows = new int[1024];
    int read = 0;
    DataFormatException e = null;
    try {
      int n;
      while ((n = r.read(x, rows, 1024)) > 0) {
        for (int i = 0; i < n; i++) {
          assertEquals(read + i + 1, rows[i]);
          assertEquals((read + i + 1) % 97, x[2 * i]);
        }
        read += n;
      }
    } catch (DataFormatException thrown) {
      e = thrown;
    }
    assertEquals(expected, e == null ? null : e.getMessage());
    assertEquals((bad - 1) / 1024 * 1024, read, "every full batch before the bad row");
    assertEquals(bad + 1, e.line());
  }

  @Test
  void memoryIsBoundedByTheWindowNotTheInput() throws IOException {
    // An endless input that fails once more than 1 MB has been taken from it: reading it whole cannot work.
    Endless in = new Endless(1 << 20);
    CsvFeatureReader r = CsvFeatureReader.open(in, "endless", List.of("a", "b"), 2, null, LoadOptions.DEFAULTS,
        null);
    int batch = 1000;
    float[] x = new float[batch * 2];
    int[] rows = new int[batch];
    for (int b = 0; b < 20; b++) {
      assertEquals(batch, r.read(x, rows, batch));
      for (int i = 0; i < batch; i++) {
        long row = (long) b * batch + i + 1;
        assertEquals(row, rows[i]);
        assertEquals((float) (row % 1000), x[2 * i]);
        assertEquals((float) (row % 7), x[2 * i + 1]);
      }
    }
    assertTrue(r.windowSize() <= CsvFeatureReader.WINDOW, "window grew to " + r.windowSize());
    assertTrue(in.taken < 20L * batch * 16 + CsvFeatureReader.WINDOW + CsvFeatureReader.BYTES,
        "took " + in.taken + " bytes for 20,000 rows");
  }

  /** Gives at most {@code chunk} bytes per read, as a pipe may. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private final int chunk;
    private int pos;

    Trickle(byte[] bytes, int chunk) {
      this.bytes = bytes;
      this.chunk = chunk;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos == bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** Rows "a,b,c" forever ("row % 7, row % 1000, row"), failing past a byte limit. */
  private static final class Endless extends InputStream {
    private final long limit;
    private byte[] line = "b,a,c\n".getBytes(StandardCharsets.US_ASCII);
    private int at;
    private long row;
    long taken;

    Endless(long limit) {
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      if (at == line.length) {
        row++;
        line = (row % 7 + "," + row % 1000 + "," + row + "\n").getBytes(StandardCharsets.US_ASCII);
        at = 0;
      }
      if (++taken > limit) {
        throw new IOException("read past " + limit + " bytes: the input is being read whole");
      }
      return line[at++];
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) {
        b[off + i] = (byte) read();
      }
      return len;
    }
  }
}
