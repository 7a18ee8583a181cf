package dev.topiary.bench;

import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * The EJML peer: single-threaded float GEMM of {@code CommonOps_FDRM} on row-major {@link FMatrixRMaj}
 * views of the same arrays {@link GemmBenchmark} multiplies — {@code multTransB} for NT, {@code mult}
 * for NN, {@code multTransA} for TN.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class EjmlGemmBenchmark {

  @Param({"1x1024x1024", "32x256x256", "32x1024x1024", "128x512x512", "128x1024x1024", "256x64x64",
      "256x256x256", "256x512x512", "256x1024x1024", "256x64x1024", "256x1024x64", "127x257x509"})
  public String shape;

  @Param({"NT", "NN", "TN"})
  public String layout;

  private GemmProblem problem;
  private FMatrixRMaj a;
  private FMatrixRMaj b;
  private FMatrixRMaj c;

  @Setup(Level.Trial)
  public void setUp() {
    problem = new GemmProblem(shape, layout);
    GemmShape s = problem.shape;
    GemmLayout l = problem.layout;
    a = FMatrixRMaj.wrap(l.aRows(s), l.aCols(s), problem.a);
    b = FMatrixRMaj.wrap(l.bRows(s), l.bCols(s), problem.b);
    c = FMatrixRMaj.wrap(s.m(), s.n(), problem.c);
    ejml();
    problem.verify("EJML");
  }

  @Benchmark
  public FMatrixRMaj ejml() {
    switch (problem.layout) {
      case NT:
        return CommonOps_FDRM.multTransB(a, b, c);
      case NN:
        return CommonOps_FDRM.mult(a, b, c);
      case TN:
        return CommonOps_FDRM.multTransA(a, b, c);
      default:
        throw new AssertionError(problem.layout);
    }
  }
}
