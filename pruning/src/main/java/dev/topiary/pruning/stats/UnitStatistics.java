package dev.topiary.pruning.stats;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.ColumnMoments;
import dev.topiary.kernels.Kernels;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-unit statistics of every hidden layer of a network over an evaluation set (ODF2NNA §3.2: the mean
 * μ_j and standard deviation σ_j of each unit's post-activation output), gathered in one forward pass
 * over all layers at once, batch by batch.
 *
 * <p>Moments are kept by {@link ColumnMoments}: each batch is reduced around its first row and merged
 * with Chan, Golub and LeVeque's formula, so outputs with a large mean and a tiny spread keep their σ.
 * σ is the population standard deviation (divisor n). Statistics cover every hidden layer, prunable or not
 * (the last layer of a residual chain gives the mean of f(h), which folding a removed block needs).
 *
 * <p>On request ({@link StatisticsOptions}) the same pass also gathers, per unit, the fraction of exact
 * zeros and the mean |h_j| (APoZ, mean activation), the mean and σ within each class of labelled data
 * (Fisher), and per prunable layer the covariance matrix of its outputs (redundancy, merging); histograms
 * (entropy) take a second pass over the ranges the first one found.
 *
 * <p>At least two rows are required: with one row every σ is 0 and every unit would look constant, so
 * gathering refuses rather than let a variance rule remove everything it is allowed to.
 */
public final class UnitStatistics {

  private final UnitLayout layout;
  private final List<LayerStatistics> layers;
  private final long rows;

  /**
   * Statistics assembled from per-layer values, one per hidden layer of {@code layout} in order.
   *
   * @throws IllegalArgumentException if the layers do not match the layout
   */
  public UnitStatistics(UnitLayout layout, List<LayerStatistics> layers) {
    if (layers.size() != layout.hidden().size()) {
      throw new IllegalArgumentException(layers.size() + " layer statistics for "
          + layout.hidden().size() + " hidden layers");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (!layers.get(i).layer().equals(layout.hidden().get(i))) {
        throw new IllegalArgumentException("statistics " + i + " are for " + layers.get(i).layer()
            + ", expected " + layout.hidden().get(i));
      }
    }
    this.layout = layout;
    this.layers = List.copyOf(layers);
    this.rows = layers.isEmpty() ? 0 : layers.get(0).count();
  }

  /** Gathers statistics of {@code network} over the inputs of {@code data} with default options. */
  public static UnitStatistics gather(Network network, Dataset data) {
    return gather(network, data, StatisticsOptions.defaults());
  }

  /**
   * Gathers statistics of {@code network} over the raw inputs of {@code data} (the network's input
   * standardisation is applied). Per-class moments, when asked for, come from the labels of a
   * classification data set; for unlabelled data none are gathered.
   *
   * @throws EvaluationDataException if the data width differs from the network's input width, the data
   *     has fewer than two rows, an input is NaN or infinite, or a statistic is not finite
   */
  public static UnitStatistics gather(Network network, Dataset data, StatisticsOptions options) {
    if (data.features() != network.inputSize()) {
      throw new EvaluationDataException("evaluation data '" + data.name() + "' has " + data.features()
          + " features per row, the network reads " + network.inputSize());
    }
    boolean labelled = data.task().isClassification() && data.labels() != null;
    return gather(network, data.x(), labelled ? data.labels() : null,
        labelled ? data.task().classes() : 0, data.rows(), data.name(), options);
  }

  /**
   * Gathers statistics over {@code rows} raw input rows of {@code x} (row-major), without labels.
   *
   * @param source names the data in error messages
   * @throws EvaluationDataException as for {@link #gather(Network, Dataset, StatisticsOptions)}
   */
  public static UnitStatistics gather(Network network, float[] x, int rows, String source,
      StatisticsOptions options) {
    return gather(network, x, null, 0, rows, source, options);
  }

  /**
   * Gathers statistics over {@code rows} raw input rows of {@code x} (row-major) with one class label in
   * [0, classes) per row, used for per-class moments when {@link StatisticsOptions#classMoments()} is set.
   *
   * @param labels one label per row, or null for unlabelled data
   * @param source names the data in error messages
   * @throws EvaluationDataException as for {@link #gather(Network, Dataset, StatisticsOptions)}, and for
   *     labels that do not fit
   */
  public static UnitStatistics gather(Network network, float[] x, int[] labels, int classes, int rows,
      String source, StatisticsOptions options) {
    int in = network.inputSize();
    if (rows < 2) {
      throw new EvaluationDataException("evaluation data '" + source + "' has " + rows
          + " row" + (rows == 1 ? "" : "s") + ": unit standard deviations need at least 2 rows");
    }
    if (x.length != (long) rows * in) {
      throw new EvaluationDataException("evaluation data '" + source + "' has " + x.length
          + " values, expected " + rows + " rows x " + in + " features");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        // Checked here because a ReLU maps NaN to 0 and would hide it from the statistics.
        throw new EvaluationDataException("evaluation data '" + source + "' row " + i / in + ", feature "
            + i % in + " is " + x[i] + "; unit statistics need finite inputs");
      }
    }
    if (labels != null) {
      if (labels.length != rows) {
        throw new EvaluationDataException("evaluation data '" + source + "' has " + labels.length
            + " labels for " + rows + " rows");
      }
      for (int i = 0; i < rows; i++) {
        if (labels[i] < 0 || labels[i] >= classes) {
          throw new EvaluationDataException("evaluation data '" + source + "' row " + i + " has label "
              + labels[i] + ", outside [0, " + classes + ")");
        }
      }
    }
    int[] perClass = options.classMoments() ? labels : null;
    int threads = Math.min(options.threads(), (rows + options.batchRows() - 1) / options.batchRows());
    Accumulator total = runParts(network, x, rows, threads, options,
        () -> new Accumulator(network, options, perClass, classes));
    Histogrammer hist = null;
    if (options.histogramBins() > 0) {
      // The second pass: bins span each unit's [min, max], known only now.
      double[][] lo = total.min;
      double[][] hi = total.max;
      hist = runParts(network, x, rows, threads, options,
          () -> new Histogrammer(network, options.batchRows(), options.histogramBins(), lo, hi));
    }
    UnitStatistics s = total.result(hist);
    s.checkFinite(source);
    return s;
  }

  /** One thread's share of a pass: a forward-pass observer whose sums merge in row order. */
  private abstract static class Part<P extends Part<P>> implements ForwardPass.Observer {
    final Network network;
    final int batchRows;
    int batchStart;

    Part(Network network, int batchRows) {
      this.network = network;
      this.batchRows = batchRows;
    }

    void run(float[] x, int fromRow, int toRow) {
      if (toRow <= fromRow) {
        return;
      }
      ForwardPass pass = new ForwardPass(network, Math.min(batchRows, toRow - fromRow));
      int in = network.inputSize();
      for (int start = fromRow; start < toRow; start += pass.maxRows()) {
        int n = Math.min(pass.maxRows(), toRow - start);
        batchStart = start;
        pass.run(x, start * in, n, this);
      }
    }

    abstract void merge(P other);
  }

  private static <P extends Part<P>> P runParts(Network network, float[] x, int rows, int threads,
      StatisticsOptions options, java.util.function.Supplier<P> factory) {
    if (threads <= 1) {
      P p = factory.get();
      p.run(x, 0, rows);
      return p;
    }
    List<P> parts = new ArrayList<>();
    Thread[] workers = new Thread[threads];
    RuntimeException[] failure = new RuntimeException[threads];
    int per = (rows + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      int from = Math.min(rows, t * per);
      int to = Math.min(rows, from + per);
      P part = factory.get();
      parts.add(part);
      int k = t;
      workers[t] = new Thread(() -> {
        try {
          part.run(x, from, to);
        } catch (RuntimeException e) {
          failure[k] = e;
        }
      }, "topiary-unit-statistics-" + t);
      workers[t].start();
    }
    for (Thread w : workers) {
      try {
        w.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while gathering unit statistics", e);
      }
    }
    for (RuntimeException e : failure) {
      if (e != null) {
        throw e;
      }
    }
    for (int t = 1; t < threads; t++) {
      parts.get(0).merge(parts.get(t));
    }
    return parts.get(0);
  }

  private void checkFinite(String source) {
    for (LayerStatistics l : layers) {
      for (int j = 0; j < l.width(); j++) {
        if (!Double.isFinite(l.mean(j)) || !Double.isFinite(l.std(j))) {
          throw new EvaluationDataException("unit " + j + " of " + l.layer().address() + " has mean "
              + l.mean(j) + " and standard deviation " + l.std(j) + " over '" + source
              + "': the network or the data holds NaN or infinite values");
        }
      }
    }
  }

  /** The hidden layers these statistics describe. */
  public UnitLayout layout() {
    return layout;
  }

  /** Statistics of every hidden layer, in forward order. */
  public List<LayerStatistics> layers() {
    return layers;
  }

  /** Statistics of the prunable layers, in forward order. */
  public List<LayerStatistics> prunableLayers() {
    return layers.stream().filter(l -> l.layer().prunable()).toList();
  }

  /** Statistics of the hidden layer at {@code address}, if there is one. */
  public Optional<LayerStatistics> layer(LayerAddress address) {
    return layers.stream().filter(l -> l.layer().address().equals(address)).findFirst();
  }

  /** Number of evaluation rows. */
  public long rows() {
    return rows;
  }

  @Override
  public String toString() {
    return "UnitStatistics[" + layers.size() + " hidden layers, " + rows + " rows]";
  }

  /** One thread's accumulators of the first pass. */
  private static final class Accumulator extends Part<Accumulator> {
    private final StatisticsOptions options;
    private final UnitLayout layout;
    private final ColumnMoments[] moments;
    private final long[][] zeros;
    private final double[][] absSums;
    private final int[] labels;
    private final int classes;
    private final ColumnMoments[][] classMoments;
    private final float[] gathered;
    final double[][] min;
    final double[][] max;
    private final CovarianceSums[] covariance;

    Accumulator(Network network, StatisticsOptions options, int[] labels, int classes) {
      super(network, options.batchRows());
      this.options = options;
      this.layout = UnitLayout.of(network);
      this.labels = labels;
      this.classes = classes;
      List<HiddenLayer> hidden = layout.hidden();
      int n = hidden.size();
      this.moments = new ColumnMoments[n];
      this.zeros = options.activationSummaries() ? new long[n][] : null;
      this.absSums = options.activationSummaries() ? new double[n][] : null;
      this.classMoments = labels != null ? new ColumnMoments[n][classes] : null;
      this.min = options.histogramBins() > 0 ? new double[n][] : null;
      this.max = options.histogramBins() > 0 ? new double[n][] : null;
      this.covariance = options.covariance() ? new CovarianceSums[n] : null;
      int widest = 0;
      for (int i = 0; i < n; i++) {
        int w = hidden.get(i).width();
        widest = Math.max(widest, w);
        moments[i] = new ColumnMoments(w);
        if (zeros != null) {
          zeros[i] = new long[w];
          absSums[i] = new double[w];
        }
        if (classMoments != null) {
          for (int c = 0; c < classes; c++) {
            classMoments[i][c] = new ColumnMoments(w);
          }
        }
        if (min != null) {
          min[i] = new double[w];
          max[i] = new double[w];
          java.util.Arrays.fill(min[i], Double.POSITIVE_INFINITY);
          java.util.Arrays.fill(max[i], Double.NEGATIVE_INFINITY);
        }
        if (covariance != null && hidden.get(i).prunable()) {
          covariance[i] = new CovarianceSums(w, options.batchRows());
        }
      }
      this.gathered = classMoments != null ? new float[options.batchRows() * widest] : null;
    }

    @Override
    public void hiddenOutput(HiddenLayer layer, float[] h, int rows) {
      int i = layer.index();
      int w = layer.width();
      moments[i].accumulate(h, rows);
      if (zeros != null) {
        // Not on the kernels: a counting pass, linear in the output size, next to a GEMM.
        long[] z = zeros[i];
        double[] a = absSums[i];
        for (int r = 0; r < rows; r++) {
          int o = r * w;
          for (int j = 0; j < w; j++) {
            float v = h[o + j];
            if (v == 0f) {
              z[j]++;
            }
            a[j] += Math.abs(v);
          }
        }
      }
      if (min != null) {
        double[] lo = min[i];
        double[] hi = max[i];
        for (int r = 0; r < rows; r++) {
          int o = r * w;
          for (int j = 0; j < w; j++) {
            float v = h[o + j];
            if (v < lo[j]) {
              lo[j] = v;
            }
            if (v > hi[j]) {
              hi[j] = v;
            }
          }
        }
      }
      if (classMoments != null) {
        // Gather each class's rows of the batch into one block and add it to that class's moments.
        for (int c = 0; c < classes; c++) {
          int k = 0;
          for (int r = 0; r < rows; r++) {
            if (labels[batchStart + r] == c) {
              System.arraycopy(h, r * w, gathered, k * w, w);
              k++;
            }
          }
          if (k > 0) {
            classMoments[i][c].accumulate(gathered, 0, k, w);
          }
        }
      }
      if (covariance != null && covariance[i] != null) {
        covariance[i].accumulate(h, rows);
      }
    }

    @Override
    void merge(Accumulator other) {
      for (int i = 0; i < moments.length; i++) {
        moments[i].merge(other.moments[i]);
        if (zeros != null) {
          for (int j = 0; j < zeros[i].length; j++) {
            zeros[i][j] += other.zeros[i][j];
            absSums[i][j] += other.absSums[i][j];
          }
        }
        if (classMoments != null) {
          for (int c = 0; c < classes; c++) {
            classMoments[i][c].merge(other.classMoments[i][c]);
          }
        }
        if (min != null) {
          for (int j = 0; j < min[i].length; j++) {
            min[i][j] = Math.min(min[i][j], other.min[i][j]);
            max[i][j] = Math.max(max[i][j], other.max[i][j]);
          }
        }
        if (covariance != null && covariance[i] != null) {
          covariance[i].merge(other.covariance[i]);
        }
      }
    }

    UnitStatistics result(Histogrammer hist) {
      List<LayerStatistics> out = new ArrayList<>();
      for (int i = 0; i < moments.length; i++) {
        ColumnMoments m = moments[i];
        long n = m.count();
        double[] zf = null;
        double[] ma = null;
        if (zeros != null) {
          zf = new double[zeros[i].length];
          ma = new double[zeros[i].length];
          for (int j = 0; j < zf.length; j++) {
            zf[j] = (double) zeros[i][j] / n;
            ma[j] = absSums[i][j] / n;
          }
        }
        ClassMoments cm = null;
        if (classMoments != null) {
          long[] counts = new long[classes];
          double[][] means = new double[classes][];
          double[][] stds = new double[classes][];
          for (int c = 0; c < classes; c++) {
            counts[c] = classMoments[i][c].count();
            means[c] = classMoments[i][c].means();
            stds[c] = classMoments[i][c].stds();
          }
          cm = new ClassMoments(counts, means, stds);
        }
        Histograms h = hist == null ? null : new Histograms(min[i], max[i], hist.counts[i]);
        Covariance cov = covariance == null || covariance[i] == null ? null : covariance[i].result();
        out.add(new LayerStatistics(layout.hidden().get(i), n, m.means(), m.stds(), zf, ma, cm, h, cov));
      }
      return new UnitStatistics(layout, out);
    }
  }

  /** The second pass: per-unit histograms over the ranges the first pass found. */
  private static final class Histogrammer extends Part<Histogrammer> {
    private final int bins;
    private final double[][] lo;
    private final double[][] hi;
    final long[][][] counts;

    Histogrammer(Network network, int batchRows, int bins, double[][] lo, double[][] hi) {
      super(network, batchRows);
      this.bins = bins;
      this.lo = lo;
      this.hi = hi;
      this.counts = new long[lo.length][][];
      for (int i = 0; i < lo.length; i++) {
        counts[i] = new long[lo[i].length][bins];
      }
    }

    @Override
    public void hiddenOutput(HiddenLayer layer, float[] h, int rows) {
      int i = layer.index();
      int w = layer.width();
      long[][] c = counts[i];
      for (int r = 0; r < rows; r++) {
        int o = r * w;
        for (int j = 0; j < w; j++) {
          c[j][Histograms.bin(h[o + j], lo[i][j], hi[i][j], bins)]++;
        }
      }
    }

    @Override
    void merge(Histogrammer other) {
      for (int i = 0; i < counts.length; i++) {
        for (int j = 0; j < counts[i].length; j++) {
          for (int b = 0; b < bins; b++) {
            counts[i][j][b] += other.counts[i][j][b];
          }
        }
      }
    }
  }

  /**
   * Co-moments of one layer's outputs: per batch Σ (h − s)(h − s)ᵀ on the kernels (s the batch's first
   * row), turned into the batch's mean and centred co-moment in double and merged across batches and
   * threads with Chan, Golub and LeVeque's pairwise formula C = C_a + C_b + δδᵀ·n_a·n_b/n.
   */
  private static final class CovarianceSums {
    private final int w;
    private final float[] centred;
    private final float[] gram;
    private final float[] shift;
    private final double[] mean;
    private final double[] comoment;
    private final double[] batchMean;
    private long count;

    CovarianceSums(int w, int batchRows) {
      this.w = w;
      this.centred = new float[batchRows * w];
      this.gram = new float[w * w];
      this.shift = new float[w];
      this.mean = new double[w];
      this.comoment = new double[w * w];
      this.batchMean = new double[w];
    }

    void accumulate(float[] h, int rows) {
      System.arraycopy(h, 0, shift, 0, w);
      for (int r = 0; r < rows; r++) {
        int o = r * w;
        for (int j = 0; j < w; j++) {
          centred[o + j] = h[o + j] - shift[j];
        }
      }
      Kernels.gemmTN(w, w, rows, centred, 0, w, centred, 0, w, gram, 0, w, false);
      for (int j = 0; j < w; j++) {
        batchMean[j] = 0;
      }
      for (int r = 0; r < rows; r++) {
        int o = r * w;
        for (int j = 0; j < w; j++) {
          batchMean[j] += centred[o + j];
        }
      }
      double[] d = new double[w];
      for (int j = 0; j < w; j++) {
        d[j] = batchMean[j] / rows; // mean of h − s
      }
      double[] m2 = new double[w * w];
      for (int i = 0; i < w; i++) {
        for (int j = 0; j < w; j++) {
          m2[i * w + j] = gram[i * w + j] - rows * d[i] * d[j];
        }
      }
      for (int j = 0; j < w; j++) {
        d[j] += shift[j];
      }
      add(rows, d, m2);
    }

    private void add(long nb, double[] meanB, double[] m2B) {
      long na = count;
      if (nb == 0) {
        return;
      }
      if (na == 0) {
        System.arraycopy(meanB, 0, mean, 0, w);
        System.arraycopy(m2B, 0, comoment, 0, w * w);
        count = nb;
        return;
      }
      double n = (double) na + nb;
      double f = (double) na * nb / n;
      double[] delta = new double[w];
      for (int j = 0; j < w; j++) {
        delta[j] = meanB[j] - mean[j];
      }
      for (int i = 0; i < w; i++) {
        for (int j = 0; j < w; j++) {
          comoment[i * w + j] += m2B[i * w + j] + delta[i] * delta[j] * f;
        }
      }
      for (int j = 0; j < w; j++) {
        mean[j] += delta[j] * (nb / n);
      }
      count += nb;
    }

    void merge(CovarianceSums other) {
      add(other.count, other.mean, other.comoment);
    }

    Covariance result() {
      double[] c = new double[w * w];
      for (int k = 0; k < c.length; k++) {
        c[k] = comoment[k] / count;
      }
      // Symmetric by construction up to the GEMM's summation order; make it exactly so.
      for (int i = 0; i < w; i++) {
        for (int j = i + 1; j < w; j++) {
          double v = 0.5 * (c[i * w + j] + c[j * w + i]);
          c[i * w + j] = v;
          c[j * w + i] = v;
        }
      }
      return new Covariance(w, count, mean, c);
    }
  }
}
