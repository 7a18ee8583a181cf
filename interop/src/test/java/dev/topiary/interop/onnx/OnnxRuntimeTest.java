package dev.topiary.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exported graph, run by ONNX Runtime, computes what Topiary's own inference computes: every
 * activation, with and without standardisation and residual blocks, classifiers (logits and
 * probabilities) and regression models (raw units), within 1e-5 relative to 1 + |value|.
 */
class OnnxRuntimeTest {

  static final int ROWS = 37;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void onnxRuntimeGivesTopiarysOutputs(Activation a) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long seed = 100 + a.ordinal();
    for (int kind = 0; kind < 8; kind++) {
      boolean residual = (kind & 1) != 0;
      boolean scaled = (kind & 2) != 0;
      boolean regression = (kind & 4) != 0;
      Network net = RandomNetworks.of(a, residual, scaled, regression, seed + 17L * kind);
      float[] x = RandomNetworks.inputs(ROWS, net.inputSize(), seed + kind);
      byte[] onnx = OnnxExport.encode(net, true, Map.of("topiary.test", "yes"));
      String what = a + (residual ? " residual" : "") + (scaled ? " scaled" : "") + (regression ? " regression" : "");
      try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
          OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {ROWS, net.inputSize()});
          OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, t))) {
        assertEquals("yes", s.getMetadata().getCustomMetadata().get("topiary.test"));
        int k = net.outputSize();
        if (regression) {
          float[] want = new float[ROWS * k];
          net.predictValues(x, 0, ROWS, want, 0);
          compare(want, (float[][]) r.get(OnnxExport.OUTPUT).get().getValue(), what + " output");
        } else {
          float[] logits = new float[ROWS * k];
          net.predictLogits(x, 0, ROWS, logits, 0);
          compare(logits, (float[][]) r.get(OnnxExport.LOGITS).get().getValue(), what + " logits");
          float[] p = new float[ROWS * k];
          net.predictProbabilities(x, 0, ROWS, p, 0);
          compare(p, (float[][]) r.get(OnnxExport.PROBABILITIES).get().getValue(), what + " probabilities");
        }
      }
    }
  }

  private static void compare(float[] want, float[][] got, String what) {
    assertEquals(want.length / got[0].length, got.length, what + " rows");
    double spread = 0;
    for (int i = 0; i < got.length; i++) {
      for (int c = 0; c < got[i].length; c++) {
        float w = want[i * got[i].length + c];
        double d = Math.abs(got[i][c] - w) / (1 + Math.abs(w));
        assertTrue(d <= 1e-5, what + " row " + i + " column " + c + ": ONNX Runtime " + got[i][c]
            + ", Topiary " + w);
        spread = Math.max(spread, Math.abs(w));
      }
    }
    assertTrue(spread > 0.1, what + ": outputs all near zero, the comparison would prove little");
  }
}
