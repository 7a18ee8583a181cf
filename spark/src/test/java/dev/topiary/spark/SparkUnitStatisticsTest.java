package dev.topiary.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.ColumnMoments;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.VariancePruner;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class SparkUnitStatisticsTest {

  static final int IN = 6;
  static final int ROWS = 613; // more than two chunks of ColumnMoments.CHUNK, not a multiple of it
  static final int CLASSES = 3;
  static final float[] X = TestData.inputs(ROWS, IN, 23);
  static final int[] LABELS = labels(ROWS, 29);
  static final Network NET = TestData.classifier(IN, new int[] {13, 9, 5}, CLASSES, Activation.RELU, X, ROWS, 3);
  static final TopiaryModelBytes MODEL = TopiaryModelBytes.of(NET);
  static final StatisticsOptions ALL = StatisticsOptions.defaults().withActivationSummaries().withHistograms(8)
      .withClassMoments().withCovariance();
  static final UnitStatistics REFERENCE = UnitStatistics.gather(NET, X, LABELS, CLASSES, ROWS, "x", ALL);
  static final InputColumns COLUMNS = InputColumns.features("features").withLabel("label");
  static final List<Row> ROW_LIST = TestData.byId(TestData.table(X, ROWS, IN, LABELS, 1));
  static final StructType SCHEMA = ROW_LIST.get(0).schema();

  static int[] labels(int rows, long seed) {
    Random r = new Random(seed);
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = r.nextInt(CLASSES);
    }
    return y;
  }

  /** Rows in {@code parts} contiguous slices, as a distributed file would be split. */
  static JavaRDD<Row> slices(int parts) {
    return JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext()).parallelize(ROW_LIST, parts);
  }

  /** Every row sent to a partition drawn at random: uneven sizes, rows out of order, empty partitions. */
  static JavaRDD<Row> scattered(int parts, long seed) {
    Random r = new Random(seed);
    List<Tuple2<Integer, Row>> keyed = new ArrayList<>();
    for (Row row : ROW_LIST) {
      keyed.add(new Tuple2<>(r.nextInt(parts), row));
    }
    JavaPairRDD<Integer, Row> pairs =
        JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext()).parallelizePairs(keyed, 1);
    return pairs.partitionBy(new HashPartitioner(parts)).values();
  }

  /**
   * Float rounding bounds. ColumnMoments sums chunks of at most CHUNK rows in float, shifted by the
   * chunk's first row; where the chunk boundaries fall depends on the partitioning. Each float sum of up to
   * CHUNK terms bounded by the unit's range R errs by at most CHUNK·u·R (u = 2⁻²⁴), which bounds the error
   * of a mean by CHUNK·u·R and of a variance by 2·CHUNK·u·R²; covariances likewise with R_i·R_j.
   */
  static final double U = Math.ulp(1.0f) / 2;

  static void assertSameStatistics(UnitStatistics expected, UnitStatistics actual, String where) {
    assertEquals(expected.rows(), actual.rows(), where);
    assertEquals(expected.layers().size(), actual.layers().size());
    for (int i = 0; i < expected.layers().size(); i++) {
      LayerStatistics e = expected.layers().get(i);
      LayerStatistics a = actual.layers().get(i);
      String at = where + ", layer " + e.layer().address();
      assertEquals(e.layer(), a.layer(), at);
      assertEquals(e.count(), a.count(), at);
      double[] range = new double[e.width()];
      for (int j = 0; j < e.width(); j++) {
        range[j] = e.histograms() != null ? e.histograms().max()[j] - e.histograms().min()[j] : 10.0;
        double tm = ColumnMoments.CHUNK * U * range[j] + 1e-12;
        double tv = 2 * ColumnMoments.CHUNK * U * range[j] * range[j] + 1e-12;
        assertEquals(e.mean(j), a.mean(j), tm, at + " mean " + j);
        assertEquals(e.std(j) * e.std(j), a.std(j) * a.std(j), tv, at + " variance " + j);
      }
      if (e.hasActivationSummaries()) {
        assertArrayEquals(e.zeroFraction(), a.zeroFraction(), 1e-12, at + " zero fractions");
        assertArrayEquals(e.meanAbsolute(), a.meanAbsolute(), 1e-9, at + " mean |h|");
      }
      if (e.classMoments() != null) {
        assertArrayEquals(e.classMoments().counts(), a.classMoments().counts(), at);
        for (int c = 0; c < CLASSES; c++) {
          for (int j = 0; j < e.width(); j++) {
            double tm = ColumnMoments.CHUNK * U * range[j] + 1e-12;
            assertEquals(e.classMoments().mean(c, j), a.classMoments().mean(c, j), tm, at + " class mean");
            double es = e.classMoments().std(c, j);
            double as = a.classMoments().std(c, j);
            assertEquals(es * es, as * as, 2 * tm * range[j], at + " class variance");
          }
        }
      }
      if (e.histograms() != null) {
        assertEquals(e.histograms(), a.histograms(), at + " histograms");
      }
      if (e.covariance() != null) {
        assertNotNull(a.covariance(), at);
        int w = e.width();
        for (int p = 0; p < w; p++) {
          for (int q = 0; q < w; q++) {
            double t = 2 * ColumnMoments.CHUNK * U * range[p] * range[q] + 1e-12;
            assertEquals(e.covariance().cov(p, q), a.covariance().cov(p, q), t, at + " cov " + p + "," + q);
          }
        }
      } else {
        assertEquals(null, a.covariance(), at);
      }
    }
  }

  @Test
  void everyStatisticMatchesTheSingleJvmPassOverOneTwoAndSevenSlices() {
    for (int parts : new int[] {1, 2, 7}) {
      UnitStatistics s = SparkUnitStatistics.gather(MODEL, slices(parts), SCHEMA, COLUMNS, ALL);
      assertSameStatistics(REFERENCE, s, parts + " partitions");
    }
  }

  @Property(tries = 5, seed = "20261201")
  void momentsDoNotDependOnHowRowsArePartitioned(@ForAll @IntRange(min = 1, max = 9) int parts,
      @ForAll long seed) {
    StatisticsOptions options = StatisticsOptions.defaults().withActivationSummaries().withCovariance()
        .withBatchRows(97);
    UnitStatistics expected = UnitStatistics.gather(NET, X, ROWS, "x", options);
    UnitStatistics s = SparkUnitStatistics.gather(MODEL, scattered(parts, seed), SCHEMA,
        InputColumns.features("features"), options);
    assertSameStatistics(expected, s, parts + " random partitions, seed " + seed);
  }

  @Test
  void pruningFromClusterStatisticsEqualsPruningOnOneJvm() {
    ThresholdRule rule = ThresholdRule.fractionPerLayer(0.4);
    PruningResult local = VariancePruner.prune(NET, new Dataset("x", ROWS, IN, X, NET.task(), LABELS, null, List.of(TestData.columns(IN))), rule,
        Schedule.ONE_SHOT);
    PruningResult spark = SparkPruning.prune(MODEL, TestData.table(X, ROWS, IN, LABELS, 3),
        InputColumns.features("features"), VarianceCriterion.INSTANCE, rule, StatisticsOptions.defaults());
    // The same units go; their folded means agree up to the rounding bound of the moments.
    assertEquals(local.plan().layers().size(), spark.plan().layers().size());
    for (int l = 0; l < local.plan().layers().size(); l++) {
      assertArrayEquals(local.plan().layers().get(l).units(), spark.plan().layers().get(l).units());
      assertArrayEquals(local.plan().layers().get(l).means(), spark.plan().layers().get(l).means(),
          ColumnMoments.CHUNK * U * 10);
    }
    assertEquals(local.sizes(), spark.sizes());
    float[] a = local.network().predict(X, ROWS);
    float[] b = spark.network().predict(X, ROWS);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-5, "output " + i);
    }
  }

  @Test
  void fewerThanTwoRowsOrAWrongLabelIsRefused() {
    JavaRDD<Row> one = JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext())
        .parallelize(ROW_LIST.subList(0, 1), 2);
    EvaluationDataException e = assertThrows(EvaluationDataException.class,
        () -> SparkUnitStatistics.gather(MODEL, one, SCHEMA, COLUMNS, StatisticsOptions.defaults()));
    assertTrue(e.getMessage().contains("1 row"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> SparkUnitStatistics.gather(MODEL, slices(1), SCHEMA, InputColumns.features("id"),
            StatisticsOptions.defaults()));
    assertTrue(bad.getMessage().contains("must be an ml Vector"), bad.getMessage());
  }
}
