package dev.topiary.kernels.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block transposition of the NT packing is a copy: every element of V rows lands in its column of the
 * panel, bit for bit, and nothing else in the panel's array changes. Depths that are not multiples of the
 * vector length (the element-by-element tail), leading dimensions wider than the rows and panels wider
 * than V are all covered, on whatever vector length the test JVM has (the block kernels of 4 and 8 lanes
 * run in the {@code MaxVectorSize=16} and {@code UseAVX=2} passes of {@code .ci/run}).
 */
class VectorTransposeTest {

  private static final int V = VectorGemm.S.length();
  private static final float UNTOUCHED = -12345.5f;

  @Test
  void copiesEveryElementToItsColumnAndNothingElse() {
    Random rnd = new Random(7);
    int[] depths = {0, 1, V - 1, V, V + 1, 2 * V + 3, 5 * V, 37, 129};
    for (int kc : depths) {
      for (int pad : new int[] {0, 5}) {
        for (int width : new int[] {V, 2 * V, 3 * V}) {
          int ld = kc + pad;
          int s = 3;
          float[] src = new float[s + V * ld + 7];
          for (int i = 0; i < src.length; i++) {
            src[i] = rnd.nextFloat() * 2 - 1;
          }
          int d = width / 2 + 1;
          float[] dst = new float[d + Math.max(kc, 1) * width + V];
          java.util.Arrays.fill(dst, UNTOUCHED);
          VectorTranspose.rows(src, s, ld, kc, dst, d, width);
          float[] expected = new float[dst.length];
          java.util.Arrays.fill(expected, UNTOUCHED);
          for (int i = 0; i < V; i++) {
            for (int p = 0; p < kc; p++) {
              expected[d + p * width + i] = src[s + i * ld + p];
            }
          }
          for (int x = 0; x < dst.length; x++) {
            assertEquals(Float.floatToRawIntBits(expected[x]), Float.floatToRawIntBits(dst[x]),
                "kc=" + kc + " ld=" + ld + " width=" + width + " at " + x);
          }
        }
      }
    }
  }

  /**
   * A panel narrower than the vector (4 rows on 8 lanes has a kernel; 6 rows and other lengths return 0):
   * the returned columns are in place, the stores that ran past them stayed inside the panel, and the
   * panel is whole once the caller copies the rest.
   */
  @Test
  void narrowPanelsStayInsideThePanelAndCompleteWithTheTail() {
    Random rnd = new Random(11);
    for (int width : new int[] {4, 6}) {
      for (int kc : new int[] {0, 1, 7, 8, 9, 16, 17, 37, 129}) {
        int ld = kc + 3;
        int s = 2;
        float[] src = new float[s + width * ld + 5];
        for (int i = 0; i < src.length; i++) {
          src[i] = rnd.nextFloat() * 2 - 1;
        }
        int d = 5;
        float[] dst = new float[d + kc * width + 2 * V];
        java.util.Arrays.fill(dst, UNTOUCHED);
        int done = VectorTranspose.panel(src, s, ld, kc, dst, d, width);
        String where = "width=" + width + " kc=" + kc;
        assertEquals(true, done >= 0 && (done == 0 || done < kc), where + ": returned " + done);
        for (int x = 0; x < dst.length; x++) {
          if (x < d || x >= d + kc * width) {
            assertEquals(UNTOUCHED, dst[x], where + ": wrote outside the panel at " + x);
          }
        }
        for (int p = 0; p < done; p++) {
          for (int r = 0; r < width; r++) {
            assertEquals(src[s + r * ld + p], dst[d + p * width + r], where + " r=" + r + " p=" + p);
          }
        }
        for (int r = 0; r < width; r++) {
          for (int p = done; p < kc; p++) {
            dst[d + p * width + r] = src[s + r * ld + p];
          }
        }
        for (int p = 0; p < kc; p++) {
          for (int r = 0; r < width; r++) {
            assertEquals(Float.floatToRawIntBits(src[s + r * ld + p]),
                Float.floatToRawIntBits(dst[d + p * width + r]), where + " after the tail, r=" + r + " p=" + p);
          }
        }
      }
    }
  }
}
