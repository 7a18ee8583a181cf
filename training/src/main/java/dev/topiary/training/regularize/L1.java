package dev.topiary.training.regularize;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.training.backprop.Gradients;
import java.util.List;

/** λ·Σ|w| over every weight; see {@link Regularizer#l1}. */
final class L1 implements Regularizer {

  private final double lambda;

  L1(double lambda) {
    this.lambda = Regularizer.checkLambda("L1", lambda);
  }

  @Override
  public double value(Network network) {
    double s = 0.0;
    for (DenseLayer d : network.denseLayers()) {
      for (float w : d.weight()) {
        s += Math.abs(w);
      }
    }
    return lambda * s;
  }

  @Override
  public void addGradient(Network network, Gradients gradients) {
    float lam = (float) lambda;
    List<DenseLayer> dense = network.denseLayers();
    for (int l = 0; l < dense.size(); l++) {
      float[] w = dense.get(l).weight();
      float[] g = gradients.weight(l);
      for (int i = 0; i < w.length; i++) {
        g[i] += lam * Math.signum(w[i]);
      }
    }
  }

  @Override
  public String toString() {
    return "L1(" + lambda + ")";
  }
}
