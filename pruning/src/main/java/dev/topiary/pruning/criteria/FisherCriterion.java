package dev.topiary.pruning.criteria;

import dev.topiary.pruning.stats.ClassMoments;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.units.HiddenLayer;

/**
 * Fisher's discriminant ratio of a unit's output (the LDA criterion of the pruning survey, after Tian et
 * al.): for classification, a unit whose output separates the classes is worth keeping. With n_c rows,
 * mean μ_c and population variance σ_c² of the unit in class c, N rows and overall mean μ:
 *
 * <pre>
 *   S_B = Σ_c (n_c/N)·(μ_c − μ)²      (between-class variance)
 *   S_W = Σ_c (n_c/N)·σ_c²            (within-class variance; S_B + S_W is the unit's variance)
 *   score = S_B / S_W
 * </pre>
 *
 * Classes without rows are skipped. A unit that perfectly separates the classes with zero within-class
 * variance (S_W = 0 &lt; S_B) scores {@link #SEPARATED}, a cap that keeps scores finite for the threshold
 * rules; every ratio is capped there. A unit that is constant on the data (S_B = S_W = 0) scores 0, and
 * so does a unit whose class means coincide. Needs per-class moments, gathered from the labels of a
 * classification evaluation set.
 */
public final class FisherCriterion implements UnitCriterion {

  /** The score of a perfectly separating unit, and the cap on every score. */
  public static final double SEPARATED = 1e12;

  /** The one instance; the criterion has no parameters. */
  public static final FisherCriterion INSTANCE = new FisherCriterion();

  private FisherCriterion() {}

  @Override
  public String name() {
    return "fisher";
  }

  @Override
  public StatisticsOptions requiredStatistics(StatisticsOptions base) {
    return base.withClassMoments();
  }

  @Override
  public double[] score(ScoringContext context, HiddenLayer layer) {
    LayerStatistics s = context.requireStatistics(name(), layer);
    ClassMoments m = s.classMoments();
    if (m == null) {
      throw new IllegalStateException("criterion 'fisher' needs per-class statistics: gather them with "
          + "class moments over labelled classification data");
    }
    long n = 0;
    for (int c = 0; c < m.classes(); c++) {
      n += m.count(c);
    }
    double[] out = new double[layer.width()];
    for (int j = 0; j < out.length; j++) {
      double mu = 0;
      for (int c = 0; c < m.classes(); c++) {
        if (m.count(c) > 0) {
          mu += (double) m.count(c) / n * m.mean(c, j);
        }
      }
      double between = 0;
      double within = 0;
      for (int c = 0; c < m.classes(); c++) {
        if (m.count(c) > 0) {
          double f = (double) m.count(c) / n;
          double d = m.mean(c, j) - mu;
          between += f * d * d;
          within += f * m.std(c, j) * m.std(c, j);
        }
      }
      out[j] = ratio(between, within);
    }
    return out;
  }

  /** S_B/S_W capped at {@link #SEPARATED}; 0 when S_B is 0. */
  static double ratio(double between, double within) {
    if (!(between > 0)) {
      return 0.0;
    }
    if (!(within > 0)) {
      return SEPARATED;
    }
    return Math.min(SEPARATED, between / within);
  }
}
