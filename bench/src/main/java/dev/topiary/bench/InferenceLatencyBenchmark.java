package dev.topiary.bench;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;
import java.util.Arrays;
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
import org.openjdk.jmh.infra.Blackhole;
import smile.classification.MLP;

/**
 * Inference latency of the 784-512-512-512-10 ReLU classifier, in microseconds per call: class
 * probabilities for {@code batch} rows (1 or 256) from Topiary's {@link Network#predictProbabilities}
 * (one call for all rows), from Smile's {@link MLP#predict(double[], double[])} (one call per row in
 * a plain loop) and from Smile's batch API {@code MLP.predict(double[][], double[][])}, which spreads the
 * rows over the common fork-join pool (all cores, whatever {@code threads} says).
 *
 * <p>Both networks are freshly initialised, then given a few SGD steps so that the weights are trained
 * ones (not that either library's inference cost depends on the values). {@code threads} is given to
 * Topiary's kernels and to Smile's OpenBLAS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class InferenceLatencyBenchmark {

  /** Rows per call. */
  @Param({"1", "256"})
  public int batch;

  /** Threads for Topiary's kernels and for Smile's OpenBLAS. */
  @Param({"1"})
  public int threads;

  private Network network;
  private float[] x;
  private float[] probabilities;

  private MLP mlp;
  private double[][] rows;
  private double[] posterior;
  private double[][] posteriors;

  /** Builds and briefly trains both networks on the same rows; sets both libraries' threads. */
  @Setup(Level.Trial)
  public void setUp() {
    Peers.useThreads(threads);
    Dataset data = Peers.randomData(Peers.BATCH * 4, 17L);
    network = Peers.topiaryNetwork(Peers.HIDDEN, 19L);
    new Trainer(TrainingConfig.defaults(Peers.task(), data.rows())
        .withEpochs(1)
        .withBatchSize(Peers.BATCH)
        .withOptimizer(Optimizer.sgd(Peers.LEARNING_RATE, Peers.MOMENTUM, false, 0.0))
        .withSchedule(Schedule.constant())
        .withEarlyStopping(EarlyStopping.off())
        .withThreads(threads)).fit(network, data);
    double[][] all = Peers.toRows(data);
    mlp = Peers.smileNetwork(Peers.HIDDEN);
    for (int from = 0; from < data.rows(); from += Peers.BATCH) {
      double[][] bx = Arrays.copyOfRange(all, from, from + Peers.BATCH);
      int[] by = Arrays.copyOfRange(data.labels(), from, from + Peers.BATCH);
      mlp.update(bx, by);
    }
    x = Arrays.copyOf(data.x(), batch * Peers.INPUTS);
    probabilities = new float[batch * Peers.CLASSES];
    rows = Arrays.copyOf(all, batch);
    posterior = new double[Peers.CLASSES];
    posteriors = new double[batch][Peers.CLASSES];
  }

  /** Topiary: one batched call. */
  @Benchmark
  public float[] topiary() {
    network.predictProbabilities(x, 0, batch, probabilities, 0);
    return probabilities;
  }

  /** Smile: one call per row. */
  @Benchmark
  public void smile(Blackhole bh) {
    for (double[] row : rows) {
      bh.consume(mlp.predict(row, posterior));
    }
    bh.consume(posterior);
  }

  /** Smile's batch API: a parallel stream over the rows. */
  @Benchmark
  public int[] smileBatch() {
    return mlp.predict(rows, posteriors);
  }
}
