package dev.topiary.bench;

import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import java.util.SplittableRandom;
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
 * Each activation over n elements, forward ({@code Kernels.activate}, z → h) and backward
 * ({@code Kernels.activationBackward}, dh → dz), in time per call; elements per second is n / time. Inputs
 * are spread over [−4, 4] so that the saturating functions see both their linear and their flat parts.
 * The fork adds the Vector API module; pass {@code -jvmArgsPrepend -Dtopiary.kernels=scalar} for the
 * plain-Java kernels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"},
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ActivationBenchmark {

  @Param({"relu", "leaky_relu", "tanh", "sigmoid", "gelu", "silu"})
  public String activation;

  /** 4 Ki elements stay in L1, 64 Ki in L2, 1 Mi (4 MB per array) spill to L3 or memory. */
  @Param({"4096", "65536", "1048576"})
  public int n;

  private Activation act;
  private float[] z;
  private float[] h;
  private float[] dh;
  private float[] dz;

  @Setup(Level.Trial)
  public void setUp() {
    act = Activation.parse(activation);
    SplittableRandom rnd = new SplittableRandom(42);
    z = new float[n];
    dh = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = (float) (rnd.nextDouble() * 8.0 - 4.0);
      dh[i] = (float) (rnd.nextDouble() * 2.0 - 1.0);
    }
    h = new float[n];
    dz = new float[n];
    Kernels.activate(act, n, z, 0, h, 0);
    System.out.println("# Topiary kernels: " + Kernels.implementation());
  }

  @Benchmark
  public float[] forward() {
    Kernels.activate(act, n, z, 0, h, 0);
    return h;
  }

  @Benchmark
  public float[] backward() {
    Kernels.activationBackward(act, n, z, 0, h, 0, dh, 0, dz, 0);
    return dz;
  }
}
