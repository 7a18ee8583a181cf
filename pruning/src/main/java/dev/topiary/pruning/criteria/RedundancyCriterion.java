package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.Covariance;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Redundancy of units' outputs (the correlation-matrix and cosine criteria of the pruning survey): of two
 * units whose outputs move together over the evaluation data, one is enough. Removed units are not just
 * dropped but merged into the kept unit they follow best ({@link #mergesRemovedUnits()}, see
 * {@link dev.topiary.pruning.plan.PruningPlan#mergedIntoPartners}).
 *
 * <p>The similarity s_ij of two units is |Pearson ρ| ({@link Similarity#CORRELATION}) or |cosine| of their
 * output columns ({@link Similarity#COSINE}), from the layer's covariance matrix ({@link Covariance}; a
 * constant unit has similarity 1 with every unit, being an exact affine function of any of them). The
 * scores come from a greedy elimination: among the units still in, take the most similar pair; of the
 * two, the one with the larger total similarity to the others still in is the more redundant (the higher
 * index on a tie) and goes next, with score 1 − s of that pair; repeat until one unit is left, which
 * scores 1. Since the largest similarity among fewer units can only drop, the scores rise along the
 * elimination; where they would tie they are nudged up by an ulp, so every rule that removes the k
 * lowest-scored units removes exactly the first k of the elimination, and "score ≤ ε" removes units while
 * the most similar remaining pair has similarity ≥ 1 − ε.
 *
 * @param similarity how similarity is measured
 */
public record RedundancyCriterion(Similarity similarity) implements UnitCriterion {

  /** How the similarity of two units' outputs is measured. */
  public enum Similarity {
    /** |Pearson correlation|: similarity up to an affine map, what a merge can undo exactly. */
    CORRELATION,
    /** |cosine| of the raw output columns: similarity up to a scale. */
    COSINE
  }

  /** Checks the argument. */
  public RedundancyCriterion {
    java.util.Objects.requireNonNull(similarity, "similarity");
  }

  @Override
  public String name() {
    return similarity == Similarity.CORRELATION ? "redundancy" : "redundancy-cosine";
  }

  @Override
  public StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base.withCovariance();
  }

  @Override
  public boolean mergesRemovedUnits() {
    return true;
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerStatistics s = context.requireStatistics(name(), layer);
    Covariance c = s.covariance();
    if (c == null) {
      throw new IllegalStateException("criterion '" + name() + "' needs the covariance of " + layer.address()
          + "'s outputs: gather statistics with covariances");
    }
    int w = layer.width();
    double[] sim = new double[w * w];
    for (int i = 0; i < w; i++) {
      for (int j = 0; j < w; j++) {
        sim[i * w + j] = i == j ? 0.0
            : Math.abs(similarity == Similarity.CORRELATION ? c.correlation(i, j) : c.cosine(i, j));
      }
    }
    return eliminationScores(w, sim);
  }

  /**
   * The scores of the greedy elimination over a symmetric similarity matrix (w×w row-major, the diagonal
   * ignored). Keeps, per unit, its most similar remaining unit, refreshed only when that one goes, so the
   * elimination costs O(w²) in the usual case.
   */
  static double[] eliminationScores(int w, double[] sim) {
    double[] score = new double[w];
    if (w == 0) {
      return score;
    }
    boolean[] gone = new boolean[w];
    double[] total = new double[w];
    int[] best = new int[w];
    for (int i = 0; i < w; i++) {
      for (int j = 0; j < w; j++) {
        if (j != i) {
          total[i] += sim[i * w + j];
        }
      }
      best[i] = mostSimilar(i, w, sim, gone);
    }
    double previous = Double.NEGATIVE_INFINITY;
    for (int left = w; left > 1; left--) {
      int a = -1;
      double top = -1;
      for (int i = 0; i < w; i++) {
        if (!gone[i] && sim[i * w + best[i]] > top) {
          top = sim[i * w + best[i]];
          a = i;
        }
      }
      int b = best[a];
      int r;
      if (total[a] != total[b]) {
        r = total[a] > total[b] ? a : b;
      } else {
        r = Math.max(a, b);
      }
      double sc = Math.max(1.0 - top, previous == Double.NEGATIVE_INFINITY ? 1.0 - top : Math.nextUp(previous));
      score[r] = sc;
      previous = sc;
      gone[r] = true;
      for (int i = 0; i < w; i++) {
        if (!gone[i]) {
          total[i] -= sim[i * w + r];
        }
      }
      for (int i = 0; i < w; i++) {
        if (!gone[i] && best[i] == r) {
          best[i] = mostSimilar(i, w, sim, gone);
        }
      }
    }
    for (int i = 0; i < w; i++) {
      if (!gone[i]) {
        score[i] = Math.max(1.0, previous == Double.NEGATIVE_INFINITY ? 1.0 : Math.nextUp(previous));
      }
    }
    return score;
  }

  /** The remaining unit other than i most similar to i (the lowest index on a tie), or i if none. */
  private static int mostSimilar(int i, int w, double[] sim, boolean[] gone) {
    int best = i;
    double top = -1;
    for (int j = 0; j < w; j++) {
      if (j != i && !gone[j] && sim[i * w + j] > top) {
        top = sim[i * w + j];
        best = j;
      }
    }
    return best;
  }
}
