package dev.topiary.methods.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing loop's bookkeeping; no timing is asserted, only what must hold whatever the clock says. */
class TimerTest {

  /** An operation that counts its calls and logs, per call, which operation ran. */
  private static final class Counted implements Runnable {
    final int id;
    final List<Integer> log;
    long calls;

    Counted(int id, List<Integer> log) {
      this.id = id;
      this.log = log;
    }

    @Override
    public void run() {
      calls++;
      log.add(id);
    }
  }

  @Test
  void withNoBudgetExactlyMinRoundsAreTakenOfEveryOperation() {
    List<Integer> log = new ArrayList<>();
    Counted a = new Counted(0, log);
    Counted b = new Counted(1, log);
    List<Timing> t = Timer.time(List.of(a, b), Duration.ZERO, Duration.ZERO, 7, Duration.ZERO);
    assertEquals(2, t.size());
    for (int i = 0; i < 2; i++) {
      Timing ti = t.get(i);
      assertEquals(7, ti.samples());
      // A zero sample time means one call per sample.
      assertEquals(1, ti.callsPerSample());
      assertEquals(7, ti.calls());
      assertTrue(ti.minNanos() <= ti.medianNanos() && ti.medianNanos() <= ti.p90Nanos());
    }
    // Each operation was warmed up with at least two calls before its samples.
    assertTrue(a.calls >= 2 + 7 && b.calls >= 2 + 7, a.calls + ", " + b.calls);
  }

  @Test
  void roundsAlternateTheirOrder() {
    List<Integer> log = new ArrayList<>();
    Counted a = new Counted(0, log);
    Counted b = new Counted(1, log);
    Timer.time(List.of(a, b), Duration.ZERO, Duration.ZERO, 4, Duration.ZERO);
    // One call per sample: the last eight calls are the four rounds, forward then backward.
    assertEquals(List.of(0, 1, 1, 0, 0, 1, 1, 0), log.subList(log.size() - 8, log.size()));
  }

  @Test
  void aSampleHoldsEnoughCallsToLastTheSampleTime() {
    List<Integer> log = new ArrayList<>();
    Counted a = new Counted(0, log);
    Timing t = Timer.time(List.of(a), Duration.ofMillis(1), Duration.ofMillis(2), 3, Duration.ZERO).get(0);
    assertEquals(3, t.samples());
    assertTrue(t.warmupNanos() >= 1_000_000, "warm-up " + t.warmupNanos());
    // A sample of at least 2 ms of a call that costs far less needs many calls.
    assertTrue(t.callsPerSample() > 1, "calls per sample " + t.callsPerSample());
    assertTrue(a.calls >= t.calls());
  }

  @Test
  void aFewSlowCallsDoNotCountAsSettled() {
    // Like a Vector API kernel before C2 compiles it: the first 10 calls take 3 ms each, later ones
    // almost nothing. Two windows of one slow call each agree within 5 %, but prove nothing. The slow
    // calls take 30 ms of the 100 ms the warm-up may run while windows are short, so a test JVM that is
    // descheduled for part of them (a busy machine) still leaves them all to the warm-up.
    int[] calls = new int[1];
    Runnable op = () -> {
      if (calls[0]++ < 10) {
        long end = System.nanoTime() + 3_000_000;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
      }
    };
    Timing t = Timer.time(List.of(op), Duration.ofMillis(10), Duration.ofMillis(1), 3, Duration.ZERO).get(0);
    assertTrue(calls[0] - t.calls() >= 10, "warm-up ran past the slow calls: " + (calls[0] - t.calls()));
    assertTrue(t.callsPerSample() > 1, "samples sized from the fast calls: " + t.callsPerSample());
    assertTrue(t.medianNanos() < 1_000_000, "median " + t.medianNanos());
  }

  @Test
  void quantileInterpolatesBetweenOrderStatistics() {
    double[] s = {1, 2, 4, 8};
    assertEquals(1, Timer.quantile(s, 0), 0);
    assertEquals(8, Timer.quantile(s, 1), 0);
    assertEquals(3, Timer.quantile(s, 0.5), 1e-12);
    assertEquals(4 + 0.7 * 4, Timer.quantile(s, 0.9), 1e-12);
  }

  @Test
  void badArgumentsAreRefused() {
    Runnable op = () -> { };
    assertThrows(IllegalArgumentException.class,
        () -> Timer.time(List.of(), Duration.ZERO, Duration.ZERO, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> Timer.time(List.of(op), Duration.ZERO, Duration.ZERO, 0, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> Timer.time(List.of(op), Duration.ofMillis(-1), Duration.ZERO, 1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> Timer.time(List.of(op), Duration.ZERO, Duration.ZERO, 1, Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> new Timing(1, 1, 0, 5, 4, 6));
  }
}
