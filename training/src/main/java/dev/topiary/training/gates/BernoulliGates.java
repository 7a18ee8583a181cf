package dev.topiary.training.gates;

import java.util.Arrays;
import java.util.Random;

/**
 * Gates that are Bernoulli random variables ξ ~ Bernoulli(θ) with learnable parameters θ ∈ [0, 1]: one per
 * unit of each gated dense layer and one per gated residual block. Before every training batch
 * {@link #sample} draws ξ = 1[u &lt; θ] with u uniform in [0, 1), so θ = 1 always gives 1 and θ = 0 always
 * gives 0. Block gates take one draw per batch (the whole batch skips a block or runs it). Unit gates take
 * one draw per batch too, the same for every row, unless the gates were made with a row count: then every
 * row of the batch draws its own unit mask ({@link #unitGateRows}, applied by scaling the activations row
 * by row), as dropout does; gates at θ = 0 or 1 cost no draw. For validation
 * {@link #prepareEvaluation} sets every gate to the deterministic network θ ≥ ½ (the architecture
 * training is heading for). {@link #accumulateGradient} keeps a copy of the batch's ∂L/∂ξ.
 *
 * <p>The θ arrays are live: the method that owns the gates updates them in place (projected steps) and
 * calls {@link #setDeterministic} to make the gates equal θ thresholded, which then applies to training
 * batches too. Layers or blocks that are not gated have null θ (units) or NaN θ (blocks).
 */
public final class BernoulliGates implements UnitGates {

  private final double[][] unitTheta;
  private final double[] blockTheta;
  private final float[][] unitGate;
  private final float[] blockGate;
  private final float[][] unitGradient;
  private final float[] blockGradient;
  private final int rows;
  private final float[][] unitGateRows;
  private boolean deterministic;
  private boolean perExampleActive;

  /**
   * Gates with every θ = 1.
   *
   * @param unitWidths for each dense layer (in {@code Network.denseLayers()} order) its width when its units
   *     are gated, or 0 when they are not
   * @param gatedBlocks for each top-level layer, true when it is a residual block with a gate
   */
  public BernoulliGates(int[] unitWidths, boolean[] gatedBlocks) {
    this(unitWidths, gatedBlocks, 0);
  }

  /**
   * Gates with every θ = 1 and, when {@code perExampleRows} &gt; 0, a separate unit mask for each of up to
   * that many rows of a training batch.
   *
   * @param unitWidths as in {@link #BernoulliGates(int[], boolean[])}
   * @param gatedBlocks as in {@link #BernoulliGates(int[], boolean[])}
   * @param perExampleRows the largest batch, or 0 for one unit mask per batch
   * @throws IllegalArgumentException if {@code perExampleRows} is negative
   */
  public BernoulliGates(int[] unitWidths, boolean[] gatedBlocks, int perExampleRows) {
    if (perExampleRows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, found " + perExampleRows);
    }
    int n = unitWidths.length;
    rows = perExampleRows;
    unitGateRows = new float[n][];
    unitTheta = new double[n][];
    unitGate = new float[n][];
    unitGradient = new float[n][];
    for (int l = 0; l < n; l++) {
      if (unitWidths[l] > 0) {
        unitTheta[l] = new double[unitWidths[l]];
        Arrays.fill(unitTheta[l], 1.0);
        unitGate[l] = new float[unitWidths[l]];
        Arrays.fill(unitGate[l], 1f);
        unitGradient[l] = new float[unitWidths[l]];
        if (rows > 0) {
          unitGateRows[l] = new float[rows * unitWidths[l]];
        }
      }
    }
    blockTheta = new double[gatedBlocks.length];
    blockGate = new float[gatedBlocks.length];
    blockGradient = new float[gatedBlocks.length];
    for (int s = 0; s < gatedBlocks.length; s++) {
      blockTheta[s] = gatedBlocks[s] ? 1.0 : Double.NaN;
      blockGate[s] = 1f;
    }
  }

  /** The live θ of dense layer l's units, or null when that layer is not gated. */
  public double[] unitTheta(int denseLayer) {
    return unitTheta[denseLayer];
  }

  /** θ of the block at top-level index {@code layer}, NaN when that layer has no gate. */
  public double blockTheta(int layer) {
    return blockTheta[layer];
  }

  /** Sets θ of the block at {@code layer}. */
  public void setBlockTheta(int layer, double theta) {
    if (Double.isNaN(blockTheta[layer])) {
      throw new IllegalArgumentException("layers[" + layer + "] has no block gate");
    }
    if (!(theta >= 0 && theta <= 1)) {
      throw new IllegalArgumentException("θ must be in [0, 1], found " + theta);
    }
    blockTheta[layer] = theta;
  }

  /** Number of dense layers. */
  public int denseLayers() {
    return unitTheta.length;
  }

  /** Number of top-level layers. */
  public int layers() {
    return blockTheta.length;
  }

  /** ∂L/∂ξ of dense layer l's units from the last batch (null when not gated). */
  public float[] unitGradient(int denseLayer) {
    return unitGradient[denseLayer];
  }

  /** ∂L/∂ξ of the block at {@code layer} from the last batch. */
  public float blockGradient(int layer) {
    return blockGradient[layer];
  }

  /**
   * From now on every gate equals 1[θ ≥ ½], in training as in evaluation (true), or is sampled again
   * (false).
   */
  public void setDeterministic(boolean on) {
    deterministic = on;
    if (on) {
      threshold();
    }
  }

  @Override
  public float[] unitGates(int denseLayer) {
    return unitGate[denseLayer];
  }

  /**
   * The per-example unit mask of dense layer l drawn by the last {@link #sample} ([rows × width]), or null
   * when the gates are per batch, deterministic, set for evaluation, or the layer is not gated.
   */
  @Override
  public float[] unitGateRows(int denseLayer) {
    return perExampleActive ? unitGateRows[denseLayer] : null;
  }

  /** True when unit masks are drawn per example. */
  public boolean perExample() {
    return rows > 0;
  }

  @Override
  public float blockGate(int layer) {
    return blockGate[layer];
  }

  @Override
  public void sample(Random random) {
    if (deterministic) {
      threshold();
      return;
    }
    perExampleActive = rows > 0;
    for (int l = 0; l < unitTheta.length; l++) {
      double[] t = unitTheta[l];
      if (t != null && rows > 0) {
        float[] m = unitGateRows[l];
        int w = t.length;
        for (int j = 0; j < w; j++) {
          double p = t[j];
          unitGate[l][j] = (float) p; // the expectation, for callers that read the shared vector
          if (p >= 1 || p <= 0) {
            float v = p >= 1 ? 1f : 0f;
            for (int i = 0; i < rows; i++) {
              m[i * w + j] = v;
            }
          } else {
            for (int i = 0; i < rows; i++) {
              m[i * w + j] = random.nextDouble() < p ? 1f : 0f;
            }
          }
        }
      } else if (t != null) {
        float[] g = unitGate[l];
        for (int j = 0; j < t.length; j++) {
          g[j] = random.nextDouble() < t[j] ? 1f : 0f;
        }
      }
    }
    for (int s = 0; s < blockTheta.length; s++) {
      if (!Double.isNaN(blockTheta[s])) {
        blockGate[s] = random.nextDouble() < blockTheta[s] ? 1f : 0f;
      }
    }
  }

  /** Sets every gate to 1[θ ≥ ½]. */
  @Override
  public void prepareEvaluation() {
    threshold();
  }

  private void threshold() {
    perExampleActive = false;
    for (int l = 0; l < unitTheta.length; l++) {
      double[] t = unitTheta[l];
      if (t != null) {
        for (int j = 0; j < t.length; j++) {
          unitGate[l][j] = t[j] >= 0.5 ? 1f : 0f;
        }
      }
    }
    for (int s = 0; s < blockTheta.length; s++) {
      if (!Double.isNaN(blockTheta[s])) {
        blockGate[s] = blockTheta[s] >= 0.5 ? 1f : 0f;
      }
    }
  }

  @Override
  public void accumulateGradient(GateGradients gradients) {
    for (int l = 0; l < unitTheta.length; l++) {
      if (unitTheta[l] != null) {
        System.arraycopy(gradients.units(l), 0, unitGradient[l], 0, unitGradient[l].length);
      }
    }
    for (int s = 0; s < blockTheta.length; s++) {
      blockGradient[s] = gradients.block(s);
    }
  }
}
