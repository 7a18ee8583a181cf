package dev.topiary.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.kernels.Activation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class InferenceTest {

  private static final double EPS = Math.ulp(1f);

  /** A classifier with a residual block and odd widths: 13 → 37 → [37 → 19 → 37] → 5. */
  static Network oddClassifier() {
    Random r = new Random(7);
    List<Layer> layers = List.of(
        TestNetworks.dense(13, 37, Activation.GELU, r),
        new ResidualBlock(List.of(TestNetworks.dense(37, 19, Activation.TANH, r),
            TestNetworks.dense(19, 37, Activation.IDENTITY, r))),
        TestNetworks.dense(37, 5, Activation.IDENTITY, r));
    return new Network(13, layers, Task.classification(List.of("a", "b", "c", "d", "e")),
        TestNetworks.scaling(13, r), null);
  }

  /** A regressor 9 → 21 (silu) → 3 with input and output standardisation. */
  static Network oddRegressor() {
    Random r = new Random(8);
    List<Layer> layers = List.of(TestNetworks.dense(9, 21, Activation.SILU, r),
        TestNetworks.dense(21, 3, Activation.IDENTITY, r));
    return new Network(9, layers, Task.regression(3), TestNetworks.scaling(9, r), TestNetworks.scaling(3, r));
  }

  private static void assertLogitsMatchReference(Network n, float[] x, int xOff, int rows, float[] got,
      int gotOff) {
    double[] bound = new double[rows * n.outputSize()];
    double[] ref = TestNetworks.reference(n, x, xOff, rows, bound);
    double factor = 4 * EPS * TestNetworks.sumLength(n);
    for (int i = 0; i < ref.length; i++) {
      double tol = factor * bound[i];
      if (!(Math.abs(got[gotOff + i] - ref[i]) <= tol)) {
        throw new AssertionError("element " + i + ": " + got[gotOff + i] + " vs reference " + ref[i]
            + ", tolerance " + tol);
      }
    }
  }

  @Test
  void logitsMatchTheDoublePrecisionReferenceOnOddSizesAcrossBlocks() {
    Network n = oddClassifier();
    for (int rows : new int[] {1, 3, 17, 255, 256, 257, 600}) {
      int xOff = 5;
      int outOff = 11;
      float[] x = new float[xOff + rows * 13 + 3];
      float[] core = TestNetworks.inputs(n, rows, rows);
      System.arraycopy(core, 0, x, xOff, core.length);
      float[] out = new float[outOff + rows * 5 + 2];
      out[outOff - 1] = 42f;
      out[out.length - 1] = 43f;
      n.predictLogits(x, xOff, rows, out, outOff);
      assertLogitsMatchReference(n, x, xOff, rows, out, outOff);
      assertEquals(42f, out[outOff - 1], "wrote before the output range");
      assertEquals(43f, out[out.length - 1], "wrote after the output range");
    }
  }

  @Property(tries = 60, seed = "20240517")
  void logitsMatchTheReferenceForRandomArchitectures(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 1, max = 300) int rows) {
    Network n = TestNetworks.random(seed);
    float[] x = TestNetworks.inputs(n, rows, seed + 1);
    float[] out = new float[rows * n.outputSize()];
    n.predictLogits(x, 0, rows, out, 0);
    assertLogitsMatchReference(n, x, 0, rows, out, 0);
  }

  @Test
  void probabilitiesAreTheSoftmaxOfTheReferenceLogitsAndClassesTheArgmax() {
    Network n = oddClassifier();
    int rows = 301;
    float[] x = TestNetworks.inputs(n, rows, 3);
    float[] p = n.predict(x, rows);
    float[] logits = new float[rows * 5];
    n.predictLogits(x, 0, rows, logits, 0);
    int[] classes = n.predictClasses(x, rows);
    double[] ref = TestNetworks.reference(n, x, 0, rows, null);
    for (int i = 0; i < rows; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < 5; j++) {
        max = Math.max(max, ref[i * 5 + j]);
      }
      double z = 0;
      for (int j = 0; j < 5; j++) {
        z += Math.exp(ref[i * 5 + j] - max);
      }
      double sum = 0;
      for (int j = 0; j < 5; j++) {
        assertEquals(Math.exp(ref[i * 5 + j] - max) / z, p[i * 5 + j], 1e-4, "row " + i + " class " + j);
        sum += p[i * 5 + j];
      }
      assertEquals(1.0, sum, 1e-5);
      int best = 0;
      for (int j = 1; j < 5; j++) {
        if (logits[i * 5 + j] > logits[i * 5 + best]) {
          best = j;
        }
      }
      assertEquals(best, classes[i], "row " + i);
    }
  }

  @Test
  void classesWriteOnlyTheirRangeAndBreakTiesTowardTheFirstClass() {
    // All-zero weights and biases: every logit is 0, so every row is a tie.
    Network n = new Network(3, List.of(DenseLayer.zeros(3, 4, Activation.IDENTITY)),
        Task.classification(List.of("w", "x", "y", "z")), null, null);
    int[] out = {-1, -1, -1, -1, -1};
    n.predictClasses(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 3, out, 1);
    assertArrayEquals(new int[] {-1, 0, 0, 0, -1}, out);
  }

  @Test
  void regressionValuesAreMappedBackThroughTheOutputStandardisation() {
    Network n = oddRegressor();
    int rows = 270;
    float[] x = TestNetworks.inputs(n, rows, 4);
    float[] values = n.predict(x, rows);
    double[] bound = new double[rows * 3];
    double[] ref = TestNetworks.reference(n, x, 0, rows, bound);
    float[] mean = n.outputScaling().mean();
    float[] scale = n.outputScaling().scale();
    double factor = 4 * EPS * TestNetworks.sumLength(n);
    for (int i = 0; i < ref.length; i++) {
      int j = i % 3;
      double expected = ref[i] * scale[j] + mean[j];
      double tol = factor * bound[i] * Math.abs(scale[j]) + 2 * EPS * Math.abs(expected);
      assertEquals(expected, values[i], tol, "element " + i);
    }
    // Without an output standardisation the values are the raw network outputs.
    Network plain = n.withScaling(n.inputScaling(), null);
    float[] logits = new float[rows * 3];
    plain.predictLogits(x, 0, rows, logits, 0);
    assertArrayEquals(logits, plain.predict(x, rows));
  }

  @Test
  void aNetworkWithoutInputStandardisationReadsTheCallersArrayDirectly() {
    Random r = new Random(11);
    // A residual block first, so the block's input is the caller's array itself.
    Network n = new Network(6, List.of(
        new ResidualBlock(List.of(TestNetworks.dense(6, 4, Activation.RELU, r),
            TestNetworks.dense(4, 6, Activation.IDENTITY, r))),
        TestNetworks.dense(6, 2, Activation.IDENTITY, r)), Task.regression(2), null, null);
    float[] x = TestNetworks.inputs(n, 40, 12);
    float[] copy = x.clone();
    float[] out = new float[80];
    n.predictLogits(x, 0, 40, out, 0);
    assertArrayEquals(copy, x, "inference must not modify its input");
    assertLogitsMatchReference(n, x, 0, 40, out, 0);
  }

  @Test
  void concurrentInferenceOnOneModelEqualsSerialInference() throws Exception {
    Network n = oddClassifier();
    int threads = 4;
    int rows = 700;
    List<float[]> inputs = new ArrayList<>();
    List<float[]> serial = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      float[] x = TestNetworks.inputs(n, rows, 100 + t);
      inputs.add(x);
      serial.add(n.predict(x, rows));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<float[]>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        float[] x = inputs.get(t);
        Callable<List<float[]>> job = () -> {
          start.await();
          List<float[]> results = new ArrayList<>();
          for (int rep = 0; rep < 10; rep++) {
            results.add(n.predict(x, rows));
          }
          return results;
        };
        futures.add(pool.submit(job));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        for (float[] got : futures.get(t).get()) {
          assertArrayEquals(serial.get(t), got, "thread " + t);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Bytes allocated so far by the current thread, from com.sun.management.ThreadMXBean. Read
   * reflectively because the tests compile inside the core module, which does not read
   * jdk.management; the reflective call's own small allocation is measured and subtracted.
   */
  private static long allocatedBytes() {
    try {
      Object bean = Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
      Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
      return (Long) m.invoke(bean);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read the thread allocation counter", e);
    }
  }

  @Test
  void aWarmedUpCallAllocatesNothing() {
    Network c = oddClassifier();
    Network g = oddRegressor();
    int rows = 600; // three blocks
    float[] xc = TestNetworks.inputs(c, rows, 1);
    float[] xg = TestNetworks.inputs(g, rows, 2);
    float[] out = new float[rows * 5];
    int[] classes = new int[rows];
    Runnable calls = () -> {
      c.predictLogits(xc, 0, rows, out, 0);
      c.predictProbabilities(xc, 0, rows, out, 0);
      c.predictClasses(xc, 0, rows, classes, 0);
      g.predictValues(xg, 0, rows, out, 0);
    };
    calls.run();
    allocatedBytes();
    long a0 = allocatedBytes();
    long a1 = allocatedBytes();
    long overhead = a1 - a0;
    // "Warmed up" means compiled: until C2 has compiled the Vector API kernels, every vector operation
    // is a heap object. So measure rounds of 20 calls until one allocates nothing; code that allocates
    // per call never gets there.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 400 && allocated >= 4096; round++) {
      long before = allocatedBytes();
      for (int i = 0; i < 20; i++) {
        calls.run();
      }
      allocated = allocatedBytes() - before - overhead;
    }
    // One block of scratch for the widest layer is 256·37·4 = 37,888 bytes; 80 calls allocate far
    // less than a single such block in total.
    assertTrue(allocated < 4096, "80 warmed-up calls allocated " + allocated + " bytes");
  }

  @Test
  void argumentsAreCheckedAtTheBoundary() {
    Network c = oddClassifier();
    Network g = oddRegressor();
    float[] x = new float[13 * 4];
    assertThrows(IndexOutOfBoundsException.class, () -> c.predictLogits(x, 0, 5, new float[25], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> c.predictLogits(x, 1, 4, new float[20], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> c.predictLogits(x, 0, 4, new float[19], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> c.predictClasses(x, 0, 4, new int[4], 1));
    assertThrows(IllegalArgumentException.class, () -> c.predictLogits(x, 0, -1, new float[20], 0));
    assertThrows(IllegalArgumentException.class, () -> c.predictLogits(x, 0, 4, null, 0));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> c.predictValues(x, 0, 4, new float[20], 0));
    assertTrue(e.getMessage().contains("regression"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> g.predictProbabilities(new float[9], 0, 1, new float[3], 0));
    assertThrows(IllegalStateException.class, () -> g.predictClasses(new float[9], 1));
    // Zero rows is a no-op.
    float[] untouched = {5f};
    c.predictLogits(x, 0, 0, untouched, 1);
    assertEquals(5f, untouched[0]);
  }
}
