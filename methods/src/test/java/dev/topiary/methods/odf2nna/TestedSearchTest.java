package dev.topiary.methods.odf2nna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tested ε search: its guard, and the rule it applies along the ladder. */
class TestedSearchTest {

  @Test
  void anOriginalNoBetterThanTheMajorityClassIsNotPruned() {
    // Labels independent of the inputs, 60 % in class 0; a network that always predicts class 0.
    Random r = new Random(1);
    int rows = 400;
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(2);
    }
    Task task = Task.classification(List.of("a", "b", "c"));
    Dataset data = new Dataset("noise", rows, 5, Fixtures.gaussian(2, rows, 5), task, labels, null,
        Fixtures.names(5));
    Split split = Split.of(data, 4);
    Network net = Fixtures.mlp(3, 5, new int[] {16, 16}, Activation.RELU, task);
    List<Layer> layers = new ArrayList<>(net.layers());
    DenseLayer out = (DenseLayer) layers.get(2);
    float[] bias = new float[3];
    bias[0] = 5;
    layers.set(2, new DenseLayer(out.inputSize(), 3, new float[out.inputSize() * 3], bias, Activation.IDENTITY));
    Network constant = net.withLayers(layers);
    Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withEpsilon(EpsilonChoice.Tested.defaults().withFolds(0))
        .withTraining(TrainingConfig.defaults(task, split.train().rows()).withEpochs(5));
    Odf2nnaReport rep = new Odf2nna(cfg).prune(constant, 5, split);
    Selection s = rep.selection();
    assertNotNull(s.guard());
    assertTrue(s.guard().contains("no better than predicting the majority class"), s.guard());
    assertTrue(s.levels().isEmpty());
    assertEquals(-1, s.chosen());
    assertEquals(constant.parameterCount(), rep.finetuned().parameterCount(), "nothing pruned");
    assertFalse(s.trivial().significantlyBetter());
  }

  @Test
  void theSearchKeepsTheMostCompressedCandidateThatPassesAndStopsAfterConsecutiveFailures() throws Exception {
    Split iris = Split.of(DataSources.load("builtin:iris").train(), 3);
    TrainingConfig t = TrainingConfig.defaults(iris.train().task(), iris.train().rows()).withEpochs(40);
    for (boolean iterative : new boolean[] {false, true}) {
      EpsilonChoice.Tested rule = EpsilonChoice.Tested.defaults().withIterative(iterative);
      Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withArchitecture(Architecture.uniform(2, 24, Activation.TANH))
          .withTraining(t).withEpsilon(rule).withSeed(5);
      Network net = cfg.architecture().build(iris.train().features(), iris.train().task(), iris.train().rows(), 5);
      net = Scaling.fit(net, iris.train());
      new Trainer(new Odf2nna(cfg).trainingConfig(iris)).fit(net, iris.train());
      Odf2nnaReport rep = new Odf2nna(cfg).prune(net, 40, iris);
      Selection s = rep.selection();
      assertNull(s.guard());
      assertEquals(EpsilonChoice.Tested.TOLERANCE, s.tolerance(), "accuracy's default tolerance");
      assertEquals(iterative ? "iterative" : "one-shot", s.schedule());
      assertEquals(3, s.folds(), "a validation split of " + iris.validation().rows() + " rows is small");
      assertEquals(iris.train().rows() + iris.validation().rows(), s.heldOutRows(),
          "every training row is predicted once by a fold model, plus the validation rows");
      assertFalse(s.levels().isEmpty());
      int lastAccepted = -1;
      for (int i = 0; i < s.levels().size(); i++) {
        Selection.Level l = s.levels().get(i);
        assertEquals(l.accepted(), l.comparison().noLoss(s.tolerance()) && !l.constant()
            && l.own().noLoss(s.tolerance()), "level " + i);
        assertEquals(iris.validation().rows(), l.own().rows(), "the delivered network on its validation rows");
        assertEquals(s.heldOutRows(), l.comparison().rows());
        if (l.accepted()) {
          lastAccepted = i;
        }
        if (i > 0) {
          assertTrue(l.unitsRemoved() > s.levels().get(i - 1).unitsRemoved(), "the ladder climbs");
        }
      }
      assertEquals(lastAccepted, s.chosen());
      int n = s.levels().size();
      boolean failures = n >= TestedSearch.PATIENCE;
      for (int i = n - TestedSearch.PATIENCE; failures && i < n; i++) {
        failures = !s.levels().get(i).accepted();
      }
      boolean patienceSpent = failures;
      boolean ladderEnd = iterative ? s.levels().get(n - 1).unitsRemoved() >= TestedSearch.MOST_REMOVED - 1e-9
          || patienceSpent : n == TestedSearch.ONE_SHOT_SHARES.length;
      assertTrue(patienceSpent || ladderEnd || s.levels().get(n - 1).accepted(), "stopped for a reason");
      if (s.chosen() >= 0) {
        assertEquals(s.levels().get(s.chosen()).parametersKept(), rep.finetuned().parameterCount());
        assertTrue(rep.finetuned().parameterCount() < net.parameterCount());
      } else {
        assertEquals(net.parameterCount(), rep.finetuned().parameterCount());
      }
    }
  }

  @Test
  void foldsAreStratifiedDisjointAndCoverEveryRow() throws Exception {
    Dataset d = DataSources.load("builtin:wine").train();
    int[][] folds = TestedSearch.folds(d, 3, 7);
    int[] seen = new int[d.rows()];
    for (int[] f : folds) {
      for (int i : f) {
        seen[i]++;
      }
      int[] counts = new int[d.task().classes()];
      for (int i : f) {
        counts[d.labels()[i]]++;
      }
      int[] total = new int[d.task().classes()];
      for (int y : d.labels()) {
        total[y]++;
      }
      for (int c = 0; c < counts.length; c++) {
        assertTrue(Math.abs(counts[c] - total[c] / 3.0) <= 1, "class " + c + " spread evenly");
      }
    }
    assertTrue(Arrays.stream(seen).allMatch(v -> v == 1));
  }
}
