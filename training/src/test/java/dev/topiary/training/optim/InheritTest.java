package dev.topiary.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link OptimizerState#inherit}: a state that takes over a subset of another's elements continues them
 * exactly as the larger state would have.
 */
class InheritTest {

  @Test
  void theSurvivingElementsContinueAsInTheLargerRun() {
    for (Optimizer opt : new Optimizer[] {Optimizer.adamW(1e-2, 1e-3), Optimizer.adam(1e-2),
        Optimizer.sgd(1e-2, 0.9, true, 1e-4)}) {
      Random r = new Random(3);
      float[] p = new float[13];
      float[] q = new float[5];
      for (int i = 0; i < p.length; i++) {
        p[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < q.length; i++) {
        q[i] = (float) r.nextGaussian();
      }
      float[] gp = new float[13];
      float[] gq = new float[5];
      OptimizerState big = opt.start(new float[][] {p, q}, new float[][] {gp, gq});
      for (int s = 0; s < 4; s++) {
        for (int i = 0; i < gp.length; i++) {
          gp[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < gq.length; i++) {
          gq[i] = (float) r.nextGaussian();
        }
        big.step(0.1f);
      }
      // Keep elements 1, 4, 12 of the first tensor only; the second tensor is dropped.
      int[] kept = {1, 4, 12};
      float[] small = new float[kept.length];
      float[] gs = new float[kept.length];
      for (int k = 0; k < kept.length; k++) {
        small[k] = p[kept[k]];
      }
      OptimizerState s = opt.start(new float[][] {small}, new float[][] {gs});
      s.inherit(big, new int[] {0}, new int[][] {kept});
      assertEquals(big.steps(), s.steps());
      for (int i = 0; i < gp.length; i++) {
        gp[i] = (float) r.nextGaussian();
      }
      for (int k = 0; k < kept.length; k++) {
        gs[k] = gp[kept[k]];
      }
      big.step(0.1f);
      s.step(0.1f);
      float[] want = new float[kept.length];
      for (int k = 0; k < kept.length; k++) {
        want[k] = p[kept[k]];
      }
      assertArrayEquals(want, small, opt.toString());
    }
  }

  @Test
  void mismatchedMapsAndOptimisersAreRejected() {
    float[] p = new float[4];
    OptimizerState adam = Optimizer.adam(1e-2).start(new float[][] {p}, new float[][] {new float[4]});
    OptimizerState sgd = Optimizer.sgd(1e-2, 0.9, false, 0).start(new float[][] {new float[2]},
        new float[][] {new float[2]});
    assertThrows(IllegalArgumentException.class, () -> sgd.inherit(adam, new int[] {0}, new int[][] {{0, 1}}));
    OptimizerState a2 = Optimizer.adam(1e-2).start(new float[][] {new float[2]}, new float[][] {new float[2]});
    assertThrows(IllegalArgumentException.class, () -> a2.inherit(adam, new int[] {1}, new int[][] {{0, 1}}));
    assertThrows(IllegalArgumentException.class, () -> a2.inherit(adam, new int[] {0}, new int[][] {{0}}));
  }
}
