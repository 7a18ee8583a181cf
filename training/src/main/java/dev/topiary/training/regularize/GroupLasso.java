package dev.topiary.training.regularize;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Kernels;
import dev.topiary.training.backprop.Gradients;
import java.util.List;

/** λ·Σ_j ‖W[j, :]‖₂ over the hidden units; see {@link Regularizer#groupLasso}. */
final class GroupLasso implements Regularizer {

  private final double lambda;
  private float[] norms = new float[0];

  GroupLasso(double lambda) {
    this.lambda = Regularizer.checkLambda("group lasso", lambda);
  }

  private float[] norms(DenseLayer d) {
    if (norms.length < d.outputSize()) {
      norms = new float[d.outputSize()];
    }
    Kernels.rowNorms(2, d.outputSize(), d.inputSize(), d.weight(), 0, d.inputSize(), norms, 0);
    return norms;
  }

  @Override
  public double value(Network network) {
    List<DenseLayer> dense = network.denseLayers();
    double s = 0.0;
    for (int l = 0; l < dense.size() - 1; l++) {
      float[] n = norms(dense.get(l));
      for (int j = 0; j < dense.get(l).outputSize(); j++) {
        s += n[j];
      }
    }
    return lambda * s;
  }

  @Override
  public void addGradient(Network network, Gradients gradients) {
    List<DenseLayer> dense = network.denseLayers();
    for (int l = 0; l < dense.size() - 1; l++) {
      DenseLayer d = dense.get(l);
      float[] n = norms(d);
      int in = d.inputSize();
      for (int j = 0; j < d.outputSize(); j++) {
        if (n[j] > 0f) {
          Kernels.axpy(in, (float) (lambda / n[j]), d.weight(), j * in, gradients.weight(l), j * in);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "GroupLasso(" + lambda + ")";
  }
}
