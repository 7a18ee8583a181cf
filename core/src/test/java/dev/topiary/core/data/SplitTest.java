package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SplitTest {

  /** A classification set whose single feature is the row index, with classes interleaved. */
  static Dataset classified(List<Integer> classSizes) {
    int k = classSizes.size();
    int n = classSizes.stream().mapToInt(Integer::intValue).sum();
    int[] labels = new int[n];
    int[] left = classSizes.stream().mapToInt(Integer::intValue).toArray();
    int at = 0;
    while (at < n) {
      for (int c = 0; c < k; c++) {
        if (left[c] > 0) {
          labels[at++] = c;
          left[c]--;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      names.add("c" + c);
    }
    return new Dataset("cls", n, 1, rowIndices(n), Task.classification(names), labels, null, List.of("i"));
  }

  static Dataset regression(int n) {
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = i * 0.5f;
    }
    return new Dataset("reg", n, 1, rowIndices(n), Task.regression(1), null, t, List.of("i"));
  }

  static float[] rowIndices(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  @Provide
  Arbitrary<Split.Fractions> fractions() {
    return Arbitraries.doubles().between(0.2, 0.95).flatMap(train -> Arbitraries.doubles().between(0, 1)
        .map(share -> {
          double validation = (1 - train) * share;
          return new Split.Fractions(train, validation, 1 - train - validation);
        }));
  }

  @Property(tries = 300, seed = "11")
  void everyClassIsWithinOneRowOfItsIdealShareInEveryPart(
      @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 80) Integer> classSizes,
      @ForAll("fractions") Split.Fractions f, @ForAll long seed) {
    Dataset data = classified(classSizes);
    int[][] parts = Split.indices(data, f, seed);
    double[] fraction = {f.train(), f.validation(), f.test()};
    for (int p = 0; p < 3; p++) {
      int[] perClass = new int[classSizes.size()];
      for (int row : parts[p]) {
        perClass[data.labels()[row]]++;
      }
      for (int c = 0; c < perClass.length; c++) {
        double ideal = classSizes.get(c) * fraction[p];
        assertTrue(Math.abs(perClass[c] - ideal) <= 1 + 1e-9,
            "part " + p + " class " + c + ": " + perClass[c] + " rows, ideal " + ideal);
        if (ideal >= 1 - 1e-9) {
          assertTrue(perClass[c] >= 1, "class " + c + " missing from part " + p + " (ideal " + ideal + ")");
        }
      }
    }
  }

  @Property(tries = 300, seed = "12")
  void partSizesStayCloseToTheirIdealOverall(
      @ForAll @Size(min = 2, max = 12) List<@IntRange(min = 1, max = 50) Integer> classSizes,
      @ForAll("fractions") Split.Fractions f, @ForAll long seed) {
    Dataset data = classified(classSizes);
    int[][] parts = Split.indices(data, f, seed);
    double[] fraction = {f.train(), f.validation(), f.test()};
    for (int p = 0; p < 3; p++) {
      double ideal = data.rows() * fraction[p];
      assertTrue(Math.abs(parts[p].length - ideal) <= 2, "part " + p + ": " + parts[p].length + " vs " + ideal);
    }
  }

  @Property(tries = 200, seed = "13")
  void partsAreDisjointAndCoverEveryRow(
      @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 60) Integer> classSizes,
      @ForAll("fractions") Split.Fractions f, @ForAll long seed, @ForAll boolean asRegression) {
    Dataset data = classified(classSizes);
    if (asRegression) {
      data = regression(data.rows());
    }
    Split split = Split.of(data, f, seed);
    int[] seen = new int[data.rows()];
    for (Dataset part : List.of(split.train(), split.validation(), split.test())) {
      for (int i = 0; i < part.rows(); i++) {
        int row = (int) part.x()[i];
        seen[row]++;
        if (asRegression) {
          assertEquals(data.targets()[row], part.targets()[i]);
        } else {
          assertEquals(data.labels()[row], part.labels()[i]);
        }
      }
    }
    for (int row = 0; row < seen.length; row++) {
      assertEquals(1, seen[row], "row " + row);
    }
  }

  @Property(tries = 100, seed = "14")
  void theSameSeedGivesTheSameSplit(
      @ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 40) Integer> classSizes,
      @ForAll("fractions") Split.Fractions f, @ForAll long seed) {
    Dataset data = classified(classSizes);
    int[][] a = Split.indices(data, f, seed);
    int[][] b = Split.indices(data, f, seed);
    for (int p = 0; p < 3; p++) {
      assertArrayEquals(a[p], b[p]);
    }
    Split s1 = Split.of(data, f, seed);
    Split s2 = Split.of(data, f, seed);
    assertArrayEquals(s1.validation().x(), s2.validation().x());
  }

  @Property(tries = 200, seed = "15")
  void regressionPartsAreWithinOneRowOfTheirShare(@ForAll @IntRange(min = 1, max = 500) int n,
      @ForAll("fractions") Split.Fractions f, @ForAll long seed) {
    int[][] parts = Split.indices(regression(n), f, seed);
    double[] fraction = {f.train(), f.validation(), f.test()};
    for (int p = 0; p < 3; p++) {
      assertTrue(Math.abs(parts[p].length - n * fraction[p]) <= 1 + 1e-9);
    }
  }

  @Test
  void defaultsOnIrisAreExactlyStratified() throws Exception {
    Split s = Split.of(BuiltinData.load("iris"), 42);
    assertEquals(105, s.train().rows());
    assertEquals(23, s.validation().rows());
    assertEquals(22, s.test().rows());
    for (Dataset part : List.of(s.train(), s.validation(), s.test())) {
      int[] counts = new int[3];
      for (int y : part.labels()) {
        counts[y]++;
      }
      int min = Arrays.stream(counts).min().getAsInt();
      int max = Arrays.stream(counts).max().getAsInt();
      assertTrue(max - min <= 1, part.name() + " " + Arrays.toString(counts));
    }
    assertEquals("builtin:iris/validation", s.validation().name());
  }

  @Test
  void partsAreShuffledAndSeedsDiffer() {
    Dataset data = classified(List.of(100, 100));
    int[][] a = Split.indices(data, Split.Fractions.DEFAULT, 1);
    int[][] b = Split.indices(data, Split.Fractions.DEFAULT, 2);
    assertFalse(Arrays.equals(a[0], b[0]));
    int[] sorted = a[0].clone();
    Arrays.sort(sorted);
    assertFalse(Arrays.equals(sorted, a[0]), "the training rows should come in shuffled order");
  }

  @Test
  void aLoadedTestPartIsKeptAndTheRestSplitInTheRatioOfTrainToValidation() {
    Dataset train = classified(List.of(50, 50));
    Dataset test = classified(List.of(5, 5));
    Split s = Split.of(new Loaded(train, test, 0), new Split.Fractions(0.6, 0.2, 0.2), 3);
    assertSame(test, s.test());
    assertEquals(75, s.train().rows());
    assertEquals(25, s.validation().rows());
  }

  @Test
  void partsAreNamedAfterTheSourceOnceWhetherOrNotItHadATestPart() {
    Dataset all = classified(List.of(20, 20));
    Split plain = Split.of(all, 1);
    assertEquals("cls/train", plain.train().name());
    assertEquals("cls/validation", plain.validation().name());
    assertEquals("cls", plain.source());
    // IDX sources name their training part SOURCE/train and their test part SOURCE/t10k.
    Dataset train = all.subset(IntStream.range(0, 40).toArray(), "idx:/data/fashion/train");
    Dataset test = all.subset(IntStream.range(0, 10).toArray(), "idx:/data/fashion/t10k");
    Split withTest = Split.of(new Loaded(train, test, 0), Split.Fractions.DEFAULT, 1);
    assertEquals("idx:/data/fashion/train", withTest.train().name());
    assertEquals("idx:/data/fashion/validation", withTest.validation().name());
    assertEquals("idx:/data/fashion", withTest.source());
  }

  @Test
  void emptyPartsAreAllowed() {
    Split s = Split.of(regression(10), new Split.Fractions(1, 0, 0), 1);
    assertEquals(10, s.train().rows());
    assertEquals(0, s.validation().rows());
    assertEquals(0, s.test().rows());
  }

  @Test
  void fractionsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new Split.Fractions(0.5, 0.2, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new Split.Fractions(0, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Split.Fractions(1.2, -0.1, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new Split.Fractions(Double.NaN, 0.5, 0.5));
  }

  @Property(tries = 50, seed = "16")
  void fractionsThatSumToOneAreAccepted(@ForAll @DoubleRange(min = 0.01, max = 1) double train) {
    double rest = 1 - train;
    Split.Fractions f = new Split.Fractions(train, rest / 3, rest - rest / 3);
    assertEquals(train, f.train());
  }
}
