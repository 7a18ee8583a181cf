package dev.topiary.training.regularize;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.backprop.Gradients;
import java.util.List;

/** (λ/2)·Σw² over every weight; see {@link Regularizer#l2}. */
final class L2 implements Regularizer {

  private final double lambda;

  L2(double lambda) {
    this.lambda = Regularizer.checkLambda("L2", lambda);
  }

  @Override
  public double value(Network network) {
    double s = 0.0;
    for (DenseLayer d : network.denseLayers()) {
      s += Kernels.sumOfSquares(d.weight().length, d.weight(), 0);
    }
    return 0.5 * lambda * s;
  }

  @Override
  public void addGradient(Network network, Gradients gradients) {
    List<DenseLayer> dense = network.denseLayers();
    for (int l = 0; l < dense.size(); l++) {
      float[] w = dense.get(l).weight();
      Kernels.axpy(w.length, (float) lambda, w, 0, gradients.weight(l), 0);
    }
  }

  @Override
  public String toString() {
    return "L2(" + lambda + ")";
  }
}
