package dev.topiary.methods.lottery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.methods.unstructured.MagnitudePruning;
import dev.topiary.methods.unstructured.Scope;
import dev.topiary.methods.unstructured.Sparsity;
import dev.topiary.methods.unstructured.UnstructuredResult;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.schedule.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class LotteryTicketTest {

  private static final Task TASK = Task.classification(List.of("a", "b", "c"));

  private static Dataset data() {
    return Fixtures.selfClassification(Fixtures.mlp(61, 5, new int[] {8}, Activation.TANH, TASK), 62, 32);
  }

  private static TrainingConfig config(int epochs) {
    return TrainingConfig.defaults(TASK, 32).withEpochs(epochs).withBatchSize(8)
        .withSchedule(Schedule.constant()).withEarlyStopping(EarlyStopping.off());
  }

  @Test
  void captureStoresTheWeightsOfTheRequestedStep() {
    Dataset data = data();
    Network a = Fixtures.mlp(63, 5, new int[] {12, 7}, Activation.RELU, TASK);
    Network b = a.copy();
    WeightCapture capture = new WeightCapture(a, 4); // 32 rows / 8 = 4 steps: the end of epoch 1
    new Trainer(config(3)).addListener(capture).fit(a, data);
    new Trainer(config(1)).fit(b, data); // the same first four steps, then stop
    for (int l = 0; l < b.denseLayers().size(); l++) {
      assertArrayEquals(b.denseLayers().get(l).weight(), capture.stored().denseLayers().get(l).weight());
      assertArrayEquals(b.denseLayers().get(l).bias(), capture.stored().denseLayers().get(l).bias());
    }
    WeightCapture late = new WeightCapture(b, 1000);
    assertThrows(IllegalStateException.class, late::stored);
  }

  @Test
  void rewindingRestoresTheStoredWeightsExactly() {
    Network init = Fixtures.mlp(64, 5, new int[] {12, 7}, Activation.RELU, TASK);
    WeightCapture capture = new WeightCapture(init, 0);
    Network trained = init; // trained in place; the capture holds the initialisation
    new Trainer(config(3)).addListener(capture).fit(trained, data());
    Network pruned = MagnitudePruning.prune(trained, 0.6, Scope.GLOBAL);
    Network rewound = LotteryTicket.rewind(pruned, capture.stored());
    List<DenseLayer> s = capture.stored().denseLayers();
    List<DenseLayer> p = pruned.denseLayers();
    List<DenseLayer> r = rewound.denseLayers();
    for (int l = 0; l < s.size(); l++) {
      float[] sw = s.get(l).weight();
      for (int i = 0; i < sw.length; i++) {
        float expected = p.get(l).weight()[i] == 0f ? 0f : sw[i];
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(r.get(l).weight()[i]));
      }
      assertArrayEquals(s.get(l).bias(), r.get(l).bias());
    }
  }

  @Test
  void roundsReachTheTargetSparsityWithMaskedRetraining() {
    Dataset data = data();
    Network init = Fixtures.mlp(65, 5, new int[] {12, 7}, Activation.RELU, TASK);
    Network trained = init.copy();
    new Trainer(config(3)).fit(trained, data);
    for (Rewind mode : Rewind.values()) {
      UnstructuredResult r = LotteryTicket.run(trained, init, data, 0.8, 3, mode, config(2));
      double step = 1.0 / Sparsity.weights(init);
      assertEquals(0.8, r.sparsity(), step);
      assertEquals(1 - Math.pow(0.2, 1.0 / 3), r.roundSparsity().get(0), step);
      assertEquals(6, r.finetuneEpochs());
    }
  }
}
