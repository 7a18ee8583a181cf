package dev.topiary.training;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The default recipe on Fashion-MNIST with a 784-256-256-256-10 ReLU MLP: the last 6,000 training images
 * for validation, the 10,000 test images for the figure. Run by hand (class path as in
 * {@link QualityReport}); arguments: the IDX directory (default /usr/share/datasets/fashion-mnist),
 * seed (1), and optionally an epoch count overriding the recipe's.
 */
public final class FashionReport {

  private FashionReport() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    Dataset all = read(dir, "train");
    Dataset test = read(dir, "t10k");
    int[] trainIdx = new int[all.rows() - 6000];
    int[] valIdx = new int[6000];
    for (int i = 0; i < all.rows(); i++) {
      if (i < trainIdx.length) {
        trainIdx[i] = i;
      } else {
        valIdx[i - trainIdx.length] = i;
      }
    }
    Dataset train = all.subset(trainIdx, "fashion-train");
    Dataset validation = all.subset(valIdx, "fashion-validation");
    Network net = Scaling.fit(Network.mlp(784, new int[] {256, 256, 256}, Activation.RELU, all.task(), seed),
        train);
    TrainingConfig config = TrainingConfig.defaults(all.task(), train.rows()).withSeed(seed)
        .withValidation(validation);
    if (args.length > 2) {
      config = config.withEpochs(Integer.parseInt(args[2]));
    }
    TrainingResult result = new Trainer(config).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochReport r) {
        System.out.printf(Locale.ROOT, "epoch %d: train loss %.4f, validation loss %.4f, %.0f s%n", r.epoch(),
            r.trainLoss(), r.validationLoss(), r.elapsed().toMillis() / 1000.0);
      }
    }).fit(net, train);
    Evaluation e = new Evaluator(net, 512).evaluate(net, test, config.loss(), null);
    System.out.printf(Locale.ROOT, "fashion-mnist seed %d: test accuracy %.4f (best epoch %d of %d, %.0f s)%n",
        seed, e.metric(Metric.ACCURACY), result.bestEpoch(), result.epochsRun(), result.wallTime().toMillis() / 1000.0);
  }

  /** Reads an IDX image/label pair (gzip, big-endian header, unsigned bytes) as a 10-class data set. */
  static Dataset read(Path dir, String prefix) throws IOException {
    float[] x;
    int rows;
    try (DataInputStream in = open(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
      int magic = in.readInt();
      if (magic != 0x803) {
        throw new IOException(prefix + " images: magic " + Integer.toHexString(magic) + ", expected 803");
      }
      rows = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      byte[] raw = in.readNBytes(rows * h * w);
      x = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        x[i] = (raw[i] & 0xff) / 255f;
      }
    }
    int[] y = new int[rows];
    try (DataInputStream in = open(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
      if (in.readInt() != 0x801 || in.readInt() != rows) {
        throw new IOException(prefix + " labels: bad header");
      }
      byte[] raw = in.readNBytes(rows);
      for (int i = 0; i < rows; i++) {
        y[i] = raw[i];
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < 784; j++) {
      names.add("p" + j);
    }
    return new Dataset("fashion-" + prefix, rows, 784, x, Fixtures.classes(10), y, null, names);
  }

  private static DataInputStream open(Path p) throws IOException {
    InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16);
    return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
  }
}
