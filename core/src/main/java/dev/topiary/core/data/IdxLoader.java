package dev.topiary.core.data;

import dev.topiary.core.model.Task;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST): an image file with magic {@code 0x00000803}
 * (unsigned bytes, three big-endian int32 dimensions [n, rows, cols]) and a label file with magic
 * {@code 0x00000801} (unsigned bytes, one dimension [n]). Either may be gzipped; gzip is detected by its
 * magic bytes, not by the file name.
 *
 * <p>Each image becomes one row of rows·cols features, pixel by pixel in row-major order, scaled from
 * 0..255 to [0, 1] by dividing by 255. The label byte is the class index; classes are {@code "0"} to
 * {@code "K-1"} where K is one more than the largest label seen (in both parts, for a directory).
 *
 * <p>Every header is checked against the size of the file before anything is allocated: a raw file must be
 * exactly as long as its header says; a gzipped one is read in growing chunks and must end exactly where
 * its header says. A truncated, padded or lying file raises {@link DataFormatException}, never an
 * {@link OutOfMemoryError}.
 */
public final class IdxLoader {

  /** Magic number of an unsigned-byte, three-dimensional IDX file (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an unsigned-byte, one-dimensional IDX file (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /** Deflate cannot compress by more than about 1032:1; a header asking for more is lying. */
  private static final long MAX_GZIP_RATIO = 1040;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final int CHUNK = 1 << 20;

  private IdxLoader() {}

  /**
   * Loads {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte} from {@code dir} (each raw or
   * with {@code .gz}; the {@code train-images.idx3-ubyte} spelling of some mirrors also works) as the
   * training part, and the {@code t10k-…} pair, when present, as the test part.
   *
   * @throws NoSuchFileException when the directory or a training file is missing, or only one file of the
   *     test pair is present
   * @throws DataFormatException when a file is malformed or the parts disagree in image size
   */
  public static Loaded loadDirectory(Path dir) throws IOException {
    String source = "idx:" + dir;
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null,
          "no such directory (idx:DIR needs train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz])");
    }
    Path trainImages = require(dir, "train", "images", 3);
    Path trainLabels = require(dir, "train", "labels", 1);
    Path testImages = find(dir, "t10k", "images", 3);
    Path testLabels = find(dir, "t10k", "labels", 1);
    if ((testImages == null) != (testLabels == null)) {
      Path missing = dir.resolve(testImages == null ? "t10k-images-idx3-ubyte" : "t10k-labels-idx1-ubyte");
      throw new NoSuchFileException(missing.toString(), null,
          "missing (gzipped or not) although the other file of the t10k pair is present");
    }
    Images train = readImages(trainImages);
    byte[] trainY = readLabels(trainLabels, train.count);
    Images test = null;
    byte[] testY = null;
    if (testImages != null) {
      test = readImages(testImages);
      testY = readLabels(testLabels, test.count);
      if (test.rows != train.rows || test.cols != train.cols) {
        throw new DataFormatException(testImages.toString(), "images are " + test.rows + "x" + test.cols
            + " but the training images are " + train.rows + "x" + train.cols);
      }
    }
    int max = maxLabel(trainY);
    if (testY != null) {
      max = Math.max(max, maxLabel(testY));
    }
    checkContiguous(max, trainLabels, trainY, testLabels, testY);
    Task task = task(max, source, trainY[0]);
    Dataset trainSet = dataset(source + "/train", train, trainY, task);
    Dataset testSet = test == null ? null : dataset(source + "/t10k", test, testY, task);
    return new Loaded(trainSet, testSet, 0);
  }

  /**
   * Loads one image file and its label file as a data set named {@code name}; classes are 0 to the largest
   * label.
   */
  public static Dataset load(Path images, Path labels, String name) throws IOException {
    Images im = readImages(images);
    byte[] y = readLabels(labels, im.count);
    checkContiguous(maxLabel(y), labels, y, null, null);
    return dataset(name, im, y, task(maxLabel(y), name, y[0]));
  }

  /**
   * The classes are 0 to the largest label, so every label below it must occur: one stray byte (a 255
   * among the digits 0–9) would otherwise make hundreds of empty classes. Names the file, the 1-based item
   * of the first label above the gap, and the missing labels.
   */
  private static void checkContiguous(int max, Path trainFile, byte[] trainY, Path testFile, byte[] testY)
      throws DataFormatException {
    int[] count = new int[max + 1];
    for (byte b : trainY) {
      count[b & 0xFF]++;
    }
    if (testY != null) {
      for (byte b : testY) {
        count[b & 0xFF]++;
      }
    }
    int gap = -1;
    for (int k = 0; k <= max; k++) {
      if (count[k] == 0) {
        gap = k;
        break;
      }
    }
    if (gap < 0) {
      return;
    }
    int gapEnd = gap;
    while (gapEnd + 1 <= max && count[gapEnd + 1] == 0) {
      gapEnd++;
    }
    int above = gapEnd + 1;
    Path file = trainFile;
    int item = indexOf(trainY, above);
    if (item < 0 && testY != null) {
      file = testFile;
      item = indexOf(testY, above);
    }
    String missing = gap == gapEnd ? "label " + gap : "labels " + gap + " to " + gapEnd;
    throw new DataFormatException(file.toString(), "item " + (item + 1) + " holds label " + above + " (held by "
        + count[above] + " item" + (count[above] == 1 ? "" : "s") + "), but no item holds " + missing
        + "; the labels must be the classes 0 to K-1 with every class present");
  }

  private static int indexOf(byte[] y, int label) {
    for (int i = 0; i < y.length; i++) {
      if ((y[i] & 0xFF) == label) {
        return i;
      }
    }
    return -1;
  }

  private record Images(int count, int rows, int cols, byte[] pixels) {}

  private static Images readImages(Path file) throws IOException {
    Tensor t = read(file, IMAGES_MAGIC);
    return new Images(t.dims[0], t.dims[1], t.dims[2], t.data);
  }

  private static byte[] readLabels(Path file, int expectedCount) throws IOException {
    Tensor t = read(file, LABELS_MAGIC);
    if (t.dims[0] != expectedCount) {
      throw new DataFormatException(file.toString(),
          "holds " + t.dims[0] + " labels but the image file holds " + expectedCount + " images");
    }
    return t.data;
  }

  private static int maxLabel(byte[] y) {
    int max = 0;
    for (byte b : y) {
      max = Math.max(max, b & 0xFF);
    }
    return max;
  }

  private static Task task(int maxLabel, String source, byte anyLabel) throws DataFormatException {
    if (maxLabel < 1) {
      throw new DataFormatException(source,
          "target 'label' has only one class: '" + (anyLabel & 0xFF) + "'; classification needs at least 2");
    }
    List<String> names = new ArrayList<>(maxLabel + 1);
    for (int k = 0; k <= maxLabel; k++) {
      names.add(Integer.toString(k));
    }
    return Task.classification(names);
  }

  private static Dataset dataset(String name, Images im, byte[] y, Task task) {
    int features = im.rows * im.cols;
    float[] x = new float[im.pixels.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (im.pixels[i] & 0xFF) / 255f;
    }
    int[] labels = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      labels[i] = y[i] & 0xFF;
    }
    List<String> featureNames = new ArrayList<>(features);
    for (int r = 0; r < im.rows; r++) {
      for (int c = 0; c < im.cols; c++) {
        featureNames.add("pixel_" + r + "_" + c);
      }
    }
    return new Dataset(name, im.count, features, x, task, labels, null, featureNames);
  }

  private static Path require(Path dir, String part, String kind, int rank) throws NoSuchFileException {
    Path p = find(dir, part, kind, rank);
    if (p == null) {
      throw new NoSuchFileException(dir.resolve(part + "-" + kind + "-idx" + rank + "-ubyte").toString(), null,
          "missing (looked for it with and without .gz); idx:DIR needs the train images and labels");
    }
    return p;
  }

  private static Path find(Path dir, String part, String kind, int rank) {
    String[] stems = {part + "-" + kind + "-idx" + rank + "-ubyte", part + "-" + kind + ".idx" + rank + "-ubyte"};
    for (String stem : stems) {
      for (String suffix : new String[] {"", ".gz"}) {
        Path p = dir.resolve(stem + suffix);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private record Tensor(int[] dims, byte[] data) {}

  /** Reads and validates one unsigned-byte IDX file whose magic must be {@code magic}. */
  private static Tensor read(Path file, int magic) throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(source, null, "no such IDX file");
    }
    long fileSize = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gz ? gunzip(raw, source) : raw;
      int rank = magic & 0xFF;
      int headerBytes = 4 + 4 * rank;
      byte[] magicBytes = readUpTo(in, 4, source, gz);
      if (magicBytes.length == 4) {
        int found = readInt(magicBytes, 0);
        if (found != magic) {
          throw new DataFormatException(source, "expected IDX magic " + hex(magic) + " (" + describe(magic)
              + "), found " + hex(found) + (found == IMAGES_MAGIC || found == LABELS_MAGIC
                  ? " (" + describe(found) + ": are the images and labels swapped?)" : ""));
        }
      }
      byte[] rest = readUpTo(in, headerBytes - 4, source, gz);
      if (magicBytes.length + rest.length < headerBytes) {
        throw new DataFormatException(source, "truncated: the file ends inside its " + headerBytes
            + "-byte IDX header after " + (magicBytes.length + rest.length) + " bytes" + (gz ? " (uncompressed)" : ""));
      }
      byte[] header = new byte[headerBytes];
      System.arraycopy(magicBytes, 0, header, 0, 4);
      System.arraycopy(rest, 0, header, 4, rest.length);
      int[] dims = new int[rank];
      long payload = 1;
      for (int d = 0; d < rank; d++) {
        dims[d] = readInt(header, 4 + 4 * d);
        if (dims[d] <= 0) {
          throw new DataFormatException(source, "dimension " + d + " of the header is " + dims[d]
              + "; every dimension must be positive (header " + shape(header, rank) + ")");
        }
        payload *= dims[d];
        if (payload > MAX_ARRAY) {
          throw new DataFormatException(source, "the header claims " + shape(header, rank)
              + ": more than the " + MAX_ARRAY + " bytes one array can hold");
        }
      }
      int n = (int) payload;
      if (!gz && fileSize != headerBytes + payload) {
        throw new DataFormatException(source, (fileSize < headerBytes + payload ? "truncated" : "has trailing bytes")
            + ": the header " + Arrays.toString(dims) + " needs " + payload + " data bytes after the "
            + headerBytes + "-byte header, the file has " + (fileSize - headerBytes));
      }
      if (gz && payload > fileSize * MAX_GZIP_RATIO + 4096) {
        throw new DataFormatException(source, "the header " + Arrays.toString(dims) + " needs " + payload
            + " data bytes, more than a gzip file of " + fileSize + " bytes can hold");
      }
      byte[] data = readUpTo(in, n, source, gz);
      if (data.length < n) {
        throw new DataFormatException(source, "truncated: the header " + Arrays.toString(dims) + " needs " + n
            + " data bytes, the " + (gz ? "uncompressed " : "") + "file has only " + data.length);
      }
      if (gz && readOrFail(in, source) != -1) {
        throw new DataFormatException(source, "has trailing bytes after the " + n
            + " data bytes its header " + Arrays.toString(dims) + " describes");
      }
      return new Tensor(dims, data);
    }
  }

  private static InputStream gunzip(InputStream raw, String source) throws DataFormatException {
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (IOException e) {
      throw new DataFormatException(source, "corrupt gzip header: " + e.getMessage(), e);
    }
  }

  /**
   * Reads up to {@code n} bytes, stopping early only at the end of the stream. The buffer grows in
   * chunks with the bytes actually read, so a header that lies about a gzipped payload costs at most
   * about twice the real data in memory.
   */
  private static byte[] readUpTo(InputStream in, int n, String source, boolean gz) throws IOException {
    byte[] buf = new byte[gz ? Math.min(n, CHUNK) : n];
    int filled = 0;
    while (filled < n) {
      if (filled == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
      }
      int r;
      try {
        r = in.read(buf, filled, buf.length - filled);
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        throw new DataFormatException(source, "corrupt or truncated gzip data after " + filled
            + " bytes: " + e.getMessage(), e);
      }
      if (r < 0) {
        return Arrays.copyOf(buf, filled);
      }
      filled += r;
    }
    return buf;
  }

  private static int readOrFail(InputStream in, String source) throws IOException {
    try {
      return in.read();
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw new DataFormatException(source, "corrupt gzip data after the image data: " + e.getMessage(), e);
    }
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  private static String shape(byte[] header, int rank) {
    int[] dims = new int[rank];
    for (int d = 0; d < rank; d++) {
      dims[d] = readInt(header, 4 + 4 * d);
    }
    return Arrays.toString(dims);
  }

  private static String hex(int v) {
    return String.format("0x%08x", v);
  }

  private static String describe(int magic) {
    return magic == IMAGES_MAGIC ? "unsigned-byte images [n, rows, cols]" : "unsigned-byte labels [n]";
  }
}
