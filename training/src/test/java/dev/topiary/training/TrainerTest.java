package dev.topiary.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.loss.Loss;
import dev.topiary.training.mask.ParameterMasks;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.regularize.Regularizer;
import dev.topiary.training.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The training loop: determinism, early stopping, divergence, masks, gates, listeners and learning. */
class TrainerTest {

  /** Two Gaussian blobs per class in 5 dimensions, 3 classes; labels flipped when {@code flip}. */
  static Dataset blobs(int rows, long seed, boolean flip) {
    Random r = new Random(seed);
    int f = 5;
    float[] x = new float[rows * f];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      int c = r.nextInt(3);
      y[i] = flip ? (c + 1) % 3 : c;
      for (int j = 0; j < f; j++) {
        x[i * f + j] = (float) (r.nextGaussian() * 0.8 + (j == c ? 2.0 : 0.0));
      }
    }
    return new Dataset("blobs", rows, f, x, Fixtures.classes(3), y, null,
        List.of("a", "b", "c", "d", "e"));
  }

  static Network mlp(int in, int[] hidden, Task task, long seed) {
    return Network.mlp(in, hidden, Activation.RELU, task, seed);
  }

  static TrainingConfig quick(int epochs) {
    return TrainingConfig.defaults(Fixtures.classes(3), 200).withEpochs(epochs)
        .withSchedule(Schedule.constant()).withEarlyStopping(EarlyStopping.off());
  }

  static float[][] weights(Network n) {
    List<DenseLayer> d = n.denseLayers();
    float[][] w = new float[2 * d.size()][];
    for (int l = 0; l < d.size(); l++) {
      w[2 * l] = d.get(l).weight().clone();
      w[2 * l + 1] = d.get(l).bias().clone();
    }
    return w;
  }

  @Test
  void sameSeedGivesBitIdenticalWeights() {
    Dataset train = blobs(300, 1, false);
    for (int threads : new int[] {1, 2}) {
      TrainingConfig config = quick(4).withThreads(threads).withValidation(blobs(60, 2, false))
          .withOptimizer(Optimizer.sgd(0.05, 0.9, true, 1e-4)).withBatchSize(17);
      Network a = mlp(5, new int[] {19, 7}, train.task(), 3);
      Network b = mlp(5, new int[] {19, 7}, train.task(), 3);
      TrainingResult ra = new Trainer(config).fit(a, train);
      TrainingResult rb = new Trainer(config).fit(b, train);
      float[][] wa = weights(a);
      float[][] wb = weights(b);
      for (int t = 0; t < wa.length; t++) {
        assertArrayEquals(wa[t], wb[t], "tensor " + t + " with " + threads + " threads");
      }
      for (int e = 0; e < ra.history().size(); e++) {
        assertEquals(ra.history().get(e).trainLoss(), rb.history().get(e).trainLoss());
      }
      Network c = mlp(5, new int[] {19, 7}, train.task(), 3);
      new Trainer(config.withSeed(config.seed() + 1)).fit(c, train);
      assertFalse(java.util.Arrays.equals(wa[0], weights(c)[0]), "another seed shuffles differently");
    }
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    // The validation labels are a permutation of the training classes: the better the network learns
    // the training set, the worse its validation loss gets, so the best epoch is an early one.
    Dataset train = blobs(300, 5, false);
    Dataset validation = blobs(90, 6, true);
    Network net = mlp(5, new int[] {16}, train.task(), 7);
    List<float[][]> snapshots = new ArrayList<>();
    TrainingConfig config = quick(60).withValidation(validation)
        .withEarlyStopping(EarlyStopping.onLoss(3));
    TrainingResult result = new Trainer(config)
        .addListener(new TrainingListener() {
          @Override
          public void onEpochEnd(EpochReport report) {
            snapshots.add(weights(net));
          }
        })
        .fit(net, train);
    assertTrue(result.stoppedEarly());
    assertEquals(result.bestEpoch() + 3, result.epochsRun());
    assertEquals(result.epochsRun(), snapshots.size());
    float[][] best = snapshots.get(result.bestEpoch() - 1);
    float[][] now = weights(net);
    for (int t = 0; t < now.length; t++) {
      assertArrayEquals(best[t], now[t], "tensor " + t);
    }
    float[][] last = snapshots.get(snapshots.size() - 1);
    assertFalse(java.util.Arrays.equals(last[0], now[0]), "the last epoch's weights were replaced");
    double bestLoss = result.history().get(result.bestEpoch() - 1).validationLoss();
    assertEquals(result.bestMetric(), bestLoss);
    for (EpochReport r : result.history()) {
      assertTrue(r.validationLoss() >= bestLoss);
    }
    Evaluation e = new Evaluator(net, 32).evaluate(net, validation, Loss.softmaxCrossEntropy(), null);
    assertEquals(bestLoss, e.loss(), 1e-9);
  }

  @Test
  void anyMetricCanDriveEarlyStopping() {
    // Flipped validation labels again: macro F1 on them peaks early, so training stops on it.
    Dataset train = blobs(300, 5, false);
    Dataset validation = blobs(90, 6, true);
    Network net = mlp(5, new int[] {16}, train.task(), 7);
    TrainingResult result = new Trainer(quick(60).withValidation(validation)
        .withEarlyStopping(EarlyStopping.on(Metric.MACRO_F1, 3))).fit(net, train);
    assertTrue(result.stoppedEarly());
    assertEquals(result.bestEpoch() + 3, result.epochsRun());
    for (EpochReport r : result.history()) {
      assertTrue(r.validationMetric() <= result.bestMetric(), "epoch " + r.epoch());
    }
    Evaluation e = new Evaluator(net, 32).evaluate(net, validation, Loss.softmaxCrossEntropy(), null);
    assertEquals(result.bestMetric(), e.metric(Metric.MACRO_F1), 1e-12);
  }

  @Test
  void evaluationMetricsAgreeWithTheNetworksOwnPredictions() {
    Dataset data = blobs(77, 8, false);
    Network net = mlp(5, new int[] {9}, data.task(), 3);
    Evaluation e = new Evaluator(net, 16).evaluate(net, data, Loss.softmaxCrossEntropy(), null);
    float[] probabilities = net.predict(data.x(), data.rows());
    // Log-loss needs probabilities: the evaluation must turn its logits into them as predict does.
    assertEquals(Metric.LOG_LOSS.compute(probabilities, data), e.metric(Metric.LOG_LOSS), 1e-5);
    assertEquals(Metric.ACCURACY.compute(probabilities, data), e.metric(Metric.ACCURACY), 1e-12);

    Random r = new Random(4);
    int n = 61;
    float[] x = Fixtures.gaussian(r, n * 2, 3);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = 200f + 30f * x[2 * i] + (float) r.nextGaussian();
    }
    Dataset reg = new Dataset("linear", n, 2, x, Task.regression(1), null, y, List.of("a", "b"));
    Network scaled = Scaling.fit(mlp(2, new int[] {7}, Task.regression(1), 5), reg);
    Evaluation er = new Evaluator(scaled, 16).evaluate(scaled, reg, Loss.meanSquaredError(), null);
    float[] predictions = scaled.predict(reg.x(), n);
    // Regression metrics are in raw target units: the output scaling must have been undone.
    double mae = Metric.MAE.compute(predictions, reg);
    assertEquals(mae, er.metric(Metric.MAE), 1e-5 * mae);
  }

  @Test
  void earlyStoppingCountsOnlyImprovementsBeyondTheMinimumChange() {
    EarlyStopping onF1 = new EarlyStopping(Metric.MACRO_F1, 5, 0.01, true);
    assertTrue(onF1.improves(0.52, 0.5));
    assertFalse(onF1.improves(0.505, 0.5));
    assertTrue(onF1.improves(0.1, Double.NaN));
    assertFalse(onF1.improves(Double.NaN, 0.5));
    EarlyStopping onLoss = new EarlyStopping(null, 5, 0.01, true);
    assertTrue(onLoss.improves(0.48, 0.5));
    assertFalse(onLoss.improves(0.495, 0.5));
    assertFalse(onLoss.improves(0.52, 0.5));
    assertFalse(onLoss.improves(Double.NaN, 0.5));
  }

  @Test
  void divergenceNamesTheEpochAndBatch() {
    Random r = new Random(3);
    int n = 64;
    float[] x = Fixtures.gaussian(r, n * 3, 1);
    float[] y = Fixtures.gaussian(r, n, 1000);
    Dataset data = new Dataset("huge", n, 3, x, Task.regression(1), null, y, List.of("a", "b", "c"));
    Network net = mlp(3, new int[] {8}, Task.regression(1), 1);
    TrainingConfig config = TrainingConfig.defaults(Task.regression(1), n).withEpochs(5).withBatchSize(16)
        .withOptimizer(Optimizer.sgd(1e6)).withSchedule(Schedule.constant());
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> new Trainer(config).fit(net, data));
    assertEquals(1, e.epoch());
    assertTrue(e.batch() >= 2 && e.batch() <= 4, "batch " + e.batch());
    assertTrue(e.getMessage().startsWith("training diverged at epoch 1, batch " + e.batch() + " of 4: loss "),
        e.getMessage());
    assertFalse(Double.isFinite(e.loss()) && Double.isFinite(e.gradientNorm()));
  }

  @Test
  void maskedWeightsStayExactlyZeroAndFrozenLayersUnchanged() {
    Dataset train = blobs(200, 11, false);
    List<Optimizer> optimizers = List.of(Optimizer.adamW(0.01, 0.1), Optimizer.adam(0.01).withLearningRate(0.02),
        new dev.topiary.training.optim.Adam(0.01, 0.9, 0.999, 1e-8, 0.1, false),
        Optimizer.sgd(0.05, 0.9, true, 0.1), Optimizer.sgd(0.05, 0.9, false, 0.1));
    for (Optimizer opt : optimizers) {
      Network net = mlp(5, new int[] {13, 9}, train.task(), 5);
      Random r = new Random(9);
      List<DenseLayer> dense = net.denseLayers();
      for (int l = 0; l < 2; l++) {
        float[] w = dense.get(l).weight();
        for (int i = 0; i < w.length; i++) {
          if (r.nextBoolean()) {
            w[i] = 0f;
          }
        }
      }
      float[][] before = weights(net);
      ParameterMasks zeros = ParameterMasks.zeroWeights(net);
      ParameterMasks masks = ParameterMasks.builder(net)
          .weights(0, zeros.weightMask(0)).weights(1, zeros.weightMask(1)).freezeLayer(2).build();
      new Trainer(quick(5).withOptimizer(opt).withRegularizers(List.of(Regularizer.l1(1e-3))))
          .masks(masks).fit(net, train);
      float[][] after = weights(net);
      int moved = 0;
      for (int l = 0; l < 2; l++) {
        for (int i = 0; i < before[2 * l].length; i++) {
          if (before[2 * l][i] == 0f) {
            assertEquals(0, Float.floatToRawIntBits(after[2 * l][i]), opt + ": weight " + l + "[" + i + "]");
          } else if (before[2 * l][i] != after[2 * l][i]) {
            moved++;
          }
        }
      }
      assertTrue(moved > 0, "the unmasked weights trained");
      assertArrayEquals(before[4], after[4], opt + ": frozen output weights");
      assertArrayEquals(before[5], after[5], opt + ": frozen output biases");
    }
  }

  @Test
  void fractionalMaskScalesTheGradient() {
    Dataset train = blobs(40, 12, false);
    Network a = mlp(5, new int[] {6}, train.task(), 5);
    Network b = a.copy();
    Network c = a.copy();
    float[] half = new float[30];
    java.util.Arrays.fill(half, 0.5f);
    TrainingConfig one = quick(1).withBatchSize(40).withOptimizer(Optimizer.sgd(0.1));
    new Trainer(one).masks(ParameterMasks.builder(b).weights(0, half).build()).fit(b, train);
    new Trainer(one).fit(c, train);
    float[] w0 = a.denseLayers().get(0).weight();
    float[] wb = b.denseLayers().get(0).weight();
    float[] wc = c.denseLayers().get(0).weight();
    for (int i = 0; i < w0.length; i++) {
      assertEquals(0.5 * (wc[i] - w0[i]), wb[i] - w0[i], 1e-6, "weight " + i);
    }
  }

  @Test
  void gatesAreSampledPerBatchAndReceiveGradients() {
    Dataset train = blobs(50, 13, false);
    Network net = mlp(5, new int[] {4}, train.task(), 5);
    float[][] units = {{1f, 0f, 1f, 1f}, null};
    Fixtures.FixedGates gates = new Fixtures.FixedGates(units, new float[2]);
    new Trainer(quick(3).withBatchSize(10)).gates(gates).fit(net, train);
    assertEquals(15, gates.samples);
    assertEquals(4, gates.unitGradients[0].length);
    assertTrue(gates.unitGradients[0][1] != 0f || gates.unitGradients[0][0] != 0f);
  }

  @Test
  void listenersSeeEveryBatchAndEpoch() {
    Dataset train = blobs(45, 14, false);
    Network net = mlp(5, new int[] {4}, train.task(), 5);
    List<String> events = new ArrayList<>();
    new Trainer(quick(2).withBatchSize(20).withValidation(blobs(10, 15, false)))
        .addListener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int batch, int batches, double loss) {
            events.add(epoch + "." + batch + "/" + batches);
          }

          @Override
          public void onEpochEnd(EpochReport report) {
            events.add("E" + report.epoch() + (Double.isFinite(report.validationMetric()) ? "v" : ""));
          }
        })
        .fit(net, train);
    assertEquals(List.of("1.1/3", "1.2/3", "1.3/3", "E1v", "2.1/3", "2.2/3", "2.3/3", "E2v"), events);
  }

  @Test
  void threadSettingIsRestored() {
    int before = Kernels.threads();
    Dataset train = blobs(20, 16, false);
    new Trainer(quick(1).withThreads(before + 1)).fit(mlp(5, new int[] {3}, train.task(), 1), train);
    assertEquals(before, Kernels.threads());
  }

  /**
   * Two trainers running at once, each on its own thread count, end with the same weights as a lone run
   * on one thread: the thread count is per run (no process-wide setting to race on) and GEMM results do
   * not depend on it. The 512-wide layers make the GEMMs large enough to be split.
   */
  @Test
  void concurrentTrainersWithTheirOwnThreadsMatchALoneRun() throws Exception {
    Dataset train = blobs(96, 17, false);
    TrainingConfig config = quick(1).withBatchSize(48);
    Network lone = mlp(5, new int[] {512, 512}, train.task(), 3);
    new Trainer(config.withThreads(1)).fit(lone, train);
    Network two = mlp(5, new int[] {512, 512}, train.task(), 3);
    Network three = mlp(5, new int[] {512, 512}, train.task(), 3);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> new Trainer(config.withThreads(2)).fit(two, train));
      var b = pool.submit(() -> new Trainer(config.withThreads(3)).fit(three, train));
      a.get();
      b.get();
    } finally {
      pool.shutdown();
    }
    float[][] expected = weights(lone);
    float[][] got2 = weights(two);
    float[][] got3 = weights(three);
    for (int t = 0; t < expected.length; t++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected[t], got2[t], "tensor " + t + ", 2 threads");
      org.junit.jupiter.api.Assertions.assertArrayEquals(expected[t], got3[t], "tensor " + t + ", 3 threads");
    }
  }

  @Test
  void regressionLearnsThroughTheOutputScaling() {
    Random r = new Random(21);
    int n = 400;
    float[] x = Fixtures.gaussian(r, n * 2, 3);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = 500f + 40f * x[2 * i] - 25f * x[2 * i + 1] + (float) r.nextGaussian();
    }
    Dataset data = new Dataset("linear", n, 2, x, Task.regression(1), null, y, List.of("a", "b"));
    Dataset[] parts = Fixtures.split(data, 1, 0.8, 0.2);
    Network net = Scaling.fit(mlp(2, new int[] {16}, Task.regression(1), 2), parts[0]);
    TrainingConfig config = TrainingConfig.defaults(Task.regression(1), parts[0].rows())
        .withValidation(parts[1]).withEarlyStopping(EarlyStopping.on(Metric.R2, 10));
    TrainingResult result = new Trainer(config).fit(net, parts[0]);
    Evaluation e = new Evaluator(net, 64).evaluate(net, parts[1], Loss.meanSquaredError(), null);
    assertTrue(e.metric(Metric.R2) > 0.98, "R² " + e.metric(Metric.R2));
    assertTrue(e.metric(Metric.MSE) < 0.04 * 125 * 125, "MSE in raw units " + e.metric(Metric.MSE));
    assertEquals(result.bestMetric(), e.metric(Metric.R2), 1e-9);
  }

  @Test
  void learnsIrisQuickly() {
    Dataset iris = Fixtures.builtin("iris", true);
    Dataset[] parts = Fixtures.split(iris, 7, 0.6, 0.2, 0.2);
    Network net = Scaling.fit(mlp(4, new int[] {32, 32}, iris.task(), 1), parts[0]);
    TrainingConfig config = TrainingConfig.defaults(iris.task(), parts[0].rows()).withValidation(parts[1]);
    TrainingResult result = new Trainer(config).fit(net, parts[0]);
    Evaluation test = new Evaluator(net, 64).evaluate(net, parts[2], config.loss(), null);
    assertTrue(test.metric(Metric.ACCURACY) >= 0.9, "iris test accuracy " + test.metric(Metric.ACCURACY) + " after " + result.epochsRun());
  }

  @Test
  void rejectsDataThatDoesNotFit() {
    Dataset train = blobs(20, 16, false);
    Network wide = mlp(6, new int[] {3}, train.task(), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(quick(1)).fit(wide, train));
    assertEquals("training set blobs has 5 features, the network reads 6", e.getMessage());
    Network net = mlp(5, new int[] {3}, train.task(), 1);
    e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(quick(1).withLoss(Loss.meanSquaredError())).fit(net, train));
    assertEquals("loss mse does not apply to training set blobs, a CLASSIFICATION task", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Trainer(quick(1).withValidation(train)
        .withEarlyStopping(EarlyStopping.on(Metric.R2, 2))).fit(net, train));
    assertEquals("validation metric R2 does not apply to CLASSIFICATION tasks", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> quick(1).withBatchSize(0));
    assertEquals("batch size must be >= 1, found 0", e.getMessage());
  }
}
