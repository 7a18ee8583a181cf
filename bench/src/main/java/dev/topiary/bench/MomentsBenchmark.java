package dev.topiary.bench;

import dev.topiary.kernels.ColumnMoments;
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
 * Per-column mean and variance of a [rows×cols] block ({@code ColumnMoments.accumulate}: shifted sums in
 * chunks, merged in double with Chan's formula) against the cheapest pass that reads the same block,
 * a plain column sum ({@code Kernels.sumColumns}). Both read 4·rows·cols bytes; GB/s = bytes / time is
 * worked out by {@code bench/jmh_summary.py}, and the ratio says what the numerical care costs. The data
 * has a large mean and a small spread, the case the shifted sums exist for.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"},
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class MomentsBenchmark {

  /** ROWSxCOLS: a batch of hidden activations; the last one is odd-sized. */
  @Param({"256x256", "1024x1024", "4096x512", "1000x127"})
  public String shape;

  private int rows;
  private int cols;
  private float[] data;
  private float[] sums;
  private ColumnMoments moments;

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("shape must be ROWSxCOLS, found '" + shape + "'");
    }
    rows = Integer.parseInt(parts[0]);
    cols = Integer.parseInt(parts[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (1000.0 + rnd.nextGaussian() * 0.01);
    }
    sums = new float[cols];
    moments = new ColumnMoments(cols);
    System.out.println("# Topiary kernels: " + Kernels.implementation());
  }

  @Benchmark
  public ColumnMoments columnMoments() {
    moments.reset();
    moments.accumulate(data, 0, rows, cols);
    return moments;
  }

  @Benchmark
  public float[] sumColumns() {
    Kernels.sumColumns(rows, cols, data, 0, cols, sums, 0, false);
    return sums;
  }
}
