package dev.topiary.training.gates;

import java.util.Arrays;

/**
 * The gradient of a batch's mean loss with respect to every gate of a {@link UnitGates}: one array per
 * gated dense layer and one value per gated residual block. Allocated once per network shape and
 * overwritten by each backward pass.
 */
public final class GateGradients {

  private final float[][] units;
  private final float[] blocks;

  /**
   * Buffers for a network with the given dense layer widths and {@code layers} top-level layers.
   *
   * @param unitWidths output width of each dense layer, in {@code Network.denseLayers()} order
   */
  public GateGradients(int[] unitWidths, int layers) {
    units = new float[unitWidths.length][];
    for (int l = 0; l < unitWidths.length; l++) {
      units[l] = new float[unitWidths[l]];
    }
    blocks = new float[layers];
  }

  /** ∂L/∂g for the units of dense layer {@code denseLayer} (zero when the layer was not gated). */
  public float[] units(int denseLayer) {
    return units[denseLayer];
  }

  /** ∂L/∂s for the residual block at {@code layer} (zero when it was not gated). */
  public float block(int layer) {
    return blocks[layer];
  }

  /** Number of dense layers. */
  public int denseLayers() {
    return units.length;
  }

  /** Sets every gradient to zero. */
  public void clear() {
    for (float[] u : units) {
      Arrays.fill(u, 0f);
    }
    Arrays.fill(blocks, 0f);
  }

  /** Sets ∂L/∂s of the residual block at {@code layer}; called by the backward pass. */
  public void setBlock(int layer, float value) {
    blocks[layer] = value;
  }
}
