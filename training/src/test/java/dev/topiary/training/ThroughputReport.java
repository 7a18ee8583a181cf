package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput of a 784-512-512-512-10 ReLU MLP, batch 128, SGD with momentum 0.9, on random
 * data: seconds per epoch and samples per second, after warm-up epochs. Run by hand (see
 * {@link QualityReport} for the class path); arguments: rows (default 8192), warm-up epochs (2),
 * measured epochs (3).
 */
public final class ThroughputReport {

  private ThroughputReport() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Random r = new Random(1);
    int features = 784;
    float[] x = new float[rows * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = r.nextInt(10);
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("f" + j);
    }
    Dataset data = new Dataset("random", rows, features, x, Fixtures.classes(10), y, null, names);
    Network net = Network.mlp(features, new int[] {512, 512, 512}, Activation.RELU, data.task(), 1);
    TrainingConfig config = TrainingConfig.defaults(data.task(), rows).withBatchSize(128)
        .withEpochs(warmup + measured).withOptimizer(Optimizer.sgd(0.01, 0.9, false, 0))
        .withSchedule(Schedule.constant()).withEarlyStopping(EarlyStopping.off());
    TrainingResult result = new Trainer(config).fit(net, data);
    List<EpochReport> h = result.history();
    double before = warmup == 0 ? 0 : h.get(warmup - 1).elapsed().toNanos() / 1e9;
    double after = h.get(h.size() - 1).elapsed().toNanos() / 1e9;
    double perEpoch = (after - before) / measured;
    System.out.printf(Locale.ROOT,
        "java %s, kernels %s, threads %d: %d rows, %.3f s/epoch, %.0f samples/s (params %d)%n",
        System.getProperty("java.version"), Kernels.implementation(), Kernels.threads(), rows, perEpoch,
        rows / perEpoch, net.parameterCount());
  }
}
