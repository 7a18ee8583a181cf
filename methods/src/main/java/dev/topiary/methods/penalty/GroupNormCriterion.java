package dev.topiary.methods.penalty;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.kernels.Kernels;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * The group the group-lasso penalty shrinks: a unit's score is ‖W[j, :]‖₂, the Euclidean norm of its
 * incoming weights. After penalised training the units the penalty drove to (near) zero score lowest.
 */
public final class GroupNormCriterion implements UnitCriterion {

  /** The one instance. */
  public static final GroupNormCriterion INSTANCE = new GroupNormCriterion();

  private GroupNormCriterion() {}

  @Override
  public String name() {
    return "group-norm";
  }

  @Override
  public boolean needsStatistics() {
    return false;
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    DenseLayer d = layer.address().resolve(context.network());
    float[] norms = new float[d.outputSize()];
    Kernels.rowNorms(2, d.outputSize(), d.inputSize(), d.weight(), 0, d.inputSize(), norms, 0);
    double[] s = new double[norms.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = norms[j];
    }
    return s;
  }
}
