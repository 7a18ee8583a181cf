package dev.topiary.methods.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.optim.Optimizer;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The bounded ν search: its bracketing and interpolation, and a real training run to a FLOPs target. */
class NuSearchTest {

  /**
   * On monotone step functions of ν (fraction kept in steps of 1/12, as removing whole structures gives)
   * the search lands within the tolerance in at most 6 trainings, from a start a decade or more below or above.
   */
  @Test
  void monotoneStepFunctionsAreHitWithinTheBound() {
    DoubleUnaryOperator[] kept = {
        nu -> Math.floor(12 / (1 + nu)) / 12, // smooth fall
        nu -> Math.floor(12 * Math.exp(-3 * nu)) / 12, // steep
        nu -> Math.floor(12 / (1 + Math.sqrt(nu * 100))) / 12 // fast start
    };
    for (DoubleUnaryOperator f : kept) {
      for (double target : new double[] {0.75, 0.5, 0.3}) {
        for (double start : new double[] {0.01, 0.1, 3}) {
          NuSearch.Outcome<Double> o = NuSearch.search(nu -> f.applyAsDouble(nu), v -> v, target, 0.05, start, 6);
          assertTrue(o.hit(), "target " + target + " from " + start + ": " + o.attempts());
          assertTrue(o.attempts().size() <= 6);
          assertEquals(o.best(), o.attempts().get(o.attempts().size() - 1), "it stops at the first hit");
        }
      }
    }
  }

  /** When the bound runs out it reports the nearest attempt and says it missed. */
  @Test
  void aMissReportsTheNearestAttempt() {
    NuSearch.Outcome<Double> o = NuSearch.search(nu -> nu < 1 ? 1.0 : 0.1, v -> v, 0.5, 0.05, 0.01, 3);
    assertFalse(o.hit());
    assertEquals(3, o.attempts().size());
    for (NuSearch.Attempt<Double> a : o.attempts()) {
      assertTrue(Math.abs(o.best().keptFraction() - 0.5) <= Math.abs(a.keptFraction() - 0.5));
    }
    assertThrows(IllegalArgumentException.class, () -> NuSearch.search(nu -> 1.0, v -> v, 0, 0.1, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> NuSearch.search(nu -> 1.0, v -> v, 0.5, 0.1, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> NuSearch.search(nu -> 1.0, v -> v, 0.5, 0.1, 1, 0));
  }

  /**
   * A real search: complexity-aware training of a small residual network on a synthetic task keeps 55 % of
   * its FLOPs within ±8 points after at most 6 trainings, and the result it reports is that training's.
   */
  @Test
  void theSearchHitsAFlopsTargetOnASmallSyntheticProblem() {
    Task task = Task.classification(Fixtures.names(3));
    Network net = Network.residual(8, 3, 24, 2, Activation.RELU, task, 3);
    Dataset data = Fixtures.selfClassification(net, 9, 600);
    TrainingConfig tc = TrainingConfig.defaults(task, 600).withEpochs(8).withBatchSize(32)
        .withOptimizer(Optimizer.adamW(3e-3, 1e-4)).withEarlyStopping(EarlyStopping.off()).withSeed(5)
        .withThreads(1);
    ComplexityAwareConfig c = ComplexityAwareConfig.defaults(tc).withRemovalRule(1, 2, 10);
    NuSearch.Outcome<ComplexityAwareResult> o = NuSearch.search(
        nu -> ComplexityAware.train(net, data, c.withCost(nu, 0.5, 0.5), null),
        r -> r.network().flops() / (double) r.initialFlops(), 0.55, 0.08, 1.0, 6);
    assertTrue(o.hit(), o.attempts().toString());
    ComplexityAwareResult r = o.best().result();
    assertEquals(o.best().keptFraction(), r.network().flops() / (double) net.flops());
    assertTrue(Math.abs(r.network().flops() / (double) net.flops() - 0.55) <= 0.08);
  }
}
