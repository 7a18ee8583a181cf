package dev.topiary.methods.penalty;

import dev.topiary.training.regularize.Regularizer;
import java.util.List;

/**
 * A sparsity-inducing penalty added to the training loss before units are removed.
 *
 * @param kind which penalty
 * @param lambda the coefficient of the L1 or group term
 * @param lambda2 the coefficient of the L2 term of the elastic net (0 otherwise)
 */
public record Penalty(Kind kind, double lambda, double lambda2) {

  /** The penalties of seed {@code 002}. */
  public enum Kind {
    /** λ·Σ|w| (lasso). */
    L1,
    /** λ·Σ_units ‖W[j, :]‖₂ over hidden units (Yuan &amp; Lin 2006; Wen et al. 2016). */
    GROUP_LASSO,
    /** λ·Σ|w| + (λ₂/2)·Σw² (Zou &amp; Hastie 2005). */
    ELASTIC_NET
  }

  /** Checks the coefficients. */
  public Penalty {
    java.util.Objects.requireNonNull(kind, "kind");
    Regularizer.checkLambda(kind.name(), lambda);
    Regularizer.checkLambda(kind.name() + " L2", lambda2);
  }

  /** L1 with coefficient λ. */
  public static Penalty l1(double lambda) {
    return new Penalty(Kind.L1, lambda, 0);
  }

  /** Group lasso over hidden units with coefficient λ. */
  public static Penalty groupLasso(double lambda) {
    return new Penalty(Kind.GROUP_LASSO, lambda, 0);
  }

  /** Elastic net with coefficients λ₁ (L1) and λ₂ (L2). */
  public static Penalty elasticNet(double lambda1, double lambda2) {
    return new Penalty(Kind.ELASTIC_NET, lambda1, lambda2);
  }

  /** The regularisers the trainer adds. */
  public List<Regularizer> regularizers() {
    return switch (kind) {
      case L1 -> List.of(Regularizer.l1(lambda));
      case GROUP_LASSO -> List.of(Regularizer.groupLasso(lambda));
      case ELASTIC_NET -> List.of(Regularizer.l1(lambda), Regularizer.l2(lambda2));
    };
  }
}
