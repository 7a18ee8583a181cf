package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topiary.kernels.impl.KernelProvider;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Once compiled, no kernel allocates. The Vector API only keeps a vector in registers when C2 sees
 * every operation on it in one compilation unit; a vector handed to a method that is not inlined, or a
 * lane array built per call, becomes a heap object on every call, which shows up here as bytes
 * allocated per round long after warm-up.
 *
 * <p>Each kernel of each implementation runs in rounds of {@value #CALLS} calls, on shapes with tails
 * (lengths that are not multiples of the vector length, a GEMM below and one above the packing
 * threshold), until one round allocates less than {@value #QUIET_BYTES} bytes; C2 needs a few rounds to
 * compile. A kernel that allocates on every call never gets there.
 */
class SteadyStateAllocationTest {

  private static final int CALLS = 50;
  private static final int MAX_ROUNDS = 300;
  /**
   * C2 compiles in the background, behind whatever else is queued on a busy machine: a fast kernel gets
   * at least this long before it fails. Kernels that do not allocate stop at the first quiet round.
   */
  private static final long MIN_NANOS = 10_000_000_000L;
  /** Bytes a round may allocate and still count as allocation-free (the measurement itself, say). */
  private static final long QUIET_BYTES = 1024;

  /**
   * com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes of the platform bean, bound into a
   * method handle: the kernels module does not read java.management at compile time, and invokeExact on
   * a constant handle allocates nothing itself.
   */
  private static final MethodHandle ALLOCATED = allocatedBytesHandle();

  private static MethodHandle allocatedBytesHandle() {
    try {
      Object bean = Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
      Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      if (!(boolean) lookup.findVirtual(type, "isThreadAllocatedMemoryEnabled",
          MethodType.methodType(boolean.class)).invoke(bean)) {
        lookup.findVirtual(type, "setThreadAllocatedMemoryEnabled",
            MethodType.methodType(void.class, boolean.class)).invoke(bean, true);
      }
      return lookup.findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
          .bindTo(bean);
    } catch (Throwable e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static long allocatedBytes() {
    try {
      return (long) ALLOCATED.invokeExact();
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private record Kernel(String name, Runnable call) {}

  @TestFactory
  Stream<DynamicTest> noKernelAllocatesOnceCompiled() {
    assertNotNull(ALLOCATED);
    List<DynamicTest> tests = new ArrayList<>();
    for (KernelProvider impl : Providers.all()) {
      for (Kernel k : kernels(impl)) {
        tests.add(DynamicTest.dynamicTest(impl.name() + " " + k.name(), () -> settle(impl, k)));
      }
    }
    return tests.stream();
  }

  private static void settle(KernelProvider impl, Kernel k) {
    Runnable call = k.call();
    long first = -1;
    long last = -1;
    long start = System.nanoTime();
    int round = 0;
    for (; round < MAX_ROUNDS || System.nanoTime() - start < MIN_NANOS; round++) {
      long before = allocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        call.run();
      }
      long bytes = allocatedBytes() - before;
      if (first < 0) {
        first = bytes;
      }
      last = bytes;
      if (bytes < QUIET_BYTES) {
        System.out.println(impl.name() + " " + k.name() + ": " + bytes + " bytes in round " + round
            + " (" + first + " in the first)");
        return;
      }
    }
    fail(impl.name() + " " + k.name() + " still allocates after " + round + " rounds of " + CALLS
        + " calls: " + last + " bytes in the last round (" + first + " in the first)");
  }

  /** One call of every kernel of the provider, on its own operands. */
  private static List<Kernel> kernels(KernelProvider impl) {
    Random rnd = new Random(20240612);
    List<Kernel> out = new ArrayList<>();
    // The last two shapes are large enough to be split over two threads: handing the tasks to the
    // workers must not allocate either.
    int[][] gemmShapes = {{13, 37, 29, 1}, {70, 130, 90, 1}, {1, 37, 300, 1}, {3, 70, 300, 1},
        {64, 130, 300, 2}, {3, 700, 900, 2}};
    for (int[] s : gemmShapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      Parallelism par = Providers.threads(s[3]);
      float[] a = Providers.random(rnd, m * k, -1f, 1f);
      float[] bt = Providers.random(rnd, n * k, -1f, 1f);
      float[] c = new float[m * n];
      String shape = m + "x" + n + "x" + k + (s[3] > 1 ? " on " + s[3] + " threads" : "");
      // NT: A[m×k]·B[n×k]ᵀ; NN: A[m×k]·B[k×n]; TN: A[k×m]ᵀ·B[k×n].
      out.add(new Kernel("gemmNT " + shape, () -> impl.gemmNT(m, n, k, a, 0, k, bt, 0, k, c, 0, n, false, par)));
      out.add(new Kernel("gemmNN " + shape, () -> impl.gemmNN(m, n, k, a, 0, k, bt, 0, n, c, 0, n, true, par)));
      out.add(new Kernel("gemmTN " + shape, () -> impl.gemmTN(m, n, k, a, 0, m, bt, 0, n, c, 0, n, false, par)));
    }
    int n = 37;
    int rows = 5;
    float[] x = Providers.random(rnd, rows * n, -4f, 4f);
    float[] bias = Providers.random(rnd, n, -1f, 1f);
    float[] h = new float[rows * n];
    float[] dh = Providers.random(rnd, rows * n, -1f, 1f);
    float[] dz = new float[rows * n];
    for (Activation act : Activation.values()) {
      out.add(new Kernel("activate " + act, () -> impl.activate(act, rows * n, x, 0, h, 0)));
      out.add(new Kernel("biasActivate " + act, () -> {
        System.arraycopy(x, 0, h, 0, rows * n);
        impl.biasActivate(act, rows, n, bias, 0, h, 0, n);
      }));
      out.add(new Kernel("activationBackward " + act, () -> {
        impl.activate(act, rows * n, x, 0, h, 0);
        impl.activationBackward(act, rows * n, x, 0, h, 0, dh, 0, dz, 0);
      }));
    }
    float[] y = new float[rows * n];
    out.add(new Kernel("softmaxRows", () -> impl.softmaxRows(rows, n, x, 0, y, 0)));
    out.add(new Kernel("logSoftmaxRows", () -> impl.logSoftmaxRows(rows, n, x, 0, y, 0)));
    float[] sink = new float[4];
    int len = 1031;
    float[] u = Providers.random(rnd, len, -1f, 1f);
    float[] w = Providers.random(rnd, len, -1f, 1f);
    out.add(new Kernel("dot", () -> sink[0] += impl.dot(len, u, 0, w, 0)));
    out.add(new Kernel("sum", () -> sink[1] += impl.sum(len, u, 0)));
    out.add(new Kernel("sumOfSquares", () -> sink[2] += (float) impl.sumOfSquares(len, u, 0)));
    out.add(new Kernel("dot n=37", () -> sink[3] += impl.dot(n, u, 1, w, 2)));
    int r = 23;
    int cols = 101;
    int ld = cols + 3;
    float[] m = Providers.random(rnd, r * ld, -1f, 1f);
    float[] colOut = new float[cols];
    float[] rowOut = new float[r];
    out.add(new Kernel("sumColumns", () -> impl.sumColumns(r, cols, m, 0, ld, colOut, 0, false)));
    out.add(new Kernel("sumRows", () -> impl.sumRows(r, cols, m, 0, ld, rowOut, 0)));
    for (int p = 1; p <= 2; p++) {
      int norm = p;
      out.add(new Kernel("rowNorms p=" + p, () -> impl.rowNorms(norm, r, cols, m, 0, ld, rowOut, 0)));
      out.add(new Kernel("columnNorms p=" + p, () -> impl.columnNorms(norm, r, cols, m, 0, ld, colOut, 0)));
    }
    float[] yy = new float[len];
    out.add(new Kernel("axpy", () -> impl.axpy(len, 1e-3f, u, 0, yy, 0)));
    out.add(new Kernel("scale", () -> impl.scale(len, 0.9999f, yy, 0)));
    float[] param = Providers.random(rnd, len, -1f, 1f);
    float[] mom = new float[len];
    float[] vel = new float[len];
    for (boolean decoupled : new boolean[] {false, true}) {
      out.add(new Kernel("adam decoupled=" + decoupled, () -> impl.adam(len, param, 0, w, 0, mom, 0, vel, 0,
          1e-4f, 0.9f, 0.999f, 1e-8f, 1e-2f, decoupled, 1.1f, 1.01f)));
    }
    float[] shift = Providers.random(rnd, cols, -1f, 1f);
    float[] s1 = new float[cols];
    float[] s2 = new float[cols];
    out.add(new Kernel("shiftedColumnSums", () -> impl.shiftedColumnSums(r, cols, m, 0, ld, shift, s1, s2)));
    return out;
  }
}
