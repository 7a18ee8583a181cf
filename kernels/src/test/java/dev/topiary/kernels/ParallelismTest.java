package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker hand-off behind multithreaded GEMM: every task once, failures surface, close is safe. */
class ParallelismTest {

  /** Many products in a row, with varying task counts: each task of each product runs exactly once. */
  private static void everyTaskRunsOnce(Parallelism p) {
    for (int round = 0; round < 300; round++) {
      int tasks = 1 + round % p.threads();
      AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
      p.run(tasks, runs::incrementAndGet);
      for (int t = 0; t < tasks; t++) {
        assertEquals(1, runs.get(t), "round " + round + ", task " + t + " of " + tasks);
      }
    }
  }

  @Test
  void ownWorkersRunEveryTaskOnce() {
    try (Parallelism p = Parallelism.ofThreads(3)) {
      everyTaskRunsOnce(p);
    }
  }

  @Test
  void executorWorkersRunEveryTaskOnce() {
    ExecutorService pool = Executors.newCachedThreadPool();
    try (Parallelism p = Parallelism.using(pool, 3)) {
      everyTaskRunsOnce(p);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aFailingTaskIsRethrownToTheCaller() {
    try (Parallelism p = Parallelism.ofThreads(2)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.run(2, t -> {
        if (t == 1) {
          throw new IllegalStateException("task 1 failed");
        }
      }));
      assertEquals("task 1 failed", e.getMessage());
      everyTaskRunsOnce(p); // the workers survive a failure
    }
  }

  @Test
  void closedInstancesStillComputeOnTheCaller() {
    Parallelism p = Parallelism.ofThreads(2);
    p.run(2, t -> { });
    p.close();
    p.close();
    AtomicIntegerArray runs = new AtomicIntegerArray(2);
    p.run(2, runs::incrementAndGet);
    assertEquals(1, runs.get(0));
    assertEquals(1, runs.get(1));
  }

  @Test
  void gemmOnAnExecutorMatchesOneThread() {
    Random r = new Random(9);
    int m = 70;
    int n = 300;
    int k = 200;
    float[] a = Providers.random(r, m * k, -1f, 1f);
    float[] b = Providers.random(r, n * k, -1f, 1f);
    float[] one = new float[m * n];
    float[] two = new float[m * n];
    Kernels.gemmNT(m, n, k, a, 0, k, b, 0, k, one, 0, n, false, Parallelism.sequential());
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (Parallelism p = Parallelism.using(pool, 2)) {
      Kernels.gemmNT(m, n, k, a, 0, k, b, 0, k, two, 0, n, false, p);
    } finally {
      pool.shutdown();
    }
    assertArrayEquals(one, two);
    assertNotEquals(0f, one[0]);
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Parallelism.ofThreads(0));
    assertThrows(IllegalArgumentException.class, () -> Parallelism.shared(-1));
    assertThrows(NullPointerException.class, () -> Parallelism.using(null, 2));
    assertSame(Parallelism.sequential(), Parallelism.ofThreads(1));
    assertSame(Parallelism.shared(2), Parallelism.shared(2));
    assertThrows(NullPointerException.class,
        () -> Kernels.gemmNT(1, 1, 1, new float[1], 0, 1, new float[1], 0, 1, new float[1], 0, 1, false, null));
  }
}
