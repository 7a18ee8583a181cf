package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLoaderTest {

  @TempDir
  Path dir;

  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  static byte[] pixels(int n, int rows, int cols, long seed) {
    byte[] p = new byte[n * rows * cols];
    new Random(seed).nextBytes(p);
    p[0] = 0;
    p[1] = (byte) 255;
    return p;
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private static void assertPixels(byte[] expected, float[] x) {
    assertEquals(expected.length, x.length);
    for (int i = 0; i < x.length; i++) {
      assertEquals((expected[i] & 0xFF) / 255f, x[i], "pixel " + i);
    }
  }

  @Test
  void rawAndGzippedFilesRoundTrip() throws IOException {
    byte[] px = pixels(5, 3, 4, 1);
    byte[] labels = {0, 2, 1, 2, 0};
    for (boolean gzImages : new boolean[] {false, true}) {
      for (boolean gzLabels : new boolean[] {false, true}) {
        byte[] im = idx(IdxLoader.IMAGES_MAGIC, new int[] {5, 3, 4}, px);
        byte[] lb = idx(IdxLoader.LABELS_MAGIC, new int[] {5}, labels);
        // names without .gz on purpose: gzip is detected by content
        Path images = write("images", gzImages ? gzip(im) : im);
        Path labelFile = write("labels", gzLabels ? gzip(lb) : lb);
        Dataset d = IdxLoader.load(images, labelFile, "tiny");
        assertEquals(5, d.rows());
        assertEquals(12, d.features());
        assertPixels(px, d.x());
        assertEquals(0f, d.x()[0]);
        assertEquals(1f, d.x()[1]);
        assertArrayEquals(new int[] {0, 2, 1, 2, 0}, d.labels());
        assertEquals(List.of("0", "1", "2"), d.task().classLabels());
        assertEquals("pixel_2_3", d.featureNames().get(11));
      }
    }
  }

  @Test
  void directoryWithTrainAndTestPairsSharesOneTask() throws IOException {
    byte[] trainPx = pixels(6, 2, 3, 2);
    byte[] testPx = pixels(3, 2, 3, 3);
    write("train-images-idx3-ubyte.gz", gzip(idx(IdxLoader.IMAGES_MAGIC, new int[] {6, 2, 3}, trainPx)));
    write("train-labels-idx1-ubyte.gz", gzip(idx(IdxLoader.LABELS_MAGIC, new int[] {6}, new byte[] {0, 1, 2, 0, 1, 2})));
    write("t10k-images-idx3-ubyte", idx(IdxLoader.IMAGES_MAGIC, new int[] {3, 2, 3}, testPx));
    write("t10k-labels-idx1-ubyte", idx(IdxLoader.LABELS_MAGIC, new int[] {3}, new byte[] {3, 0, 1}));
    Loaded loaded = IdxLoader.loadDirectory(dir);
    assertTrue(loaded.hasTest());
    assertEquals(6, loaded.train().rows());
    assertEquals(3, loaded.test().rows());
    assertEquals(4, loaded.train().task().classes());
    assertEquals(loaded.train().task(), loaded.test().task());
    assertPixels(trainPx, loaded.train().x());
    assertPixels(testPx, loaded.test().x());
    assertArrayEquals(new int[] {3, 0, 1}, loaded.test().labels());
    assertEquals("idx:" + dir + "/train", loaded.train().name());

    Loaded viaSource = DataSources.load("idx:" + dir);
    assertArrayEquals(loaded.test().x(), viaSource.test().x());
  }

  @Test
  void directoryWithoutTestPairHasNoTestPart() throws IOException {
    write("train-images-idx3-ubyte", idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 1, 2}, pixels(2, 1, 2, 4)));
    write("train-labels-idx1-ubyte", idx(IdxLoader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 0}));
    Loaded loaded = IdxLoader.loadDirectory(dir);
    assertFalse(loaded.hasTest());
    assertNull(loaded.test());

    write("t10k-images-idx3-ubyte.gz", gzip(idx(IdxLoader.IMAGES_MAGIC, new int[] {1, 1, 2}, new byte[2])));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxLoader.loadDirectory(dir));
    assertEquals(dir.resolve("t10k-labels-idx1-ubyte")
        + ": missing (gzipped or not) although the other file of the t10k pair is present", e.getMessage());
  }

  @Test
  void missingDirectoryAndMissingTrainingFiles() throws IOException {
    Path nowhere = dir.resolve("nowhere");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxLoader.loadDirectory(nowhere));
    assertTrue(e.getMessage().startsWith(nowhere + ": no such directory"), e.getMessage());
    write("train-images-idx3-ubyte", idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 1, 2}, pixels(2, 1, 2, 4)));
    e = assertThrows(NoSuchFileException.class, () -> IdxLoader.loadDirectory(dir));
    assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": missing (looked for it with and without .gz);"
        + " idx:DIR needs the train images and labels", e.getMessage());
  }

  private DataFormatException imagesFailure(byte[] content) throws IOException {
    Path images = write("bad-images", content);
    Path labels = write("ok-labels", idx(IdxLoader.LABELS_MAGIC, new int[] {2}, new byte[] {0, 1}));
    return assertThrows(DataFormatException.class, () -> IdxLoader.load(images, labels, "bad"));
  }

  @Test
  void truncatedRawFile() throws IOException {
    byte[] full = idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 2, 2}, pixels(2, 2, 2, 5));
    DataFormatException e = imagesFailure(Arrays.copyOf(full, full.length - 3));
    assertEquals(dir.resolve("bad-images") + ": truncated: the header [2, 2, 2] needs 8 data bytes after the"
        + " 16-byte header, the file has 5", e.getMessage());
    e = imagesFailure(Arrays.copyOf(full, 10));
    assertEquals(dir.resolve("bad-images") + ": truncated: the file ends inside its 16-byte IDX header after 10"
        + " bytes", e.getMessage());
    e = imagesFailure(new byte[0]);
    assertTrue(e.getMessage().endsWith("ends inside its 16-byte IDX header after 0 bytes"), e.getMessage());
  }

  @Test
  void paddedRawFile() throws IOException {
    byte[] full = idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 2, 2}, pixels(2, 2, 2, 5));
    DataFormatException e = imagesFailure(Arrays.copyOf(full, full.length + 4));
    assertEquals(dir.resolve("bad-images") + ": has trailing bytes: the header [2, 2, 2] needs 8 data bytes after"
        + " the 16-byte header, the file has 12", e.getMessage());
  }

  @Test
  void truncatedGzippedFile() throws IOException {
    byte[] claimsTen = idx(IdxLoader.IMAGES_MAGIC, new int[] {10, 2, 2}, pixels(2, 2, 2, 6));
    DataFormatException e = imagesFailure(gzip(claimsTen));
    assertEquals(dir.resolve("bad-images") + ": truncated: the header [10, 2, 2] needs 40 data bytes, the"
        + " uncompressed file has only 8", e.getMessage());
    byte[] gz = gzip(idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 20, 20}, pixels(2, 20, 20, 7)));
    e = imagesFailure(Arrays.copyOf(gz, gz.length / 2));
    assertTrue(e.getMessage().contains("corrupt or truncated gzip data"), e.getMessage());
  }

  @Test
  void gzippedFileWithTrailingData() throws IOException {
    byte[] extra = idx(IdxLoader.IMAGES_MAGIC, new int[] {1, 2, 2}, pixels(2, 2, 2, 8));
    DataFormatException e = imagesFailure(gzip(extra));
    assertEquals(dir.resolve("bad-images") + ": has trailing bytes after the 4 data bytes its header [1, 2, 2]"
        + " describes", e.getMessage());
  }

  @Test
  void lyingHeadersFailBeforeAllocating() throws IOException {
    // 60000 x 28 x 28 bytes cannot come from a gzip of a few dozen bytes
    byte[] lie = gzip(idx(IdxLoader.IMAGES_MAGIC, new int[] {60000, 28, 28}, new byte[4]));
    DataFormatException e = imagesFailure(lie);
    assertTrue(e.getMessage().startsWith(dir.resolve("bad-images") + ": the header [60000, 28, 28] needs 47040000"
        + " data bytes, more than a gzip file of "), e.getMessage());
    // larger than any array, raw and gzipped
    byte[] huge = idx(IdxLoader.IMAGES_MAGIC, new int[] {Integer.MAX_VALUE, 65536, 65536}, new byte[4]);
    for (byte[] content : List.of(huge, gzip(huge))) {
      e = imagesFailure(content);
      assertEquals(dir.resolve("bad-images") + ": the header claims [2147483647, 65536, 65536]: more than the "
          + (Integer.MAX_VALUE - 16) + " bytes one array can hold", e.getMessage());
    }
    e = imagesFailure(idx(IdxLoader.IMAGES_MAGIC, new int[] {2, -1, 2}, new byte[4]));
    assertEquals(dir.resolve("bad-images") + ": dimension 1 of the header is -1; every dimension must be positive"
        + " (header [2, -1, 2])", e.getMessage());
  }

  @Test
  void wrongMagicSaysWhatWasExpected() throws IOException {
    DataFormatException e = imagesFailure(idx(IdxLoader.LABELS_MAGIC, new int[] {2}, new byte[] {0, 1}));
    assertEquals(dir.resolve("bad-images") + ": expected IDX magic 0x00000803 (unsigned-byte images [n, rows, cols]),"
        + " found 0x00000801 (unsigned-byte labels [n]: are the images and labels swapped?)", e.getMessage());
    e = imagesFailure("just some text that is long enough".getBytes());
    assertTrue(e.getMessage().contains("expected IDX magic 0x00000803"), e.getMessage());
  }

  @Test
  void labelCountMustMatchImageCount() throws IOException {
    Path images = write("im", idx(IdxLoader.IMAGES_MAGIC, new int[] {3, 1, 1}, new byte[] {1, 2, 3}));
    Path labels = write("lb", gzip(idx(IdxLoader.LABELS_MAGIC, new int[] {2}, new byte[] {0, 1})));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.load(images, labels, "x"));
    assertEquals(labels + ": holds 2 labels but the image file holds 3 images", e.getMessage());
  }

  @Test
  void singleClassLabels() throws IOException {
    Path images = write("im", idx(IdxLoader.IMAGES_MAGIC, new int[] {2, 1, 1}, new byte[] {1, 2}));
    Path labels = write("lb", idx(IdxLoader.LABELS_MAGIC, new int[] {2}, new byte[] {0, 0}));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.load(images, labels, "x"));
    assertEquals("x: target 'label' has only one class: '0'; classification needs at least 2", e.getMessage());
  }
}
