package dev.topiary.methods.complexity;

import dev.topiary.core.model.Network;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.kernels.Parallelism;
import dev.topiary.training.gates.BernoulliGates;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.gates.UnitGates;
import dev.topiary.training.loss.Loss;
import java.util.Random;

/**
 * One batch's forward and backward pass through a gated network: the weight gradients and the estimates
 * of the data term ∂E[L]/∂θ for every gate, written into the gates ({@link BernoulliGates#unitGradient},
 * {@link BernoulliGates#blockGradient}). Units get the straight-through derivative ∂L/∂ξ at the gates as
 * they are; blocks get it too, or with {@link BlockEstimator#TWO_POINT} the exact difference L(ξ_B=1) −
 * L(ξ_B=0) on the batch. Bound to one network shape; not thread-safe.
 */
public final class ThetaGradients {

  private final Network shape;
  private final Workspace workspace;
  private final Workspace probe;
  private final Gradients gradients;
  private final GateGradients gateGradients;
  private final float[] scratch;
  private final BlockEstimator estimator;
  private final float[] twoPoint;

  /** Buffers for networks shaped like {@code network} and batches of up to {@code maxRows} rows. */
  public ThetaGradients(Network network, int maxRows, BlockEstimator estimator) {
    this(network, maxRows, estimator, null);
  }

  /**
   * Buffers for networks shaped like {@code network} and batches of up to {@code maxRows} rows, whose
   * products run on the threads of {@code parallelism} (null: on {@link
   * dev.topiary.kernels.Kernels#parallelism()} as it is at each pass).
   */
  public ThetaGradients(Network network, int maxRows, BlockEstimator estimator, Parallelism parallelism) {
    this.shape = network;
    this.workspace = new Workspace(network, maxRows, parallelism);
    this.estimator = estimator;
    this.probe = estimator == BlockEstimator.TWO_POINT ? new Workspace(network, maxRows, parallelism) : null;
    this.gradients = new Gradients(network);
    this.gateGradients = new GateGradients(workspace.unitWidths(), workspace.layerCount());
    this.scratch = new float[maxRows * network.outputSize()];
    this.twoPoint = new float[network.layers().size()];
  }

  /** The weight gradients of the last {@link #run}. */
  public Gradients gradients() {
    return gradients;
  }

  /** The workspace of the forward and backward passes. */
  public Workspace workspace() {
    return workspace;
  }

  /** True when {@code network} has the shape these buffers were made for. */
  public boolean fits(Network network) {
    return workspace.fits(network) && gradients.fits(network);
  }

  /**
   * Runs {@code rows} rows (already in the network's input space) through {@code network} with the gates as
   * they are now, back-propagates the mean loss, stores the gate gradient estimates in {@code gates}, and
   * returns the batch's mean loss.
   */
  public double run(Network network, BernoulliGates gates, float[] x, int rows, int[] labels, float[] targets,
      Loss loss) {
    int outs = network.outputSize();
    float[] out = workspace.forward(network, x, 0, rows, gates);
    double value = loss.evaluate(rows, outs, out, labels, targets, workspace.outputGradient());
    if (probe != null) {
      for (int s = 0; s < twoPoint.length; s++) {
        if (Double.isNaN(gates.blockTheta(s))) {
          continue;
        }
        float g = gates.blockGate(s);
        UnitGates flipped = flip(gates, s, g == 0f ? 1f : 0f);
        float[] o = probe.forward(network, x, 0, rows, flipped);
        double other = loss.evaluate(rows, outs, o, labels, targets, scratch);
        twoPoint[s] = (float) (g == 0f ? other - value : value - other);
      }
    }
    workspace.backward(gradients, gateGradients);
    if (probe != null) {
      for (int s = 0; s < twoPoint.length; s++) {
        if (!Double.isNaN(gates.blockTheta(s))) {
          gateGradients.setBlock(s, twoPoint[s]);
        }
      }
    }
    gates.accumulateGradient(gateGradients);
    return value;
  }

  /** The gates with block s's gate set to {@code value}. */
  private static UnitGates flip(BernoulliGates gates, int s, float value) {
    return new UnitGates() {
      @Override
      public float[] unitGates(int denseLayer) {
        return gates.unitGates(denseLayer);
      }

      @Override
      public float[] unitGateRows(int denseLayer) {
        return gates.unitGateRows(denseLayer);
      }

      @Override
      public float blockGate(int layer) {
        return layer == s ? value : gates.blockGate(layer);
      }

      @Override
      public void sample(Random random) {}

      @Override
      public void accumulateGradient(GateGradients g) {}
    };
  }

  /** The network these buffers were made for. */
  Network shape() {
    return shape;
  }
}
