package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.LoadOptions.Missing;
import dev.topiary.core.data.LoadOptions.TaskChoice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data the way users have it: wrong encodings, stray labels, missing cells, integer quantities and
 * typos in a target column. Each is read correctly or refused with its place named.
 */
class ReadingRobustnessTest {

  static final LoadOptions DEFAULTS = LoadOptions.DEFAULTS;

  @TempDir Path dir;

  private static CsvLoader.Result read(byte[] bytes, LoadOptions o) throws IOException {
    return CsvLoader.read(new ByteArrayInputStream(bytes), "t.csv", o);
  }

  private static DataFormatException refused(byte[] bytes, LoadOptions o) {
    return assertThrows(DataFormatException.class, () -> read(bytes, o));
  }

  // ----- encoding

  @Test
  void invalidUtf8IsAnErrorWithLineAndColumnNotAClass() {
    byte[] text = "a,y\n1,A\n2,B\n3,A\n4,A\u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
    DataFormatException e = refused(text, DEFAULTS);
    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith("t.csv, line 5: character 4: invalid UTF-8 (byte 0xFF)"), e.getMessage());
    assertTrue(e.getMessage().contains("--encoding"), e.getMessage());
  }

  @Test
  void latin1ReadsWithItsEncoding() throws IOException {
    byte[] text = "a,y\n1,caf\u00e9\n2,th\u00e9\n3,caf\u00e9\n4,th\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    CsvLoader.Result r = read(text, DEFAULTS.withEncoding(StandardCharsets.ISO_8859_1));
    assertEquals(List.of("caf\u00e9", "th\u00e9"), r.dataset().task().classLabels());
  }

  @Test
  void utf16IsRefusedWithoutRawNulBytesAndReadWithItsEncoding() throws IOException {
    String csv = "a,y\n1,x\n2,z\n3,x\n4,z\n";
    byte[] withBom = csv.getBytes(StandardCharsets.UTF_16LE);
    byte[] bom = new byte[withBom.length + 2];
    bom[0] = (byte) 0xFF;
    bom[1] = (byte) 0xFE;
    System.arraycopy(withBom, 0, bom, 2, withBom.length);
    DataFormatException e1 = refused(bom, DEFAULTS);
    assertTrue(e1.getMessage().contains("UTF-16") && e1.getMessage().contains("line 1"), e1.getMessage());
    DataFormatException e2 = refused(withBom, DEFAULTS);
    assertEquals("t.csv, line 1: character 2: a NUL byte; the file looks like UTF-16 or binary, not UTF-8 text; "
        + "save it as UTF-8 or pass --encoding UTF-16", e2.getMessage());
    for (String m : List.of(e1.getMessage(), e2.getMessage())) {
      assertFalse(m.indexOf('\0') >= 0, "raw NUL in the message");
    }
    CsvLoader.Result r = read(bom, DEFAULTS.withEncoding(StandardCharsets.UTF_16));
    assertEquals(4, r.dataset().rows());
    assertEquals(List.of("x", "z"), r.dataset().task().classLabels());
  }

  @Test
  void aNulByteLaterInAFileNamesItsLine() {
    byte[] text = "a,y\n1,x\n2,z\n3,\0x\n".getBytes(StandardCharsets.UTF_8);
    DataFormatException e = refused(text, DEFAULTS);
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("character 3"), e.getMessage());
  }

  // ----- IDX labels

  @Test
  void oneStrayIdxLabelIsRefusedNotA256ClassModel() throws IOException {
    int n = 40;
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    labels[17] = (byte) 255;
    Path images = Files.write(dir.resolve("im"), IdxLoaderTest.idx(IdxLoader.IMAGES_MAGIC, new int[] {n, 2, 2},
        IdxLoaderTest.pixels(n, 2, 2, 5)));
    Path lab = Files.write(dir.resolve("lb"), IdxLoaderTest.idx(IdxLoader.LABELS_MAGIC, new int[] {n}, labels));
    DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLoader.load(images, lab, "t"));
    assertEquals(lab + ": item 18 holds label 255 (held by 1 item), but no item holds labels 10 to 254; the labels "
        + "must be the classes 0 to K-1 with every class present", e.getMessage());
    labels[17] = 7;
    Files.write(lab, IdxLoaderTest.idx(IdxLoader.LABELS_MAGIC, new int[] {n}, labels));
    assertEquals(10, IdxLoader.load(images, lab, "t").task().classes());
  }

  // ----- task and target

  private static String integerTarget(int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("x1,x2,age\n");
    for (int i = 0; i < rows; i++) {
      b.append(r.nextInt(100)).append(',').append(r.nextInt(50)).append(',').append(1 + r.nextInt(38)).append('\n');
    }
    return b.toString();
  }

  @Test
  void manyDistinctIntegersTakenAsClassesEarnAWarningAndTaskRegressionOverrides() throws IOException {
    String text = integerTarget(400, 3);
    CsvLoader.Result inferred = CsvLoader.parse(text, "t.csv", DEFAULTS);
    assertTrue(inferred.dataset().task().isClassification());
    int k = inferred.dataset().task().classes();
    assertTrue(k > CsvLoader.MANY_CLASSES, "fixture: " + k);
    assertEquals(List.of("the target 'age' holds " + k + " distinct integers and was taken as " + k
        + " classes; if it is a quantity, pass --task regression"), inferred.warnings());
    CsvLoader.Result regression = CsvLoader.parse(text, "t.csv", DEFAULTS.withTask(TaskChoice.REGRESSION));
    assertFalse(regression.dataset().task().isClassification());
    assertEquals(List.of(), regression.warnings());
    // Few classes: no warning.
    assertEquals(List.of(), CsvLoader.parse("a,y\n1,0\n2,1\n3,0\n4,1\n", "t.csv", DEFAULTS).warnings());
  }

  @Test
  void aTypoInANumericTargetIsAnErrorNotOneClassPerRow() {
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < 40; i++) {
      b.append(i).append(',').append(i == 22 ? "1O.5" : Double.toString(i * 0.37 + 1)).append('\n');
    }
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvLoader.parse(b.toString(), "t.csv",
        DEFAULTS));
    assertEquals("t.csv, line 24, column 2 (y): the target is a number in 39 of 40 rows, but this row holds "
        + "'1O.5'; fix the cell, or pass --task classification to take every value as a class", e.getMessage());
  }

  @Test
  void theTargetColumnIsNamedWithItsReason() throws IOException {
    assertEquals("target: column 3 of 3, 'y' (the last column, the default; --target chooses another)",
        CsvLoader.parse("a,b,y\n1,2,p\n3,4,q\n", "t.csv", DEFAULTS).targetNote());
    assertEquals("target: column 1 of 3, 'a' (given by --target a)",
        CsvLoader.parse("a,b,y\np,2,3\nq,4,5\n", "t.csv", DEFAULTS.withTarget("a")).targetNote());
  }

  @Test
  void aTargetInTheFirstColumnIsPointedOut() throws IOException {
    // Numeric: it loads, with a warning naming the column that looks like the target.
    CsvLoader.Result r = CsvLoader.parse("label,a,b\n0,1.5,2\n1,2.5,3\n0,3.5,4\n1,4.5,5\n", "t.csv", DEFAULTS);
    assertEquals(List.of("column 1 is named 'label' but the last column, 'b', is the target; if 'label' is the "
        + "target, pass --target label"), r.warnings());
    // Text: the first row fails, and says how to make that column the target.
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> CsvLoader.parse("species,a,b\nsetosa,1,2\nvirginica,2,3\n", "t.csv", DEFAULTS));
    assertEquals("t.csv, line 2, column 1 (species): expected a number, found 'setosa'; if column 1 ('species') "
        + "is the target, pass --target species", e.getMessage());
  }

  // ----- missing values

  @Test
  void missingMarkersAreMissingValuesThatTheOptionsCanDropOrFill() throws IOException {
    String text = "a,b,y\n1,2,p\n?,4,q\n5,NA,p\n7,8,?\n9,n/a,q\n11,12,q\n";
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvLoader.parse(text, "t.csv", DEFAULTS));
    assertEquals("t.csv, line 3, column 1 (a): missing value '?'; pass --missing drop to drop such rows, or "
        + "--missing mean to fill them in (LoadOptions.withMissing)", e.getMessage());
    CsvLoader.Result dropped = CsvLoader.parse(text, "t.csv", DEFAULTS.withMissing(Missing.DROP));
    assertEquals(4, dropped.droppedRows());
    assertArrayEquals(new float[] {1, 2, 11, 12}, dropped.dataset().x());
    CsvLoader.Result kept = CsvLoader.parse(text, "t.csv", DEFAULTS.withMissing(Missing.MEAN));
    // The row with a missing target goes; missing feature cells stay, as NaN.
    assertEquals(1, kept.droppedRows());
    assertEquals(5, kept.dataset().rows());
    assertEquals(3, kept.missingCells());
    assertEquals(3, Imputation.countMissing(kept.dataset()));
  }

  @Test
  void imputationFillsMeansAndModesFittedOnTheRowsItIsGiven() throws IOException {
    // Column a: reals, filled with the mean of the present values in double; b: integers, filled with
    // the most frequent (the smallest on a tie).
    float[] x = {1.5f, 2, 2.5f, Float.NaN, Float.NaN, 3, 4.25f, 3, 1e8f, 5};
    Dataset d = new Dataset("d", 5, 2, x, dev.topiary.core.model.Task.regression(1), null, new float[5],
        List.of("a", "b"));
    Imputation imp = Imputation.fit(d);
    double mean = (1.5 + 2.5 + 4.25 + 1e8) / 4;
    assertEquals(List.of("mean", "mode"), imp.kinds());
    assertEquals((float) mean, imp.fill()[0]);
    assertEquals(3f, imp.fill()[1]);
    Dataset filled = imp.apply(d);
    assertEquals(0, Imputation.countMissing(filled));
    assertEquals((float) mean, filled.x()[4]);
    assertEquals(3f, filled.x()[3]);
    assertEquals(3, Imputation.countMissing(new Dataset("e", 3, 2, new float[] {Float.NaN, 1, 2, Float.NaN,
        Float.NaN, 3}, dev.topiary.core.model.Task.regression(1), null, new float[3], List.of("a", "b"))));
    Imputation back = Imputation.fromMetadata(Map.of(Imputation.METADATA_KEY, imp.toMetadata()));
    assertEquals(imp, back);
    assertNull(Imputation.fromMetadata(Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Imputation.fromMetadata(Map.of(Imputation.METADATA_KEY, "{\"kinds\":[\"mean\"],\"fill\":[]}")));
    Dataset allMissing = new Dataset("m", 2, 1, new float[] {Float.NaN, Float.NaN},
        dev.topiary.core.model.Task.regression(1), null, new float[2], List.of("z"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> Imputation.fit(allMissing));
    assertEquals("m, column 1 (z): every value of the column is missing in the training rows; there is nothing to "
        + "fill it with", e.getMessage());
  }
}
