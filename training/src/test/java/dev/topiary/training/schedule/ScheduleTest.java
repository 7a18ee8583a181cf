package dev.topiary.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Schedule factors against their formulas. */
class ScheduleTest {

  @Property(seed = "20261103")
  void constantIsOne(@ForAll @IntRange(min = 0, max = 10_000) int step) {
    assertEquals(1.0, Schedule.constant().factor(step, 7, 10_001));
  }

  @Property(seed = "20261104")
  void stepDecayMultipliesEveryFewEpochs(@ForAll @IntRange(min = 1, max = 5) int every,
      @ForAll @DoubleRange(min = 0.05, max = 1) double gamma, @ForAll @IntRange(min = 1, max = 13) int perEpoch,
      @ForAll @IntRange(min = 0, max = 500) int step) {
    int epoch = step / perEpoch;
    assertEquals(Math.pow(gamma, epoch / every), Schedule.step(every, gamma).factor(step, perEpoch, 501), 1e-15);
  }

  @Property(seed = "20261105")
  void cosineFollowsTheHalfCosine(@ForAll @DoubleRange(min = 0, max = 1) double min,
      @ForAll @IntRange(min = 2, max = 1000) int total, @ForAll @IntRange(min = 0, max = 999) int s) {
    int step = s % total;
    double expected = min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * step / (total - 1)));
    Schedule c = Schedule.cosine(min);
    assertEquals(expected, c.factor(step, 10, total), 1e-12);
    assertEquals(1.0, c.factor(0, 10, total), 1e-12);
    assertEquals(min, c.factor(total - 1, 10, total), 1e-12);
  }

  @Property(seed = "20261106")
  void warmupRampsLinearlyThenHandsOver(@ForAll @IntRange(min = 1, max = 50) int w,
      @ForAll @IntRange(min = 60, max = 400) int total, @ForAll @IntRange(min = 0, max = 399) int s,
      @ForAll @DoubleRange(min = 0, max = 0.5) double min) {
    int step = s % total;
    Schedule inner = Schedule.cosine(min);
    Schedule warm = Schedule.warmup(w, inner);
    double expected = step < w
        ? inner.factor(0, 5, total - w) * (step + 1) / w
        : inner.factor(step - w, 5, total - w);
    assertEquals(expected, warm.factor(step, 5, total), 1e-12);
  }

  @Example
  void warmupEndsAtTheBaseRateAndCosineStartsThere() {
    Schedule s = Schedule.warmup(4, Schedule.cosine(0.0));
    assertEquals(0.25, s.factor(0, 2, 14), 1e-12);
    assertEquals(1.0, s.factor(3, 2, 14), 1e-12);
    assertEquals(1.0, s.factor(4, 2, 14), 1e-12);
    assertEquals(0.0, s.factor(13, 2, 14), 1e-12);
    assertEquals(0.5, Schedule.warmup(2, Schedule.step(1, 0.5)).factor(2 + 3, 3, 20), 1e-12);
  }

  @Example
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> Schedule.step(0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Schedule.step(1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Schedule.warmup(0, Schedule.constant()));
  }
}
