package dev.topiary.bench;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.TrainingResult;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import smile.classification.MLP;

/**
 * Training throughput in samples per second: one epoch of mini-batch SGD (batch 128, learning rate 0.01,
 * heavy-ball momentum 0.9, no weight decay, constant rate) of a 784-512-512-512-10 ReLU network over
 * 8,192 seeded random rows with 10 classes, by Topiary's {@link Trainer} and by Smile's {@link MLP}.
 *
 * <p>Both do, for every sample, a forward pass, softmax cross-entropy, a backward pass to every weight
 * and bias, and once per batch one momentum update of every parameter; both visit the rows in a fresh
 * shuffled order each epoch. Topiary runs in float through its kernels, a batch at a time; Smile runs in
 * double, a sample at a time (matrix-vector products in native OpenBLAS). {@code threads} is given to
 * both: Topiary's kernel threads and OpenBLAS's threads; Smile's own loop is single-threaded.
 * {@link #topiaryScalar} is Topiary on its plain-Java kernels, for context.
 *
 * <p>One operation is one training sample, so the score is samples per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class TrainingThroughputBenchmark {

  /** Threads for Topiary's kernels and for Smile's OpenBLAS. */
  @Param({"1", "2"})
  public int threads;

  private Dataset data;
  private Network network;
  private Trainer trainer;

  private double[][] rows;
  private int[] labels;
  private MLP mlp;
  private int[] order;
  private Random shuffle;
  private double[][] batchX;
  private int[] batchY;

  /** Builds the data and both networks; sets both libraries' threads. */
  @Setup(Level.Trial)
  public void setUp() {
    Peers.useThreads(threads);
    data = Peers.randomData(Peers.ROWS, 7L);
    network = Peers.topiaryNetwork(Peers.HIDDEN, 11L);
    TrainingConfig config = TrainingConfig.defaults(Peers.task(), Peers.ROWS)
        .withEpochs(1)
        .withBatchSize(Peers.BATCH)
        .withOptimizer(Optimizer.sgd(Peers.LEARNING_RATE, Peers.MOMENTUM, false, 0.0))
        .withSchedule(Schedule.constant())
        .withEarlyStopping(EarlyStopping.off())
        .withValidation(null)
        .withThreads(threads);
    trainer = new Trainer(config);

    rows = Peers.toRows(data);
    labels = data.labels().clone();
    mlp = Peers.smileNetwork(Peers.HIDDEN);
    order = new int[Peers.ROWS];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    shuffle = new Random(13L);
    batchX = new double[Peers.BATCH][];
    batchY = new int[Peers.BATCH];
  }

  /** One Topiary epoch on the Vector API kernels. */
  @Benchmark
  @OperationsPerInvocation(Peers.ROWS)
  public TrainingResult topiary() {
    return trainer.fit(network, data);
  }

  /** One Topiary epoch on the plain-Java kernels. */
  @Benchmark
  @OperationsPerInvocation(Peers.ROWS)
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g",
      "-Dtopiary.kernels=scalar"})
  public TrainingResult topiaryScalar() {
    return trainer.fit(network, data);
  }

  /** One Smile epoch: a shuffled order, then {@link MLP#update(double[][], int[])} per batch. */
  @Benchmark
  @OperationsPerInvocation(Peers.ROWS)
  public MLP smile() {
    for (int i = order.length - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int from = 0; from < Peers.ROWS; from += Peers.BATCH) {
      for (int k = 0; k < Peers.BATCH; k++) {
        batchX[k] = rows[order[from + k]];
        batchY[k] = labels[order[from + k]];
      }
      mlp.update(batchX, batchY);
    }
    return mlp;
  }
}
