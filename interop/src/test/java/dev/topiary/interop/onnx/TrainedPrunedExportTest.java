package dev.topiary.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.VariancePruner;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first "done when": trained, pruned, exported, run by ONNX Runtime: Topiary's predictions. */
class TrainedPrunedExportTest {

  @Test
  void onnxRuntimeRunsAPrunedModelWithTopiarysPredictions() throws Exception {
    Split split = Split.of(DataSources.load("builtin:wine").train(), 5);
    Network net = Network.mlp(13, new int[] {24, 24}, Activation.GELU, split.train().task(), 5);
    net = Scaling.fit(net, split.train());
    new Trainer(TrainingConfig.defaults(net.task(), split.train().rows()).withEpochs(20)).fit(net, split.train());
    Network pruned = VariancePruner.prune(net, split.train(), ThresholdRule.relativeToMax(0.3),
        Schedule.ONE_SHOT).network();
    assertTrue(pruned.parameterCount() < net.parameterCount(), "nothing pruned");

    Dataset test = split.test();
    int rows = test.rows();
    int k = pruned.outputSize();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(OnnxExport.encode(pruned, true, Map.of()), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(test.x()), new long[] {rows, 13});
        OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
      float[][] p = (float[][]) r.get(OnnxExport.PROBABILITIES).get().getValue();
      float[] want = new float[rows * k];
      pruned.predictProbabilities(test.x(), 0, rows, want, 0);
      int[] classes = new int[rows];
      for (int i = 0; i < rows; i++) {
        int best = 0;
        for (int c = 0; c < k; c++) {
          assertEquals(want[i * k + c], p[i][c], 1e-5, "row " + i + " class " + c);
          best = p[i][c] > p[i][best] ? c : best;
        }
        classes[i] = best;
      }
      assertArrayEquals(pruned.predictClasses(test.x(), rows), classes);
    }
  }
}
