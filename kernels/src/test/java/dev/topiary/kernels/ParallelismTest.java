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

  /**
   * Adam and standardisation split into parts give the bits of one thread, on sizes around the split
   * threshold that are not multiples of the part alignment, at offsets, in place, on 2 and 3 threads.
   */
  @Test
  void splitElementwiseKernelsMatchOneThread() {
    Random r = new Random(12);
    for (int n : new int[] {Elementwise.PARALLEL_ELEMENTS - 1, Elementwise.PARALLEL_ELEMENTS + 17, 200_003}) {
      for (int threads : new int[] {2, 3}) {
        float[][] one = adamState(r, n);
        float[][] many = new float[4][];
        for (int i = 0; i < 4; i++) {
          many[i] = one[i].clone();
        }
        for (long step = 1; step <= 3; step++) {
          Kernels.adam(n, one[0], 3, one[1], 3, one[2], 3, one[3], 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, true,
              step);
          Kernels.adam(n, many[0], 3, many[1], 3, many[2], 3, many[3], 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f,
              true, step, Providers.threads(threads));
        }
        for (int i = 0; i < 4; i++) {
          assertArrayEquals(one[i], many[i], "adam n=" + n + " threads=" + threads + " array " + i);
        }
        int cols = 97;
        int rows = n / cols;
        float[] src = Providers.random(r, 5 + rows * cols, -50f, 50f);
        float[] mean = Providers.random(r, cols, -5f, 5f);
        float[] scale = Providers.random(r, cols, 0.1f, 3f);
        float[] a = new float[rows * cols];
        float[] b = new float[rows * cols];
        Kernels.standardize(rows, src, 5, mean, scale, a, 0);
        Kernels.standardize(rows, src, 5, mean, scale, b, 0, Providers.threads(threads));
        assertArrayEquals(a, b, "standardize " + rows + "x" + cols + " threads=" + threads);
        float[] inPlace = src.clone();
        Kernels.standardize(rows, inPlace, 5, mean, scale, inPlace, 5, Providers.threads(threads));
        assertArrayEquals(a, java.util.Arrays.copyOfRange(inPlace, 5, inPlace.length), "in place");
      }
    }
  }

  private static float[][] adamState(Random r, int n) {
    float[][] s = new float[4][];
    s[0] = Providers.random(r, n + 3, -1f, 1f);
    s[1] = Providers.random(r, n + 3, -0.1f, 0.1f);
    s[2] = Providers.random(r, n + 3, -0.01f, 0.01f);
    s[3] = Providers.random(r, n + 3, 0f, 1e-4f);
    return s;
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
