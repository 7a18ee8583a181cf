package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.datasets.Builtin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuiltinDataTest {

  @ParameterizedTest
  @EnumSource(Builtin.class)
  void everyEmbeddedSetLoadsWithTheShapeTheDatasetsModuleDeclares(Builtin b) throws IOException {
    Dataset d = BuiltinData.load(b.id());
    assertEquals("builtin:" + b.id(), d.name());
    assertEquals(b.rows(), d.rows());
    assertEquals(b.features(), d.features());
    assertEquals(b.classification(), d.task().isClassification());
    if (b.classification()) {
      assertEquals(b.classes(), d.task().classes());
      // the embedded targets are already 0..K-1, so numeric ordering keeps them as they are
      List<String> expected = new java.util.ArrayList<>();
      for (int k = 0; k < b.classes(); k++) {
        expected.add(Integer.toString(k));
      }
      assertEquals(expected, d.task().classLabels());
      int[] counts = new int[b.classes()];
      for (int y : d.labels()) {
        counts[y]++;
      }
      assertTrue(Arrays.stream(counts).allMatch(c -> c > 0), Arrays.toString(counts));
    } else {
      assertEquals(1, d.task().outputs());
      assertNull(d.labels());
    }
    assertEquals(b.features(), d.featureNames().size());
    assertFalse(d.featureNames().contains("target"));
    for (float v : d.x()) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void theFirstRowMatchesTheCsvText() throws IOException {
    String firstRow;
    try (InputStream in = Builtin.IRIS.open()) {
      firstRow = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")[1].trim();
    }
    String[] cells = firstRow.split(",");
    Dataset d = BuiltinData.load("iris");
    for (int j = 0; j < 4; j++) {
      assertEquals(Float.parseFloat(cells[j]), d.x()[j]);
    }
    assertEquals(Integer.parseInt(cells[4]), d.labels()[0]);
  }

  @Test
  void coreKnowsTheSameNamesAsTheDatasetsModule() {
    assertEquals(Builtin.names(), BuiltinData.names());
    for (Builtin b : Builtin.values()) {
      assertEquals(b.id(), BuiltinData.canonical(b.name()));
    }
  }

  @Test
  void namesAreCaseInsensitiveAndAcceptHyphens() throws IOException {
    Dataset a = BuiltinData.load("breast-cancer");
    Dataset b = BuiltinData.load(" Breast_Cancer ");
    assertEquals("builtin:breast_cancer", a.name());
    assertArrayEquals(a.x(), b.x());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> BuiltinData.load("mnist"));
    assertEquals("builtin:mnist: no embedded data set by that name; available: iris, wine, breast_cancer, digits,"
        + " penguins, diabetes, concrete", e.getMessage());
    e = assertThrows(NoSuchFileException.class, () -> BuiltinData.load("../iris"));
    assertEquals("builtin:../iris: not a data set name; available: iris, wine, breast_cancer, digits, penguins,"
        + " diabetes, concrete", e.getMessage());
  }

  @Test
  void missingDatasetsModuleIsReportedAsSuch() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> BuiltinData.load("iris", r -> null));
    assertEquals("builtin:iris: the embedded data sets are not on the class path (add the topiary-datasets module);"
        + " available: iris, wine, breast_cancer, digits, penguins, diabetes, concrete", e.getMessage());
  }

  @Test
  void anEmbeddedSetOutsideTheTableIsLoadedWithItsTaskInferred() throws IOException {
    String csv = "a,b,target\n1,2,0.5\n3,4,1.5\n5,6,2.25\n";
    Dataset d = BuiltinData.load("extra", r -> r.equals("dev/topiary/datasets/extra.csv")
        ? new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)) : null);
    assertEquals("builtin:extra", d.name());
    assertFalse(d.task().isClassification());
    assertArrayEquals(new float[] {0.5f, 1.5f, 2.25f}, d.targets());
  }

  @Test
  void regressionSetsKeepTheirRawTargets() throws IOException {
    // diabetes targets are integers with fewer than 2 rows per value: the table, not inference, decides.
    Dataset d = BuiltinData.load("diabetes");
    assertEquals(151f, d.targets()[0]);
    assertEquals(75f, d.targets()[1]);
  }

  @Test
  void dataSourcesLoadsEveryKind(@TempDir Path dir) throws IOException {
    Loaded builtin = DataSources.load("builtin:wine");
    assertEquals(178, builtin.train().rows());
    assertFalse(builtin.hasTest());

    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "label,a\nx,1\ny,2\nx,NaN\n");
    LoadOptions options = LoadOptions.DEFAULTS.withTarget("label").withDropNonFinite(true);
    for (String src : List.of(csv.toString(), "csv:" + csv)) {
      Loaded l = DataSources.load(src, options);
      assertEquals(2, l.train().rows());
      assertEquals(1, l.droppedRows());
      assertEquals(List.of("x", "y"), l.train().task().classLabels());
    }
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> DataSources.load(dir.resolve("missing.csv").toString()));
    assertEquals(dir.resolve("missing.csv") + ": no such data file", e.getMessage());
    e = assertThrows(NoSuchFileException.class, () -> DataSources.load("idx:" + dir.resolve("none")));
    assertTrue(e.getMessage().startsWith(dir.resolve("none") + ": no such directory"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DataSources.load(" "));
  }
}
