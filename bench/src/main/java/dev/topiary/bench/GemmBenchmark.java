package dev.topiary.bench;

import dev.topiary.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topiary's GEMM, {@code Kernels.gemmNT/NN/TN}, in time per product; GFLOPS = 2·M·N·K / time is worked
 * out by {@code bench/jmh_summary.py}. The same code runs in two kinds of fork, as Lucene does it: one
 * with {@code --add-modules jdk.incubator.vector} (the Vector API kernels when they are usable; the fork
 * prints which implementation is active, so a silent fallback cannot pass for speed) and one forced to
 * the plain-Java kernels with {@code -Dtopiary.kernels=scalar}. The peers on the same shapes are
 * {@link EjmlGemmBenchmark} and {@link NetlibGemmBenchmark}; numpy (OpenBLAS) is
 * {@code bench/numpy_sgemm.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBenchmark {

  /** M×N×K; M is the batch, N×K a weight matrix [out, in]. The last one is deliberately odd-sized. */
  @Param({"1x1024x1024", "32x256x256", "32x1024x1024", "128x512x512", "128x1024x1024", "256x64x64",
      "256x256x256", "256x512x512", "256x1024x1024", "256x64x1024", "256x1024x64", "127x257x509"})
  public String shape;

  @Param({"NT", "NN", "TN"})
  public String layout;

  /** Threads a large GEMM may use ({@link Kernels#setThreads}); the scalar kernels ignore it. */
  @Param({"1"})
  public int threads;

  private GemmProblem problem;

  @Setup(Level.Trial)
  public void setUp() {
    Kernels.setThreads(threads);
    problem = new GemmProblem(shape, layout);
    problem.layout.topiary(problem.shape, problem.a, problem.b, problem.c);
    problem.verify("Topiary " + Kernels.implementation());
    System.out.println("# Topiary kernels: " + Kernels.implementation() + ", "
        + Kernels.vectorBitSize() + "-bit vectors, " + Kernels.threads() + " thread(s)");
  }

  @Benchmark
  @Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"},
      jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
  public float[] vector() {
    problem.layout.topiary(problem.shape, problem.a, problem.b, problem.c);
    return problem.c;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsPrepend = {"-Dtopiary.kernels=scalar"},
      jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
  public float[] scalar() {
    problem.layout.topiary(problem.shape, problem.a, problem.b, problem.c);
    return problem.c;
  }
}
