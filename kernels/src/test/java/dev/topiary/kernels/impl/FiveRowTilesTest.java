package dev.topiary.kernels.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The split of a row block between 5-row and 4-row tiles ({@link VectorGemm#fiveRowTiles}): the tiles
 * cover the block, no tile is partial wherever the block's rows are 5a + 4b (every count from 12 is),
 * as many rows as that allows go to 5-row tiles, and the packed panels have room for every tile.
 */
class FiveRowTilesTest {

  @Test
  void fiveAndFourRowTilesCoverEveryBlockExactlyWherePossible() {
    for (int mc = 1; mc <= 400; mc++) {
      int fives = VectorGemm.fiveRowTiles(mc);
      int rest = mc - 5 * fives;
      assertTrue(fives >= 0 && rest >= 0, "mc=" + mc);
      // The exact split with the most 5-row tiles, found by trying them all.
      int best = -1;
      for (int a = 0; 5 * a <= mc; a++) {
        if ((mc - 5 * a) % 4 == 0) {
          best = a;
        }
      }
      if (mc >= 12) {
        assertTrue(best >= 0, "every count from 12 is 5a + 4b, mc=" + mc);
      }
      assertEquals(best >= 0 ? best : mc / 5, fives, "mc=" + mc);
      int fours = (rest + 3) / 4;
      assertEquals(5 * fives + 4 * fours, VectorGemm.panelRows(5, mc), "mc=" + mc);
      assertTrue(VectorGemm.panelRows(5, mc) - mc < 4, "mc=" + mc);
    }
    assertEquals(24, VectorGemm.fiveRowTiles(128));
    assertEquals(48, VectorGemm.fiveRowTiles(256));
    assertEquals(128, VectorGemm.panelRows(4, 126));
    assertEquals(64, VectorGemm.panelRows(8, 57));
  }
}
