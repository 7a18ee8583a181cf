package dev.topiary.spark;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.ColumnMoments;
import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import dev.topiary.pruning.stats.ClassMoments;
import dev.topiary.pruning.stats.Covariance;
import dev.topiary.pruning.stats.Histograms;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mergeable state of the unit-statistics pass over some of the rows: per hidden layer the row count,
 * per-unit mean and sum of squared deviations M₂, and what the options ask for beyond them (zero counts
 * and sums of |h|, minima and maxima, per-class moments, the centred co-moment matrix of each prunable
 * layer). Plain arrays, so Spark can ship it between executors and the driver.
 *
 * <p>{@link #merge} combines two such states with Chan, Golub and LeVeque's pairwise formula
 * (δ = μ_b − μ_a, n = n_a + n_b, μ = μ_a + δ·n_b/n, M₂ = M₂a + M₂b + δ²·n_a·n_b/n, and for co-moments
 * C = C_a + C_b + δδᵀ·n_a·n_b/n), which is exact in real arithmetic: the merged moments are those of the
 * union of the rows, whatever way the rows were split. Within a partition, batches go through the same
 * {@link ColumnMoments} kernels as the single-JVM pass, so the result differs from
 * {@link UnitStatistics#gather} only by float rounding.
 */
final class PartialStatistics implements Serializable {

  private static final long serialVersionUID = 1L;

  final int[] widths;
  final boolean[] prunable;
  final long[] count;
  final double[][] mean;
  final double[][] m2;
  final long[][] zeros;
  final double[][] absSum;
  final double[][] min;
  final double[][] max;
  final int classes;
  final long[][] classCount; // [layer][class]
  final double[][][] classMean; // [layer][class][unit]
  final double[][][] classM2;
  final long[] covCount;
  final double[][] covMean;
  final double[][] comoment; // [layer][w*w], null for layers without a covariance

  PartialStatistics(UnitLayout layout, StatisticsOptions options, int classes) {
    List<HiddenLayer> hidden = layout.hidden();
    int n = hidden.size();
    widths = new int[n];
    prunable = new boolean[n];
    count = new long[n];
    mean = new double[n][];
    m2 = new double[n][];
    zeros = options.activationSummaries() ? new long[n][] : null;
    absSum = options.activationSummaries() ? new double[n][] : null;
    min = options.histogramBins() > 0 ? new double[n][] : null;
    max = options.histogramBins() > 0 ? new double[n][] : null;
    this.classes = classes;
    classCount = classes > 0 ? new long[n][classes] : null;
    classMean = classes > 0 ? new double[n][classes][] : null;
    classM2 = classes > 0 ? new double[n][classes][] : null;
    covCount = options.covariance() ? new long[n] : null;
    covMean = options.covariance() ? new double[n][] : null;
    comoment = options.covariance() ? new double[n][] : null;
    for (int i = 0; i < n; i++) {
      int w = hidden.get(i).width();
      widths[i] = w;
      prunable[i] = hidden.get(i).prunable();
      mean[i] = new double[w];
      m2[i] = new double[w];
      if (zeros != null) {
        zeros[i] = new long[w];
        absSum[i] = new double[w];
      }
      if (min != null) {
        min[i] = new double[w];
        max[i] = new double[w];
        Arrays.fill(min[i], Double.POSITIVE_INFINITY);
        Arrays.fill(max[i], Double.NEGATIVE_INFINITY);
      }
      for (int c = 0; c < classes; c++) {
        classMean[i][c] = new double[w];
        classM2[i][c] = new double[w];
      }
      if (comoment != null && prunable[i]) {
        covMean[i] = new double[w];
        comoment[i] = new double[w * w];
      }
    }
  }

  /** Adds another part's rows to this one (Chan's merge) and returns this. */
  PartialStatistics merge(PartialStatistics o) {
    for (int i = 0; i < widths.length; i++) {
      count[i] = chan(count[i], mean[i], m2[i], o.count[i], o.mean[i], o.m2[i]);
      if (zeros != null) {
        for (int j = 0; j < widths[i]; j++) {
          zeros[i][j] += o.zeros[i][j];
          absSum[i][j] += o.absSum[i][j];
        }
      }
      if (min != null) {
        for (int j = 0; j < widths[i]; j++) {
          min[i][j] = Math.min(min[i][j], o.min[i][j]);
          max[i][j] = Math.max(max[i][j], o.max[i][j]);
        }
      }
      for (int c = 0; c < classes; c++) {
        classCount[i][c] = chan(classCount[i][c], classMean[i][c], classM2[i][c], o.classCount[i][c],
            o.classMean[i][c], o.classM2[i][c]);
      }
      if (comoment != null && comoment[i] != null) {
        covCount[i] = chanMatrix(covCount[i], covMean[i], comoment[i], o.covCount[i], o.covMean[i],
            o.comoment[i]);
      }
    }
    return this;
  }

  /**
   * Merges (nb, meanB, m2B) into (na, meanA, m2A) in place and returns the new count: Chan, Golub and
   * LeVeque's pairwise update, per column.
   */
  static long chan(long na, double[] meanA, double[] m2A, long nb, double[] meanB, double[] m2B) {
    if (nb == 0) {
      return na;
    }
    if (na == 0) {
      System.arraycopy(meanB, 0, meanA, 0, meanA.length);
      System.arraycopy(m2B, 0, m2A, 0, m2A.length);
      return nb;
    }
    double n = (double) na + nb;
    double f = (double) na * nb / n;
    for (int j = 0; j < meanA.length; j++) {
      double delta = meanB[j] - meanA[j];
      meanA[j] += delta * (nb / n);
      m2A[j] += m2B[j] + delta * delta * f;
    }
    return na + nb;
  }

  /** The same for a mean vector and a w×w co-moment matrix: C = C_a + C_b + δδᵀ·n_a·n_b/n. */
  static long chanMatrix(long na, double[] meanA, double[] cA, long nb, double[] meanB, double[] cB) {
    if (nb == 0) {
      return na;
    }
    int w = meanA.length;
    if (na == 0) {
      System.arraycopy(meanB, 0, meanA, 0, w);
      System.arraycopy(cB, 0, cA, 0, w * w);
      return nb;
    }
    double n = (double) na + nb;
    double f = (double) na * nb / n;
    double[] delta = new double[w];
    for (int j = 0; j < w; j++) {
      delta[j] = meanB[j] - meanA[j];
    }
    for (int i = 0; i < w; i++) {
      for (int j = 0; j < w; j++) {
        cA[i * w + j] += cB[i * w + j] + delta[i] * delta[j] * f;
      }
    }
    for (int j = 0; j < w; j++) {
      meanA[j] += delta[j] * (nb / n);
    }
    return na + nb;
  }

  /** Rows seen. */
  long rows() {
    return widths.length == 0 ? 0 : count[0];
  }

  /** The statistics of every row merged so far, with histograms when given. */
  UnitStatistics result(UnitLayout layout, long[][][] histograms) {
    List<LayerStatistics> out = new ArrayList<>();
    for (int i = 0; i < widths.length; i++) {
      int w = widths[i];
      long n = count[i];
      double[] std = new double[w];
      for (int j = 0; j < w; j++) {
        std[j] = Math.sqrt(m2[i][j] / n);
      }
      double[] zf = null;
      double[] ma = null;
      if (zeros != null) {
        zf = new double[w];
        ma = new double[w];
        for (int j = 0; j < w; j++) {
          zf[j] = (double) zeros[i][j] / n;
          ma[j] = absSum[i][j] / n;
        }
      }
      ClassMoments cm = null;
      if (classes > 0) {
        double[][] means = new double[classes][w];
        double[][] stds = new double[classes][w];
        for (int c = 0; c < classes; c++) {
          long nc = classCount[i][c];
          for (int j = 0; j < w; j++) {
            means[c][j] = nc == 0 ? Double.NaN : classMean[i][c][j];
            stds[c][j] = nc == 0 ? Double.NaN : Math.sqrt(classM2[i][c][j] / nc);
          }
        }
        cm = new ClassMoments(classCount[i], means, stds);
      }
      Histograms h = histograms == null ? null : new Histograms(min[i], max[i], histograms[i]);
      Covariance cov = null;
      if (comoment != null && comoment[i] != null) {
        double[] c = new double[w * w];
        for (int k = 0; k < c.length; k++) {
          c[k] = comoment[i][k] / covCount[i];
        }
        for (int a = 0; a < w; a++) {
          for (int b = a + 1; b < w; b++) {
            double v = 0.5 * (c[a * w + b] + c[b * w + a]);
            c[a * w + b] = v;
            c[b * w + a] = v;
          }
        }
        cov = new Covariance(w, covCount[i], covMean[i], c);
      }
      out.add(new LayerStatistics(layout.hidden().get(i), n, mean[i], std, zf, ma, cm, h, cov));
    }
    return new UnitStatistics(layout, out);
  }

  /**
   * Accumulates one partition's batches: the forward-pass observer of the first pass. Moments of each
   * batch go through {@link ColumnMoments} (SIMD sums shifted by the chunk's first row), and the
   * partition's totals are handed over as a {@link PartialStatistics}.
   */
  static final class Accumulator implements dev.topiary.pruning.units.ForwardPass.Observer {
    private final PartialStatistics part;
    private final ColumnMoments[] moments;
    private final ColumnMoments[][] perClass;
    private final float[] gathered;
    private final float[][] centred;
    private final float[][] gram;
    private int[] labels;

    Accumulator(Network network, UnitLayout layout, StatisticsOptions options, int classes, int batchRows) {
      this.part = new PartialStatistics(layout, options, classes);
      int n = part.widths.length;
      moments = new ColumnMoments[n];
      perClass = classes > 0 ? new ColumnMoments[n][classes] : null;
      centred = new float[n][];
      gram = new float[n][];
      int widest = 0;
      for (int i = 0; i < n; i++) {
        int w = part.widths[i];
        widest = Math.max(widest, w);
        moments[i] = new ColumnMoments(w);
        for (int c = 0; c < classes; c++) {
          perClass[i][c] = new ColumnMoments(w);
        }
        if (part.comoment != null && part.comoment[i] != null) {
          centred[i] = new float[batchRows * w];
          gram[i] = new float[w * w];
        }
      }
      gathered = classes > 0 ? new float[batchRows * widest] : null;
    }

    /** Labels of the batch about to run (for per-class moments); null when none are gathered. */
    void labels(int[] batchLabels) {
      this.labels = batchLabels;
    }

    @Override
    public void hiddenOutput(HiddenLayer layer, float[] h, int rows) {
      int i = layer.index();
      int w = layer.width();
      moments[i].accumulate(h, rows);
      if (part.zeros != null) {
        long[] z = part.zeros[i];
        double[] a = part.absSum[i];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < w; j++) {
            float v = h[r * w + j];
            if (v == 0f) {
              z[j]++;
            }
            a[j] += Math.abs(v);
          }
        }
      }
      if (part.min != null) {
        double[] lo = part.min[i];
        double[] hi = part.max[i];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < w; j++) {
            float v = h[r * w + j];
            lo[j] = Math.min(lo[j], v);
            hi[j] = Math.max(hi[j], v);
          }
        }
      }
      if (perClass != null) {
        for (int c = 0; c < part.classes; c++) {
          int k = 0;
          for (int r = 0; r < rows; r++) {
            if (labels[r] == c) {
              System.arraycopy(h, r * w, gathered, k * w, w);
              k++;
            }
          }
          if (k > 0) {
            perClass[i][c].accumulate(gathered, 0, k, w);
          }
        }
      }
      if (centred[i] != null) {
        accumulateCovariance(i, w, h, rows);
      }
    }

    /** Σ (h − s)(h − s)ᵀ of the batch on the kernels, s its first row, merged in double. */
    private void accumulateCovariance(int i, int w, float[] h, int rows) {
      float[] c = centred[i];
      double[] d = new double[w];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < w; j++) {
          float v = h[r * w + j] - h[j];
          c[r * w + j] = v;
          d[j] += v;
        }
      }
      Kernels.gemmTN(w, w, rows, c, 0, w, c, 0, w, gram[i], 0, w, false, Parallelism.sequential());
      double[] batchMean = new double[w];
      double[] m2 = new double[w * w];
      for (int j = 0; j < w; j++) {
        batchMean[j] = d[j] / rows;
      }
      for (int a = 0; a < w; a++) {
        for (int b = 0; b < w; b++) {
          m2[a * w + b] = gram[i][a * w + b] - rows * batchMean[a] * batchMean[b];
        }
      }
      for (int j = 0; j < w; j++) {
        batchMean[j] += h[j];
      }
      part.covCount[i] = chanMatrix(part.covCount[i], part.covMean[i], part.comoment[i], rows, batchMean, m2);
    }

    /** The partition's totals. */
    PartialStatistics finish() {
      for (int i = 0; i < moments.length; i++) {
        merge(moments[i], i, part.count, part.mean, part.m2);
        if (perClass != null) {
          for (int c = 0; c < part.classes; c++) {
            ColumnMoments m = perClass[i][c];
            long nc = m.count();
            if (nc > 0) {
              double[] mu = m.means();
              double[] q = new double[mu.length];
              for (int j = 0; j < q.length; j++) {
                q[j] = m.variance(j) * nc;
              }
              part.classCount[i][c] = chan(part.classCount[i][c], part.classMean[i][c], part.classM2[i][c], nc,
                  mu, q);
            }
          }
        }
      }
      return part;
    }

    private static void merge(ColumnMoments m, int i, long[] count, double[][] mean, double[][] m2) {
      long n = m.count();
      if (n == 0) {
        return;
      }
      double[] q = new double[m.columns()];
      for (int j = 0; j < q.length; j++) {
        q[j] = m.variance(j) * n; // M₂ back from the population variance M₂/n
      }
      count[i] = chan(count[i], mean[i], m2[i], n, m.means(), q);
    }
  }
}
