package dev.topiary.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.training.loss.Loss;
import org.junit.jupiter.api.Test;

/** Stability at extreme logits and hand-computed values of the losses. */
class LossTest {

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    float[] z = {1e4f, -1e4f, 0f, 3e4f, 3e4f, -3e4f};
    float[] g = new float[6];
    double v = Loss.softmaxCrossEntropy().evaluate(2, 3, z, new int[] {1, 0}, null, g);
    // Row 1: −log softmax at −1e4 when the max is 1e4 is 2e4; row 2: two equal maxima, log 2.
    assertEquals((2e4 + Math.log(2)) / 2, v, 1e-3);
    assertEquals(0.5f, g[0], 1e-7f);
    assertEquals(-0.5f, g[1], 1e-7f);
    // At 3e4 a float's spacing is 2e-3, which bounds how exactly the log-sum-exp can be represented.
    assertEquals(0.25f - 0.5f, g[3], 2e-4f);
    assertEquals(0.25f, g[4], 2e-4f);
  }

  @Test
  void binaryCrossEntropyIsStableForHugeLogits() {
    float[] z = {200f, -200f, 0f};
    float[] g = new float[3];
    double v = Loss.binaryCrossEntropy().evaluate(1, 3, z, null, new float[] {0f, 0f, 1f}, g);
    assertEquals((200 + 0 + Math.log(2)) / 3, v, 1e-9);
    assertEquals(1f / 3, g[0], 1e-7f);
    assertEquals(0f, g[1], 1e-7f);
    assertEquals(-0.5f / 3, g[2], 1e-7f);
  }

  @Test
  void binaryCrossEntropyReadsLabelsAsOneVsRest() {
    float[] z = {0f, 0f};
    float[] g = new float[2];
    Loss.binaryCrossEntropy().evaluate(1, 2, z, new int[] {1}, null, g);
    assertEquals(0.25f, g[0], 1e-7f);
    assertEquals(-0.25f, g[1], 1e-7f);
  }

  @Test
  void huberIsQuadraticInsideAndLinearOutside() {
    float[] g = new float[2];
    double v = Loss.huber(1.0).evaluate(2, 1, new float[] {0.5f, 3f}, null, new float[] {0f, 0f}, g);
    assertEquals((0.125 + 2.5) / 2, v, 1e-12);
    assertEquals(0.25f, g[0], 1e-7f);
    assertEquals(0.5f, g[1], 1e-7f);
    assertThrows(IllegalArgumentException.class, () -> Loss.huber(0));
  }

  @Test
  void meanSquaredErrorByHand() {
    float[] g = new float[2];
    double v = Loss.meanSquaredError().evaluate(1, 2, new float[] {1f, -1f}, null, new float[] {0f, 1f}, g);
    assertEquals(2.5, v, 1e-12);
    assertEquals(1f, g[0]);
    assertEquals(-2f, g[1]);
  }

  @Test
  void errorsNameTheProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Loss.softmaxCrossEntropy().evaluate(1, 2, new float[2], new int[] {2}, null, new float[2]));
    assertEquals("softmax-cross-entropy: row 0 has label 2 outside [0, 2)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Loss.meanSquaredError().evaluate(2, 2, new float[4], null, null, new float[4]));
    assertEquals("mse: needs 4 real targets", e.getMessage());
    float[] same = new float[4];
    e = assertThrows(IllegalArgumentException.class,
        () -> Loss.meanSquaredError().evaluate(2, 2, same, null, new float[4], same));
    assertTrue(e.getMessage().contains("may not alias"));
  }
}
