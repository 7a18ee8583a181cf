package dev.topiary.methods.complexity;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.kernels.Activation;
import java.util.List;

/**
 * The expected FLOPs and parameter count of the network that a draw of the Bernoulli gates leaves, as
 * functions of θ, with their gradients ∂/∂θ (the regulariser's per-structure coefficients γ come from these).
 *
 * <p>The network a draw ξ leaves: every unit with ξ = 0 removed (its row, bias and the next layer's column),
 * every block with ξ_B = 0 removed, and a block one of whose inner layers lost all its units removed as
 * well (its branch then adds a constant, folded into the layers that read the stream). Counting follows
 * {@link Layer#flops()} and {@link Layer#parameterCount()}: a dense layer with Q outputs and P inputs has
 * Q·P + Q parameters and 2·Q·P + Q (+ Q for a non-identity activation) FLOPs, a block adds d FLOPs for the
 * skip. With independent gates the expectation is exact and multilinear in θ:
 * <pre>
 *   top-level layer:  E[Q·P] = E[Q]·E[P],  E[Q] = Σ_j θ_j (gated) or the width
 *   block:            θ_B · Σ_monomials c·Π_{j∈S} T_j·Π_{j∉S} N_j
 * </pre>
 * where, for the block's inner layers j, T_j = Σ_i θ_{j,i} = E[k_j·1{k_j &gt; 0}] and
 * N_j = 1 − Π_i (1 − θ_{j,i}) = P(k_j &gt; 0), and each monomial of the block's count (a product of at most
 * two inner widths k) is multiplied by the indicator that no inner layer is empty. Top-level gated layers
 * are assumed never to empty: complexity-aware training never removes the last unit of such a layer (the
 * expectation is then the exact one conditioned on that, which matters only when all θ of a layer are
 * near 0).
 */
public final class ExpectedCost {

  /** Expected FLOPs. */
  public final double flops;
  /** Expected parameter count. */
  public final double parameters;
  /** ∂E[FLOPs]/∂θ for each gated unit (null for layers without gates). */
  public final double[][] unitFlops;
  /** ∂E[parameters]/∂θ for each gated unit. */
  public final double[][] unitParameters;
  /** ∂E[FLOPs]/∂θ_B for each top-level layer (0 for layers without a block gate). */
  public final double[] blockFlops;
  /** ∂E[parameters]/∂θ_B for each top-level layer. */
  public final double[] blockParameters;

  private ExpectedCost(double flops, double parameters, double[][] uf, double[][] up, double[] bf, double[] bp) {
    this.flops = flops;
    this.parameters = parameters;
    this.unitFlops = uf;
    this.unitParameters = up;
    this.blockFlops = bf;
    this.blockParameters = bp;
  }

  /**
   * The expected cost of {@code network} under gates with parameters θ.
   *
   * @param unitTheta θ of each dense layer's units, null for a layer without unit gates (all present)
   * @param blockTheta θ of each top-level layer's block gate; NaN (or a layer that is not a block) for none
   */
  public static ExpectedCost of(Network network, double[][] unitTheta, double[] blockTheta) {
    List<Layer> layers = network.layers();
    List<DenseLayer> dense = network.denseLayers();
    int nd = dense.size();
    double[][] uf = new double[nd][];
    double[][] up = new double[nd][];
    for (int l = 0; l < nd; l++) {
      if (unitTheta[l] != null) {
        uf[l] = new double[unitTheta[l].length];
        up[l] = new double[unitTheta[l].length];
      }
    }
    double[] bf = new double[layers.size()];
    double[] bp = new double[layers.size()];
    double flops = 0;
    double params = 0;
    // The expected width entering the next top-level layer, and the gated layer that produced it (or -1).
    double width = network.inputSize();
    int producer = -1;
    int d = 0;
    for (int s = 0; s < layers.size(); s++) {
      Layer layer = layers.get(s);
      if (layer instanceof DenseLayer dl) {
        double[] th = unitTheta[d];
        double q = th == null ? dl.outputSize() : sum(th);
        double act = dl.activation() == Activation.IDENTITY ? 0 : 1;
        params += q * width + q;
        flops += 2 * q * width + q * (1 + act);
        if (th != null) {
          for (int j = 0; j < th.length; j++) {
            up[d][j] += width + 1;
            uf[d][j] += 2 * width + 1 + act;
          }
        }
        if (producer >= 0) {
          for (int j = 0; j < up[producer].length; j++) {
            up[producer][j] += q;
            uf[producer][j] += 2 * q;
          }
        }
        width = q;
        producer = th == null ? -1 : d;
        d++;
      } else {
        ResidualBlock r = (ResidualBlock) layer;
        double tb = Double.isNaN(blockTheta[s]) ? 1.0 : blockTheta[s];
        Block b = new Block(r, unitTheta, d, tb);
        flops += b.flops;
        params += b.params;
        bf[s] = b.flopsPerTheta;
        bp[s] = b.paramsPerTheta;
        b.addUnitGradients(uf, up);
        width = r.width();
        producer = -1;
        d += r.layers().size();
      }
    }
    return new ExpectedCost(flops, params, uf, up, bf, bp);
  }

  /**
   * The weighted complexity C(θ) = β·E[FLOPs]/F₀ + (1 − β)·E[parameters]/P₀ that the regulariser ν·C adds to
   * the loss.
   */
  public double complexity(double beta, double flops0, double parameters0) {
    return beta * flops / flops0 + (1 - beta) * parameters / parameters0;
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  /** The expectation of one block's counts and their gradients. */
  private static final class Block {
    final int first;
    final int m;
    final double tb;
    final double[][] theta;
    /** T_j and N_j for inner layers j = 0 .. m-2. */
    final double[] t;
    final double[] nonEmpty;
    final double[][] dNonEmpty;
    double flops;
    double params;
    double flopsPerTheta;
    double paramsPerTheta;
    /** ∂/∂T_j and ∂/∂N_j of the block's expected counts divided by nothing (θ_B included). */
    final double[] dFlopsDT;
    final double[] dFlopsDN;
    final double[] dParamsDT;
    final double[] dParamsDN;

    Block(ResidualBlock r, double[][] unitTheta, int first, double tb) {
      this.first = first;
      this.m = r.layers().size();
      this.tb = tb;
      int inner = m - 1;
      theta = new double[inner][];
      t = new double[inner];
      nonEmpty = new double[inner];
      dNonEmpty = new double[inner][];
      for (int j = 0; j < inner; j++) {
        double[] th = unitTheta[first + j];
        int w = r.layers().get(j).outputSize();
        if (th == null) {
          th = new double[w];
          java.util.Arrays.fill(th, 1.0);
        } else {
          theta[j] = th;
        }
        t[j] = sum(th);
        // N = 1 − Π(1−θ); ∂N/∂θ_i = Π_{i'≠i}(1−θ_i') from prefix and suffix products (exact when a θ is 1).
        double[] prefix = new double[w + 1];
        prefix[0] = 1;
        for (int i = 0; i < w; i++) {
          prefix[i + 1] = prefix[i] * (1 - th[i]);
        }
        nonEmpty[j] = 1 - prefix[w];
        dNonEmpty[j] = new double[w];
        double suffix = 1;
        for (int i = w - 1; i >= 0; i--) {
          dNonEmpty[j][i] = prefix[i] * suffix;
          suffix *= 1 - th[i];
        }
      }
      dFlopsDT = new double[inner];
      dFlopsDN = new double[inner];
      dParamsDT = new double[inner];
      dParamsDN = new double[inner];
      int d = r.width();
      for (int k = 0; k < m; k++) {
        DenseLayer l = r.layers().get(k);
        double act = l.activation() == Activation.IDENTITY ? 0 : 1;
        int in = k == 0 ? -1 : k - 1; // inner layer providing the input width, -1 for the stream
        int out = k == m - 1 ? -1 : k; // inner layer providing the output width, -1 for the stream
        double cq = out < 0 ? d : 1;
        double cp = in < 0 ? d : 1;
        // Q·P (weights), Q (biases, activations): monomials over the inner layers in and out.
        monomial(cq * cp, 2 * cq * cp, in, out);
        monomial(cq, cq * (1 + act), out, -1);
      }
      monomial(0, d, -1, -1); // the skip addition
    }

    /** Adds c·Π_{j∈{a,b}} T_j · Π_{j∉{a,b}} N_j (times θ_B) to the counts, with its partial derivatives. */
    private void monomial(double cParams, double cFlops, int a, int b) {
      int inner = m - 1;
      double prod = 1;
      for (int j = 0; j < inner; j++) {
        prod *= (j == a || j == b) ? t[j] : nonEmpty[j];
      }
      params += tb * cParams * prod;
      flops += tb * cFlops * prod;
      paramsPerTheta += cParams * prod;
      flopsPerTheta += cFlops * prod;
      for (int j = 0; j < inner; j++) {
        double others = 1;
        for (int i = 0; i < inner; i++) {
          if (i != j) {
            others *= (i == a || i == b) ? t[i] : nonEmpty[i];
          }
        }
        if (j == a || j == b) {
          dParamsDT[j] += tb * cParams * others;
          dFlopsDT[j] += tb * cFlops * others;
        } else {
          dParamsDN[j] += tb * cParams * others;
          dFlopsDN[j] += tb * cFlops * others;
        }
      }
    }

    void addUnitGradients(double[][] uf, double[][] up) {
      for (int j = 0; j < m - 1; j++) {
        if (theta[j] == null) {
          continue;
        }
        int l = first + j;
        for (int i = 0; i < theta[j].length; i++) {
          uf[l][i] += dFlopsDT[j] + dFlopsDN[j] * dNonEmpty[j][i];
          up[l][i] += dParamsDT[j] + dParamsDN[j] * dNonEmpty[j][i];
        }
      }
    }
  }
}
