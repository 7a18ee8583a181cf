package dev.topiary.kernels;

import dev.topiary.kernels.impl.KernelProvider;
import dev.topiary.kernels.impl.ScalarKernels;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Both kernel implementations, for properties that must hold for each; shared test helpers. */
final class Providers {

  static final float EPS = Math.ulp(1f);

  static final KernelProvider SCALAR = new ScalarKernels();
  /** The Vector API kernels, loaded the way KernelSelection loads them; null when unusable. */
  static final KernelProvider VECTOR = loadVector();

  private Providers() {}

  private static KernelProvider loadVector() {
    try {
      return (KernelProvider) Class.forName("dev.topiary.kernels.impl.VectorKernels")
          .getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static final Parallelism[] THREADS = new Parallelism[9];

  /**
   * A {@link Parallelism} of exactly {@code t} threads (1 to 8), made once and kept for the whole run, so
   * that tests reach the multithreaded path whatever the processor count of the host.
   */
  static synchronized Parallelism threads(int t) {
    if (THREADS[t] == null) {
      THREADS[t] = Parallelism.ofThreads(t);
    }
    return THREADS[t];
  }

  static List<KernelProvider> all() {
    return VECTOR == null ? List.of(SCALAR) : List.of(SCALAR, VECTOR);
  }

  static Arbitrary<KernelProvider> providers() {
    return Arbitraries.of(all());
  }

  /**
   * Sizes that matter to the kernels: 1, primes, and values just around multiples of the vector
   * length (16 floats at most), of the register tile (8 rows, 32 columns), of the depth block (256)
   * and of the row/column blocks (128, 1024).
   */
  static Arbitrary<Integer> size(int max) {
    Integer[] edges = {1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128,
        129, 255, 256, 257, 263, 511, 512, 513, 1023, 1024, 1025, 1031};
    java.util.List<Integer> within = new java.util.ArrayList<>();
    for (Integer e : edges) {
      if (e <= max) {
        within.add(e);
      }
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.of(within)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, Math.min(max, 40))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, max)));
  }

  static float[] random(java.util.Random rnd, int n, float lo, float hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = lo + (hi - lo) * rnd.nextFloat();
    }
    return a;
  }

  /** Error of got against ref in units of the float ulp at ref (0 when both are the same float). */
  static double ulps(float got, double ref) {
    if (got == ref) {
      return 0;
    }
    return Math.abs(got - ref) / Math.ulp((float) ref);
  }
}
