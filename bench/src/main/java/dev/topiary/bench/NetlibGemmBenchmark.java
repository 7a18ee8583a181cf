package dev.topiary.bench;

import dev.ludovic.netlib.blas.JavaBLAS;
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
 * The netlib-java peer: {@code JavaBLAS.getInstance().sgemm} (dev.ludovic.netlib 3), single-threaded, on
 * the same arrays {@link GemmBenchmark} multiplies. The fork has {@code --add-modules
 * jdk.incubator.vector}, so on JDK 16+ the instance is netlib's own Vector API BLAS ({@code VectorBLAS});
 * the fork prints which class it got.
 *
 * <p>BLAS is column-major. A row-major [r×c] array is the column-major [c×r] matrix, its transpose, so the
 * row-major C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: B goes first, A second,
 * m and n swap, and each operand is transposed exactly when its row-major view is not already the factor
 * needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"},
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class NetlibGemmBenchmark {

  @Param({"1x1024x1024", "32x256x256", "32x1024x1024", "128x512x512", "128x1024x1024", "256x64x64",
      "256x256x256", "256x512x512", "256x1024x1024", "256x64x1024", "256x1024x64", "127x257x509"})
  public String shape;

  @Param({"NT", "NN", "TN"})
  public String layout;

  private GemmProblem problem;
  private JavaBLAS blas;

  @Setup(Level.Trial)
  public void setUp() {
    problem = new GemmProblem(shape, layout);
    blas = JavaBLAS.getInstance();
    netlib();
    problem.verify("netlib " + blas.getClass().getSimpleName());
    System.out.println("# netlib JavaBLAS instance: " + blas.getClass().getName());
  }

  @Benchmark
  public float[] netlib() {
    int m = problem.shape.m();
    int n = problem.shape.n();
    int k = problem.shape.k();
    float[] a = problem.a;
    float[] b = problem.b;
    float[] c = problem.c;
    switch (problem.layout) {
      case NT:
        // Cᵀ[n×m] = B[n×k]·Aᵀ[k×m]: row-major B[n×k] reads as Bᵀ[k×n], so transpose it; A reads as Aᵀ.
        blas.sgemm("T", "N", n, m, k, 1f, b, k, a, k, 0f, c, n);
        break;
      case NN:
        // Cᵀ = Bᵀ[n×k]·Aᵀ[k×m]: row-major B[k×n] reads as Bᵀ, row-major A[m×k] reads as Aᵀ.
        blas.sgemm("N", "N", n, m, k, 1f, b, n, a, k, 0f, c, n);
        break;
      case TN:
        // Cᵀ = Bᵀ[n×k]·A[k×m]: B[k×n] reads as Bᵀ; row-major A[k×m] reads as Aᵀ[m×k], so transpose it.
        blas.sgemm("N", "T", n, m, k, 1f, b, n, a, m, 0f, c, n);
        break;
      default:
        throw new AssertionError(problem.layout);
    }
    return c;
  }
}
