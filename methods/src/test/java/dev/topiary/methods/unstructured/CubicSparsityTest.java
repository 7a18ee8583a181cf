package dev.topiary.methods.unstructured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CubicSparsityTest {

  @Property(tries = 500, seed = "7")
  void valuesMatchTheFormula(@ForAll @DoubleRange(min = 0, max = 1) double si,
      @ForAll @DoubleRange(min = 0, max = 1) double sf, @ForAll @DoubleRange(min = -5, max = 5) double t0,
      @ForAll @IntRange(min = 1, max = 20) int n, @ForAll @DoubleRange(min = 0.1, max = 4) double dt,
      @ForAll @DoubleRange(min = -10, max = 100) double t) {
    CubicSparsity s = new CubicSparsity(si, sf, t0, n, dt);
    double expected;
    if (t <= t0) {
      expected = si;
    } else if (t >= t0 + n * dt) {
      expected = sf;
    } else {
      expected = sf + (si - sf) * Math.pow(1 - (t - t0) / (n * dt), 3);
    }
    assertEquals(expected, s.at(t), 1e-12);
    assertEquals(si, s.at(t0), 0.0);
    assertEquals(sf, s.afterStep(n), 1e-12);
    // Between its ends the schedule moves monotonically from s_i towards s_f.
    double a = s.at(t);
    assertTrue(a >= Math.min(si, sf) - 1e-12 && a <= Math.max(si, sf) + 1e-12);
  }

  @Test
  void handComputedValues() {
    CubicSparsity s = new CubicSparsity(0.0, 0.8, 0, 4, 1);
    assertEquals(0.8 * (1 - 0.421875), s.afterStep(1), 1e-12); // (1 − 1/4)³ = 0.421875
    assertEquals(0.8 * (1 - 0.125), s.afterStep(2), 1e-12);
    assertEquals(0.8 * (1 - 0.015625), s.afterStep(3), 1e-12);
    assertEquals(0.8, s.afterStep(4), 1e-12);
  }

  @Test
  void rejectsBadRanges() {
    assertThrows(IllegalArgumentException.class, () -> new CubicSparsity(-0.1, 0.5, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new CubicSparsity(0, 0.5, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new CubicSparsity(0, 0.5, 0, 3, 0));
  }
}
