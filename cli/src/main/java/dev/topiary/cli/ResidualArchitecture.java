package dev.topiary.cli;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;

/**
 * The value of {@code train --architecture}: {@code residual:BLOCKS:WIDTH[:LAYERS]}, a stem from the input
 * to WIDTH, BLOCKS residual blocks of WIDTH with LAYERS (1 or 2, default 2) dense layers each, and a head.
 *
 * @param blocks number of residual blocks, at least 0
 * @param width residual stream width (and inner width of two-layer blocks), at least 1
 * @param layersPerBlock dense layers in each block's branch: 1 or 2
 */
record ResidualArchitecture(int blocks, int width, int layersPerBlock) {

  /**
   * Parses {@code residual:BLOCKS:WIDTH[:LAYERS]}.
   *
   * @throws InputException naming what is wrong
   */
  static ResidualArchitecture parse(String text) {
    String usage = "--architecture must be residual:BLOCKS:WIDTH or residual:BLOCKS:WIDTH:LAYERS (LAYERS 1 or 2)";
    String[] p = text.trim().split(":", -1);
    if ((p.length != 3 && p.length != 4) || !p[0].equalsIgnoreCase("residual")) {
      throw new InputException(usage + ", found " + text);
    }
    int blocks;
    int width;
    int layers = 2;
    try {
      blocks = Integer.parseInt(p[1].trim());
      width = Integer.parseInt(p[2].trim());
      if (p.length == 4) {
        layers = Integer.parseInt(p[3].trim());
      }
    } catch (NumberFormatException e) {
      throw new InputException(usage + ", found " + text);
    }
    if (blocks < 0 || width < 1 || (layers != 1 && layers != 2)) {
      throw new InputException(usage + " with BLOCKS >= 0 and WIDTH >= 1, found " + text);
    }
    return new ResidualArchitecture(blocks, width, layers);
  }

  /** The freshly initialised network for a task. */
  Network build(int inputs, Activation activation, Task task, long seed) {
    return Network.residual(inputs, blocks, width, layersPerBlock, activation, task, seed);
  }

  /** The canonical text, {@code residual:BLOCKS:WIDTH:LAYERS}. */
  String text() {
    return "residual:" + blocks + ":" + width + ":" + layersPerBlock;
  }
}
