package dev.topiary.methods.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** When a speed-up may be quoted, and when "no measurable change" is all that can be said. */
class SpeedupEstimateTest {

  private static final long LARGE = 10 * SpeedupEstimate.RELIABLE_FLOPS;

  /** Rounds where the pruned call takes {@code 1/ratio} of the original's, with multiplicative noise. */
  private static SpeedupEstimate rounds(double ratio, double noise, int n, double flopsRatio, long flops) {
    Random r = new Random(42);
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      double shared = 1000 * (1 + 0.5 * r.nextDouble()); // the machine's noise, common to both in a round
      a[i] = shared * (1 + noise * r.nextGaussian());
      b[i] = shared / ratio * (1 + noise * r.nextGaussian());
    }
    return SpeedupEstimate.of(256, a, b, 0.95, flopsRatio, flops, false);
  }

  @Test
  void aClearSpeedUpIsQuotedWithItsInterval() {
    SpeedupEstimate e = rounds(2.0, 0.02, 41, 2.2, LARGE);
    assertEquals(SpeedupEstimate.Verdict.FASTER, e.verdict());
    assertTrue(e.low() <= e.median() && e.median() <= e.high());
    assertTrue(e.low() > 1.9 && e.high() < 2.1, e.toString());
    assertTrue(e.describe().contains("faster"), e.describe());
    assertNull(e.note());
  }

  @Test
  void anIntervalThatContainsOneIsNoMeasurableChange() {
    SpeedupEstimate e = rounds(1.02, 0.2, 15, 1.1, LARGE);
    assertTrue(e.low() <= 1 && e.high() >= 1, e.toString());
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, e.verdict());
    assertTrue(e.describe().startsWith("no measurable change"), e.describe());
  }

  @Test
  void aCallBelowTheReliableSizeIsNoMeasurableChangeWhateverTheRatio() {
    SpeedupEstimate e = rounds(5.0, 0.01, 41, 5.0, SpeedupEstimate.RELIABLE_FLOPS - 1);
    assertTrue(e.low() > 4.5);
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, e.verdict());
    assertEquals("no measurable change (too small to time)", e.describe());
  }

  @Test
  void aSpeedUpFarBeyondTheFlopsRatioIsFlaggedAndExplained() {
    SpeedupEstimate e = rounds(10.0, 0.02, 41, 2.0, LARGE);
    assertTrue(e.beyondFlops());
    assertEquals(SpeedupEstimate.Verdict.FASTER, e.verdict());
    assertTrue(e.describe().contains("beyond the 2.00× FLOPs ratio"), e.describe());
    assertNotNull(e.note());
    SpeedupEstimate fine = rounds(2.5, 0.02, 41, 2.0, LARGE);
    assertTrue(!fine.beyondFlops() && fine.note() == null);
  }

  @Test
  void aSlowDownIsSaidAsSuch() {
    SpeedupEstimate e = rounds(0.5, 0.02, 41, 1.3, LARGE);
    assertEquals(SpeedupEstimate.Verdict.SLOWER, e.verdict());
    assertTrue(e.describe().startsWith("2.0"), e.describe());
  }

  @Test
  void theMedianIntervalUsesOrderStatistics() {
    double[] a = new double[9];
    double[] b = new double[9];
    for (int i = 0; i < 9; i++) {
      a[i] = 10 + i; // ratios 10/1 … 18/1
      b[i] = 1;
    }
    SpeedupEstimate e = SpeedupEstimate.of(1, a, b, 0.95, 20, LARGE, false);
    assertEquals(14.0, e.median());
    // n = 9: ranks floor(4.5 − 1.96·1.5) = 1 and ceil(4.5 + 2.94) = 8 (0-based).
    assertEquals(11.0, e.low());
    assertEquals(18.0, e.high());
    assertEquals(1.959964, SpeedupEstimate.normalQuantile(0.975), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> SpeedupEstimate.of(1, a, new double[3], 0.95, 1, LARGE,
        false));
  }

  /** Rounds of an original, a pruned network {@code ratio} times faster, and a copy {@code copyRatio} times faster. */
  private static SpeedupEstimate withCopy(double ratio, double copyRatio, double flopsRatio) {
    Random r = new Random(7);
    int n = 41;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      double shared = 1000 * (1 + 0.5 * r.nextDouble());
      a[i] = shared * (1 + 0.01 * r.nextGaussian());
      b[i] = shared / ratio * (1 + 0.01 * r.nextGaussian());
      c[i] = shared / copyRatio * (1 + 0.01 * r.nextGaussian());
    }
    return SpeedupEstimate.of(256, a, b, c, 0.95, flopsRatio, LARGE, false);
  }

  @Test
  void networksDoingTheSameWorkAreNeverCalledFasterOrSlower() {
    // Two identical networks can time 10 % apart (where their arrays sit, how each call site compiled);
    // with the same FLOPs nothing but the machine can explain it.
    SpeedupEstimate faster = rounds(1.1, 0.01, 41, 1.0, LARGE);
    SpeedupEstimate slower = rounds(1 / 1.1, 0.01, 41, 1.0, LARGE);
    assertTrue(faster.low() > 1 && slower.high() < 1, faster + " " + slower);
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, faster.verdict());
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, slower.verdict());
    assertEquals("no measurable change (the same work)", faster.describe());
  }

  @Test
  void aSpeedUpWithinWhatTwoCopiesOfTheOriginalDifferByIsNoMeasurableChange() {
    SpeedupEstimate e = withCopy(1.10, 1.12, 1.5);
    assertTrue(e.low() > 1, e.toString());
    assertTrue(e.sameHigh() >= e.low(), e.toString());
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, e.verdict());
    assertTrue(e.describe().contains("two copies of the original"), e.describe());
    assertEquals(e.sameLow(), (double) e.toMap().get("same_work_low"));
    // The same speed-up when the copy times like the original is quoted.
    SpeedupEstimate quiet = withCopy(1.10, 1.0, 1.5);
    assertEquals(SpeedupEstimate.Verdict.FASTER, quiet.verdict());
    assertTrue(quiet.sameLow() < 1.02 && quiet.sameHigh() > 0.98, quiet.toString());
  }

  @Test
  void aSlowDownWithinTheSameWorkBandIsNoMeasurableChange() {
    SpeedupEstimate e = withCopy(0.9, 0.88, 1.5);
    assertTrue(e.high() < 1, e.toString());
    assertEquals(SpeedupEstimate.Verdict.NO_MEASURABLE_CHANGE, e.verdict());
    assertEquals(SpeedupEstimate.Verdict.SLOWER, withCopy(0.9, 1.0, 1.5).verdict());
  }
}
