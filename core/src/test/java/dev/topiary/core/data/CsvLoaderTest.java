package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

  private static final LoadOptions DEFAULTS = LoadOptions.DEFAULTS;

  private static Dataset parse(String text, LoadOptions options) throws DataFormatException {
    return CsvLoader.parse(text, "t.csv", options).dataset();
  }

  private static DataFormatException failure(String text, LoadOptions options) {
    return assertThrows(DataFormatException.class, () -> CsvLoader.parse(text, "t.csv", options));
  }

  @Test
  void numericLabelsAreSortedNumericallyAndTheLastColumnIsTheTarget() throws Exception {
    Dataset d = parse("a,b,y\n1,2,10\n3,4,2\n5,6,10\n7,8,2\n9,10,1.0\n11,12,1\n", DEFAULTS);
    assertEquals(6, d.rows());
    assertEquals(2, d.features());
    assertEquals(List.of("a", "b"), d.featureNames());
    assertEquals(Task.classification(List.of("1", "2", "10")), d.task());
    assertArrayEquals(new int[] {2, 1, 2, 1, 0, 0}, d.labels());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, d.x());
    assertNull(d.targets());
    assertEquals("t.csv", d.name());
  }

  @Test
  void stringLabelsAreSortedLexicographicallyWhateverTheRowOrder() throws Exception {
    String rows = "1,virginica\n2,setosa\n3,Versicolor\n4,setosa\n";
    Dataset d = parse("x,species\n" + rows, DEFAULTS);
    assertEquals(List.of("Versicolor", "setosa", "virginica"), d.task().classLabels());
    assertArrayEquals(new int[] {2, 1, 0, 1}, d.labels());
    Dataset reversed = parse("x,species\n4,setosa\n3,Versicolor\n2,setosa\n1,virginica\n", DEFAULTS);
    assertEquals(d.task(), reversed.task());
  }

  @Test
  void targetByNameOrIndexAnywhereInTheRow() throws Exception {
    String text = "y,a,b\n0,1.5,2\n1,3,4.25\n0,5,6\n1,7,8\n";
    Dataset byName = parse(text, DEFAULTS.withTarget("y"));
    Dataset byIndex = parse(text, DEFAULTS.withTargetIndex(0));
    Dataset byIndexString = parse(text, DEFAULTS.withTarget("0"));
    for (Dataset d : List.of(byName, byIndex, byIndexString)) {
      assertEquals(List.of("a", "b"), d.featureNames());
      assertArrayEquals(new float[] {1.5f, 2, 3, 4.25f, 5, 6, 7, 8}, d.x());
      assertArrayEquals(new int[] {0, 1, 0, 1}, d.labels());
    }
  }

  @Test
  void regressionIsInferredFromFractionalTargetsAndCanBeForced() throws Exception {
    Dataset d = parse("a,y\n1,0.5\n2,1.5\n3,2.5\n", DEFAULTS);
    assertEquals(Task.regression(1), d.task());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f}, d.targets());
    Dataset forced = parse("a,y\n1,0\n2,1\n3,0\n4,1\n", DEFAULTS.withTask(LoadOptions.TaskChoice.REGRESSION));
    assertEquals(Task.regression(1), forced.task());
    assertArrayEquals(new float[] {0, 1, 0, 1}, forced.targets());
  }

  @Test
  void integerTargetsWithManyDistinctValuesAreRegression() throws Exception {
    StringBuilder sb = new StringBuilder("a,y\n");
    for (int i = 0; i < 30; i++) {
      sb.append(i).append(',').append(100 + i).append('\n');
    }
    assertEquals(Task.Kind.REGRESSION, parse(sb.toString(), DEFAULTS).task().kind());
    Dataset forced = parse(sb.toString(), DEFAULTS.withTask(LoadOptions.TaskChoice.CLASSIFICATION));
    assertEquals(30, forced.task().classes());
  }

  @Test
  void quotedFieldsWithDelimitersQuotesAndLineBreaks() throws Exception {
    String text = "\"first, name\",\"b\"\"q\"\"\",label\r\n"
        + "\"1.5\", 2 ,\"a, b\"\r\n"
        + "3,4,\"say \"\"hi\"\"\"\r\n"
        + "5,6,\"two\nlines\"\r\n"
        + "7,8,\"a, b\"\r\n\r\n\r\n";
    Dataset d = parse(text, DEFAULTS);
    assertEquals(List.of("first, name", "b\"q\""), d.featureNames());
    assertEquals(List.of("a, b", "say \"hi\"", "two\nlines"), d.task().classLabels());
    assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
    assertArrayEquals(new float[] {1.5f, 2, 3, 4, 5, 6, 7, 8}, d.x());
  }

  @Test
  void otherDelimitersBomBlankLinesAndNoFinalNewline() throws Exception {
    Dataset d = parse("\uFEFFa;b;y\n\n1;2;0\n  \n3;4;1\n5;6;0\n7;8;1", DEFAULTS.withDelimiter(';'));
    assertEquals(List.of("a", "b"), d.featureNames());
    assertEquals(4, d.rows());
    Dataset tabs = parse("a\tb\ty\n1\t2\t0\n3\t4\t1\n5\t6\t0\n7\t8\t1\n", DEFAULTS.withDelimiter('\t'));
    assertArrayEquals(d.x(), tabs.x());
  }

  @Test
  void numbersInEveryAcceptedSpelling() throws Exception {
    Dataset d = parse("a,y\n-0.5,0.1\n+3,0.2\n1e3,0.3\n.25,0.4\n7.,0.5\n-1.5E-2,0.6\n123456789,0.7\n", DEFAULTS);
    assertArrayEquals(new float[] {-0.5f, 3, 1000, 0.25f, 7, -0.015f, 123456789f}, d.x());
  }

  @Test
  void wrongFieldCountNamesTheLine() {
    DataFormatException e = failure("a,b,y\n1,2,0\n\n3,4\n", DEFAULTS);
    assertEquals("t.csv, line 4: expected 3 fields as in the header, found 2", e.getMessage());
    assertEquals(4, e.line());
    assertEquals(0, e.column());
  }

  @Test
  void nonNumericCellNamesLineColumnNumberAndName() {
    DataFormatException e = failure("a,b,y\n1,2,0\n3,abc,1\n", DEFAULTS);
    assertEquals("t.csv, line 3, column 2 (b): expected a number, found 'abc'", e.getMessage());
    assertEquals(3, e.line());
    assertEquals(2, e.column());
    assertEquals("b", e.columnName());
    assertEquals("expected a number, found 'abc'", e.problem());
  }

  @Test
  void suffixedAndHexNumbersAreNotNumbers() {
    assertEquals("t.csv, line 2, column 1 (a): expected a number, found '1.5f'",
        failure("a,y\n1.5f,0\n2,1\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 2, column 1 (a): expected a number, found '0x10'",
        failure("a,y\n0x10,0\n2,1\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 3, column 1 (a): expected a number, found '1,5'",
        failure("a,y\n1,0\n\"1,5\",1\n", DEFAULTS).getMessage());
  }

  @Test
  void lineNumbersCountLinesInsideQuotedFields() {
    DataFormatException e = failure("a,b,y\n1,2,\"x\ny\"\n3,?,1\n", DEFAULTS);
    assertEquals("t.csv, line 4, column 2 (b): missing value '?'; pass --missing drop to drop such rows, or --missing mean to fill them in (LoadOptions.withMissing)", e.getMessage());
  }

  @Test
  void nanAndInfinityAreRejectedWithTheirPlace() {
    String hint = "; pass --missing drop to drop such rows, or --missing mean to fill them in (LoadOptions.withMissing)";
    String range = " (infinite, NaN, or beyond a float's range of ±3.4e38)";
    assertEquals("t.csv, line 3, column 1 (a): non-finite value 'NaN'" + range + hint,
        failure("a,b,y\n1,2,0\nNaN,2,1\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 2, column 2 (b): non-finite value '-Infinity'" + range + hint,
        failure("a,b,y\n1,-Infinity,0\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 2, column 2 (b): non-finite value '1e39'" + range + hint,
        failure("a,b,y\n1,1e39,0\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 2, column 2 (b): empty cell (a missing value)" + hint,
        failure("a,b,y\n1,,0\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 3, column 3 (y): non-finite value 'inf'" + range + hint,
        failure("a,b,y\n1,2,0.5\n1,2,inf\n", DEFAULTS).getMessage());
  }

  @Test
  void dropOptionDropsRowsWithNonFiniteOrEmptyCellsAndCountsThem() throws Exception {
    String text = "a,b,y\n1,2,0\nNaN,2,1\n3,4,1\n5,inf,0\n6,7,\n8,9,1\n10,11,0\n";
    CsvLoader.Result r = CsvLoader.parse(text, "t.csv", DEFAULTS.withDropNonFinite(true));
    assertEquals(3, r.droppedRows());
    assertEquals(4, r.dataset().rows());
    assertArrayEquals(new float[] {1, 2, 3, 4, 8, 9, 10, 11}, r.dataset().x());
    assertArrayEquals(new int[] {0, 1, 1, 0}, r.dataset().labels());
  }

  @Test
  void dropOptionStillRejectsNonNumericCells() {
    DataFormatException e = failure("a,y\nNaN,0\nx,1\n", DEFAULTS.withDropNonFinite(true));
    assertEquals("t.csv, line 3, column 1 (a): expected a number, found 'x'", e.getMessage());
  }

  @Test
  void droppingEveryRowIsAnError() {
    assertEquals("t.csv: no rows left after dropping all 2 rows with empty or non-finite cells",
        failure("a,y\nNaN,0\n,1\n", DEFAULTS.withDropNonFinite(true)).getMessage());
  }

  @Test
  void emptyFileAndBlankFile() {
    assertEquals("t.csv: the file is empty: expected a header row and data rows", failure("", DEFAULTS).getMessage());
    assertEquals("t.csv: the file is empty: expected a header row and data rows",
        failure("\n  \r\n\n", DEFAULTS).getMessage());
  }

  @Test
  void headerOnly() {
    DataFormatException e = failure("a,b,y\n\n", DEFAULTS);
    assertEquals("t.csv, line 1: the file has a header row but no data rows", e.getMessage());
  }

  @Test
  void singleColumnSuggestsTheDelimiter() {
    assertEquals("t.csv, line 1: the header has 1 column ('a;b;y'); at least 2 are needed (features and a target)"
        + " - is the delimiter ',' right?", failure("a;b;y\n1;2;3\n", DEFAULTS).getMessage());
  }

  @Test
  void singleClassTarget() {
    assertEquals("t.csv: target 'species' has only one class: 'setosa' (all 2 rows); classification needs at"
        + " least 2", failure("a,species\n1,setosa\n2,setosa\n", DEFAULTS).getMessage());
    assertEquals("t.csv: target 'y' has only one class: '3' (all 2 rows); classification needs at least 2",
        failure("a,y\n1,3\n2,3.0\n", DEFAULTS.withTask(LoadOptions.TaskChoice.CLASSIFICATION)).getMessage());
  }

  @Test
  void unknownTargetColumn() {
    assertEquals("t.csv, line 1: no target column named 'label'; the columns are: a, b, y",
        failure("a,b,y\n1,2,0\n", DEFAULTS.withTarget("label")).getMessage());
    assertEquals("t.csv, line 1: target column index 3 is out of range: the header has 3 columns (indices 0..2)",
        failure("a,b,y\n1,2,0\n", DEFAULTS.withTargetIndex(3)).getMessage());
    assertEquals("t.csv, line 1: target column index 7 is out of range: the header has 3 columns (indices 0..2)",
        failure("a,b,y\n1,2,0\n", DEFAULTS.withTarget("7")).getMessage());
  }

  @Test
  void nonNumericRegressionTarget() {
    DataFormatException e = failure("a,y\n1,0.5\n2,high\n", DEFAULTS.withTask(LoadOptions.TaskChoice.REGRESSION));
    assertEquals("t.csv, line 3, column 2 (y): a regression target must be a number, found 'high'", e.getMessage());
  }

  @Test
  void tooManyDistinctValuesWithATextCellIsAnErrorWhenInferring() {
    StringBuilder sb = new StringBuilder("a,y\n");
    for (int i = 0; i < 5; i++) {
      sb.append(i).append(',').append(i + 0.5).append('\n');
    }
    sb.append("9,n/a\n");
    DataFormatException e = failure(sb.toString(), DEFAULTS.withMaxInferredClasses(4));
    assertEquals("t.csv, line 7, column 2 (y): the target has 6 distinct values and 'n/a' is not a number: too"
        + " many for classes, not numeric for regression; fix the cell, or pass --task classification or --task regression", e.getMessage());
  }

  @Test
  void quotingErrors() {
    assertEquals("t.csv, line 3, column 2 (b): unterminated quoted field: the closing '\"' of the quote opened here"
        + " is missing", failure("a,b,y\n1,2,0\n3,\"4,1\n5,6,0\n", DEFAULTS).getMessage());
    assertEquals("t.csv, line 2, column 1 (a): unexpected character 'x' after the closing quote of a field",
        failure("a,b,y\n\"1\"x,2,0\n", DEFAULTS).getMessage());
  }

  @Test
  void duplicateTargetNameIsAmbiguous() {
    assertEquals("t.csv, line 1: the target name 'y' names two columns (1 and 3); give the target by index",
        failure("y,a,y\n1,2,0\n", DEFAULTS.withTarget("y")).getMessage());
  }

  @Test
  void loadsFilesAndNamesMissingOnes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("small.csv");
    Files.writeString(file, "a,y\n1,0\n2,1\n", StandardCharsets.UTF_8);
    CsvLoader.Result r = CsvLoader.load(file, DEFAULTS);
    assertEquals(file.toString(), r.dataset().name());
    assertEquals(2, r.dataset().rows());
    Path missing = dir.resolve("nope.csv");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CsvLoader.load(missing, DEFAULTS));
    assertEquals(missing + ": no such data file", e.getMessage());
    DataFormatException bad = assertThrows(DataFormatException.class, () -> {
      Files.writeString(file, "a,y\n1,0\n2,x,1\n");
      CsvLoader.load(file, DEFAULTS);
    });
    assertTrue(bad.getMessage().startsWith(file + ", line 3: "), bad.getMessage());
  }

  @Test
  void aHundredThousandRowsLoadExactly() throws Exception {
    int rows = 100_000;
    int features = 20;
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < features; j++) {
      sb.append('f').append(j).append(',');
    }
    sb.append("y\n");
    java.util.Random random = new java.util.Random(7);
    float[] expected = new float[rows * features];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < features; j++) {
        int v = random.nextInt(2_000_001) - 1_000_000;
        String cell = (v < 0 ? "-" : "") + Math.abs(v) / 10_000 + "." + (10_000 + Math.abs(v) % 10_000 + "").substring(1);
        expected[i * features + j] = Float.parseFloat(cell);
        sb.append(cell).append(',');
      }
      labels[i] = random.nextInt(3);
      sb.append(labels[i]).append('\n');
    }
    Dataset d = parse(sb.toString(), DEFAULTS);
    assertEquals(rows, d.rows());
    assertArrayEquals(expected, d.x());
    assertArrayEquals(labels, d.labels());
  }

  @Test
  void wideFilesLoadExactly() throws Exception {
    int features = 70_000;
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < features; j++) {
      sb.append('c').append(j).append(',');
    }
    sb.append("y\n");
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < features; j++) {
        sb.append((i * 7 + j) % 100).append(',');
      }
      sb.append(i % 2).append('\n');
    }
    Dataset d = parse(sb.toString(), DEFAULTS);
    assertEquals(4, d.rows());
    assertEquals(features, d.features());
    for (int i = 0; i < 4; i++) {
      assertEquals((i * 7 + features - 1) % 100, d.x()[i * features + features - 1]);
    }
    assertArrayEquals(new int[] {0, 1, 0, 1}, d.labels());
  }
}
