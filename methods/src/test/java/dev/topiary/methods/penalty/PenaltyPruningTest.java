package dev.topiary.methods.penalty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.optim.Optimizer;
import dev.topiary.training.schedule.Schedule;
import org.junit.jupiter.api.Test;

class PenaltyPruningTest {

  @Test
  void groupLassoThenRemovalShrinksTheNetwork() {
    Task task = Task.regression(1);
    Network teacher = Fixtures.mlp(71, 4, new int[] {2}, Activation.TANH, task);
    Dataset data = Fixtures.selfRegression(teacher, 72, 128);
    Network student = Fixtures.mlp(73, 4, new int[] {16, 16}, Activation.TANH, task);
    TrainingConfig tc = TrainingConfig.defaults(task, data.rows()).withEpochs(100).withBatchSize(16)
        .withOptimizer(Optimizer.adam(3e-3)).withSchedule(Schedule.cosine(0.01))
        .withEarlyStopping(EarlyStopping.off());
    double threshold = 0.05;
    PenaltyResult r = PenaltyPruning.run(student, data, Penalty.groupLasso(0.1), tc,
        ThresholdRule.absolute(threshold), tc.withEpochs(5));
    // Every removed unit's incoming norm was at most the threshold in the penalised network, every kept
    // one above it (each layer keeps at least one unit).
    int removed = 0;
    for (LayerRemoval lr : r.pruning().plan().layers()) {
      double[] norms = GroupNormCriterion.INSTANCE.score(
          dev.topiary.pruning.criteria.ScoringContext.of(r.penalized(), null),
          dev.topiary.pruning.units.UnitLayout.of(r.penalized()).find(lr.layer()).orElseThrow());
      for (int j : lr.units()) {
        assertTrue(norms[j] <= threshold, "removed unit " + j + " has norm " + norms[j]);
      }
      for (int j : lr.keptUnits()) {
        assertTrue(norms[j] > threshold || lr.kept() == 1, "kept unit " + j + " has norm " + norms[j]);
      }
      removed += lr.count();
    }
    assertTrue(removed >= 8, "the penalty removed only " + removed + " of 32 units");
    assertTrue(r.network().parameterCount() < student.parameterCount());
    assertEquals(r.pruning().network().parameterCount(), r.network().parameterCount());
    assertEquals(16 + 16 - removed, r.network().denseLayers().get(0).outputSize()
        + r.network().denseLayers().get(1).outputSize());
  }

  @Test
  void groupNormIsTheIncomingRowNorm() {
    Network net = Fixtures.mlp(74, 5, new int[] {7}, Activation.RELU, Task.regression(1));
    double[] s = GroupNormCriterion.INSTANCE.score(dev.topiary.pruning.criteria.ScoringContext.of(net, null),
        dev.topiary.pruning.units.UnitLayout.of(net).prunable().get(0));
    float[] w = net.denseLayers().get(0).weight();
    for (int j = 0; j < 7; j++) {
      double ss = 0;
      for (int i = 0; i < 5; i++) {
        ss += (double) w[j * 5 + i] * w[j * 5 + i];
      }
      assertEquals(Math.sqrt(ss), s[j], 1e-6);
    }
    assertEquals(2, Penalty.elasticNet(1e-3, 1e-4).regularizers().size());
  }
}
