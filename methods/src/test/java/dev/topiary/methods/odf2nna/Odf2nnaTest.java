package dev.topiary.methods.odf2nna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Evaluate;
import dev.topiary.methods.criteria.GradientStatisticsCollector;
import dev.topiary.pruning.criteria.Criteria;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Odf2nnaTest {

  private static Split iris;
  private static Split concrete;

  @BeforeAll
  static void load() throws Exception {
    iris = Split.of(DataSources.load("builtin:iris").train(), 3);
    concrete = Split.of(DataSources.load("builtin:concrete").train(), 3);
  }

  private static Odf2nnaConfig small() {
    TrainingConfig t = TrainingConfig.defaults(iris.train().task(), iris.train().rows()).withEpochs(40);
    return Odf2nnaConfig.defaults().withArchitecture(Architecture.uniform(2, 24, Activation.RELU))
        .withTraining(t).withSeed(5);
  }

  private static Network trained(Split split, Odf2nnaConfig cfg) {
    Network net = cfg.architecture().build(split.train().features(), split.train().task(),
        split.train().rows(), cfg.seed());
    net = Scaling.fit(net, split.train());
    new Trainer(new Odf2nna(cfg).trainingConfig(split)).fit(net, split.train());
    return net;
  }

  private static List<float[]> parameters(Network n) {
    List<float[]> out = new ArrayList<>();
    for (DenseLayer d : n.denseLayers()) {
      out.add(d.weight().clone());
      out.add(d.bias().clone());
    }
    return out;
  }

  @Test
  void aFixedEpsilonRemovesExactlyTheUnitsAtOrBelowIt() {
    Odf2nnaConfig base = small();
    Network net = trained(iris, base);
    UnitStatistics stats = UnitStatistics.gather(net, iris.train());
    // An ε between the smallest and largest σ, so that something goes and something stays.
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (LayerStatistics l : stats.prunableLayers()) {
      for (double s : l.std()) {
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      }
    }
    double eps = lo + 0.3 * (hi - lo);
    Odf2nnaConfig cfg = base.withEpsilon(new EpsilonChoice.Fixed(ThresholdRule.absolute(eps)));
    Odf2nnaReport r = new Odf2nna(cfg).prune(net, 40, iris);

    int removed = 0;
    for (LayerStatistics l : stats.prunableLayers()) {
      LayerRemoval rem = r.plan().layers().stream()
          .filter(x -> x.layer().equals(l.layer().address())).findFirst().orElse(null);
      java.util.Set<Integer> gone = new java.util.HashSet<>();
      if (rem != null) {
        for (int u : rem.units()) {
          gone.add(u);
        }
      }
      int below = 0;
      for (int j = 0; j < l.std().length; j++) {
        if (l.std()[j] <= eps) {
          below++;
        }
      }
      for (int j = 0; j < l.std().length; j++) {
        if (gone.contains(j)) {
          assertTrue(l.std()[j] <= eps, "removed a unit with σ " + l.std()[j] + " > ε " + eps);
        } else if (below < l.std().length) {
          assertTrue(l.std()[j] > eps, "kept a unit with σ " + l.std()[j] + " <= ε " + eps);
        }
      }
      removed += gone.size();
    }
    assertTrue(removed > 0, "ε between the smallest and largest σ must remove something");
    assertEquals(r.finetuned().parameterCount(), r.sizes().parametersAfter());
    assertEquals(net.parameterCount(), r.sizes().parametersBefore());
    assertTrue(r.sizes().parametersAfter() < r.sizes().parametersBefore());
    assertEquals(eps, r.epsilonValue());
    assertTrue(r.probes().isEmpty());
  }

  @Test
  void theInputNetworkIsNeverModified() {
    Odf2nnaConfig cfg = small().withEpsilon(new EpsilonChoice.Fixed(ThresholdRule.fractionPerLayer(0.5)));
    Network net = trained(iris, cfg);
    List<float[]> before = parameters(net);
    Odf2nnaReport r = new Odf2nna(cfg.withCompareScratch(true)).prune(net, 40, iris);
    List<float[]> after = parameters(net);
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i));
    }
    assertTrue(r.original() == net);
  }

  @Test
  void scoresInTheReportAreTheNetworksOwnScores() {
    Odf2nnaConfig cfg = small().withEpsilon(new EpsilonChoice.Fixed(ThresholdRule.fractionPerLayer(0.5)))
        .withCompareScratch(true);
    Network net = trained(iris, cfg);
    Odf2nnaReport r = new Odf2nna(cfg).prune(net, 40, iris);
    Metric m = Metric.ACCURACY;
    assertEquals(Evaluate.metric(r.original(), iris.test(), m), r.test().original());
    assertEquals(Evaluate.metric(r.pruned(), iris.test(), m), r.test().pruned());
    assertEquals(Evaluate.metric(r.finetuned(), iris.test(), m), r.test().finetuned());
    assertEquals(Evaluate.metric(r.scratch(), iris.test(), m), r.test().scratch());
    assertEquals(r.pruned().describe(), r.scratch().describe(), "the control has the pruned architecture");
    // Fine-tuning is kept only when it does not make validation worse.
    assertTrue(r.validation().finetuned() >= r.validation().pruned());
    assertEquals(Evaluate.metric(r.finetuned(), iris.validation(), m), r.validation().finetuned());
  }

  @Test
  void theAutomaticSearchKeepsTheValidationMetricWithinTheTolerance() {
    for (boolean after : new boolean[] {false, true}) {
      double tol = 0.02;
      Odf2nnaConfig cfg = small().withEpsilon(new EpsilonChoice.Auto(tol, false, after));
      Network net = trained(iris, cfg);
      Odf2nnaReport r = new Odf2nna(cfg).prune(net, 40, iris);
      double ref = r.validation().original();
      double judged = after ? r.validation().finetuned() : r.validation().pruned();
      assertTrue(ref - judged <= tol + 1e-12, "validation fell from " + ref + " to " + judged);
      // Bisection: every accepted trial has a smaller ε than every rejected one, and the chosen ε is
      // the largest accepted.
      double maxAccepted = Double.NEGATIVE_INFINITY;
      double minRejected = Double.POSITIVE_INFINITY;
      for (Odf2nnaReport.Probe p : r.probes()) {
        if (p.accepted()) {
          maxAccepted = Math.max(maxAccepted, p.epsilon());
          assertTrue(ref - p.validationMetric() <= tol + 1e-12);
        } else {
          minRejected = Math.min(minRejected, p.epsilon());
          assertTrue(ref - p.validationMetric() > tol);
        }
      }
      assertTrue(maxAccepted < minRejected);
      if (maxAccepted > Double.NEGATIVE_INFINITY) {
        assertEquals(maxAccepted, r.epsilonValue());
      }
      assertFalse(r.probes().isEmpty());
    }
  }

  @Test
  void layerByLayerAndRegressionWork() {
    TrainingConfig t = TrainingConfig.defaults(concrete.train().task(), concrete.train().rows()).withEpochs(30);
    Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withArchitecture(Architecture.uniform(2, 32, Activation.TANH))
        .withTraining(t).withSchedule(Schedule.LAYER_BY_LAYER)
        .withEpsilon(new EpsilonChoice.Fixed(ThresholdRule.relativeToMax(0.2)));
    Odf2nnaReport r = new Odf2nna(cfg).run(concrete);
    assertEquals(Metric.R2, r.metric());
    assertTrue(r.test().original() > 0.5, "a trained concrete model explains most of the variance");
    assertTrue(r.sizes().parametersAfter() <= r.sizes().parametersBefore());
    assertTrue(Double.isNaN(r.test().scratch()));
    assertNull(r.scratch());
    assertTrue(r.stageTimes().containsKey("train") && r.stageTimes().containsKey("prune"));
    assertEquals(r.finetuned().outputScaling(), r.original().outputScaling(),
        "the pruned regressor reports in raw target units like the original");
  }

  @Test
  void dataThatDoesNotFitTheNetworkIsRefused() throws Exception {
    Odf2nnaConfig cfg = small();
    Network net = trained(iris, cfg);
    Split wine = Split.of(DataSources.load("builtin:wine").train(), 1);
    assertThrows(IllegalArgumentException.class, () -> new Odf2nna(cfg).prune(net, 40, wine));
  }

  @Test
  void sizingToDataPutsParametersJustBelowTheRowCount() {
    Architecture a = Architecture.sizedToData(3, Activation.RELU, 4, 4096);
    for (int rows : new int[] {500, 1257, 42_000}) {
      int w = a.widthFor(64, 10, rows);
      assertTrue(a.parameters(64, 10, w) <= rows);
      assertTrue(a.parameters(64, 10, w + 1) > rows);
    }
    assertEquals(4, a.widthFor(64, 10, 10), "never below the minimum width");
    Dataset d = iris.train();
    Network n = a.build(d.features(), d.task(), d.rows(), 1);
    assertEquals(a.widthFor(d.features(), d.task().outputs(), d.rows()), n.layers().get(0).outputSize());
  }

  @Test
  void anotherCriterionPrunesWhatUnitPrunerWouldAndIsReportedByName() {
    Odf2nnaConfig base = small();
    Network net = trained(iris, base);
    UnitCriterion taylor = Criteria.byName("taylor");
    ThresholdRule half = ThresholdRule.fractionPerLayer(0.5);
    Odf2nnaReport r = new Odf2nna(base.withCriterion(taylor).withEpsilon(new EpsilonChoice.Fixed(half)))
        .prune(net, 40, iris);
    PruningResult direct = UnitPruner.prune(net, iris.train(), taylor, half, Schedule.ONE_SHOT,
        StatisticsOptions.defaults(), GradientStatisticsCollector.defaults());
    assertEquals(direct.network().describe(), r.pruned().describe());
    List<float[]> expected = parameters(direct.network());
    List<float[]> actual = parameters(r.pruned());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "array " + i);
    }
    assertEquals("taylor", r.criterion());
    assertEquals("taylor", r.toMap().get("method"));
    assertTrue(r.finetuneTraining() != null, "fine-tuned as σ's recipe is");
  }

  @Test
  void theAutomaticSearchIsForSigmaOnly() {
    Odf2nnaConfig cfg = small().withCriterion(Criteria.byName("l1-in"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Odf2nna(cfg));
    assertTrue(e.getMessage().contains("l1-in"), e.getMessage());
  }
}
