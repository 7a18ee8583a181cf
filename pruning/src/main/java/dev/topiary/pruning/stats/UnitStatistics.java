package dev.topiary.pruning.stats;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.ColumnMoments;
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
   * standardisation is applied).
   *
   * @throws EvaluationDataException if the data width differs from the network's input width, the data
   *     has fewer than two rows, an input is NaN or infinite, or a statistic is not finite
   */
  public static UnitStatistics gather(Network network, Dataset data, StatisticsOptions options) {
    if (data.features() != network.inputSize()) {
      throw new EvaluationDataException("evaluation data '" + data.name() + "' has " + data.features()
          + " features per row, the network reads " + network.inputSize());
    }
    return gather(network, data.x(), data.rows(), data.name(), options);
  }

  /**
   * Gathers statistics over {@code rows} raw input rows of {@code x} (row-major).
   *
   * @param source names the data in error messages
   * @throws EvaluationDataException as for {@link #gather(Network, Dataset, StatisticsOptions)}
   */
  public static UnitStatistics gather(Network network, float[] x, int rows, String source,
      StatisticsOptions options) {
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
    int threads = Math.min(options.threads(), (rows + options.batchRows() - 1) / options.batchRows());
    Accumulator total;
    if (threads <= 1) {
      total = new Accumulator(network, options);
      total.run(x, 0, rows);
    } else {
      total = parallel(network, x, rows, threads, options);
    }
    UnitStatistics s = total.result();
    s.checkFinite(source);
    return s;
  }

  private static Accumulator parallel(Network network, float[] x, int rows, int threads,
      StatisticsOptions options) {
    Accumulator[] parts = new Accumulator[threads];
    Thread[] workers = new Thread[threads];
    RuntimeException[] failure = new RuntimeException[threads];
    int per = (rows + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      int from = Math.min(rows, t * per);
      int to = Math.min(rows, from + per);
      parts[t] = new Accumulator(network, options);
      Accumulator part = parts[t];
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
      parts[0].merge(parts[t]);
    }
    return parts[0];
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

  /** One thread's forward pass and accumulators. */
  private static final class Accumulator implements ForwardPass.Observer {
    private final Network network;
    private final StatisticsOptions options;
    private final UnitLayout layout;
    private final ColumnMoments[] moments;
    private final long[][] zeros;
    private final double[][] absSums;

    Accumulator(Network network, StatisticsOptions options) {
      this.network = network;
      this.options = options;
      this.layout = UnitLayout.of(network);
      int n = layout.hidden().size();
      this.moments = new ColumnMoments[n];
      this.zeros = options.activationSummaries() ? new long[n][] : null;
      this.absSums = options.activationSummaries() ? new double[n][] : null;
      for (int i = 0; i < n; i++) {
        int w = layout.hidden().get(i).width();
        moments[i] = new ColumnMoments(w);
        if (zeros != null) {
          zeros[i] = new long[w];
          absSums[i] = new double[w];
        }
      }
    }

    void run(float[] x, int fromRow, int toRow) {
      if (toRow <= fromRow) {
        return;
      }
      ForwardPass pass = new ForwardPass(network, Math.min(options.batchRows(), toRow - fromRow));
      int in = network.inputSize();
      for (int start = fromRow; start < toRow; start += pass.maxRows()) {
        int n = Math.min(pass.maxRows(), toRow - start);
        pass.run(x, start * in, n, this);
      }
    }

    @Override
    public void hiddenOutput(HiddenLayer layer, float[] h, int rows) {
      int i = layer.index();
      moments[i].accumulate(h, rows);
      if (zeros != null) {
        // Not on the kernels: a counting pass, linear in the output size, next to a GEMM.
        int w = layer.width();
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
    }

    void merge(Accumulator other) {
      for (int i = 0; i < moments.length; i++) {
        moments[i].merge(other.moments[i]);
        if (zeros != null) {
          for (int j = 0; j < zeros[i].length; j++) {
            zeros[i][j] += other.zeros[i][j];
            absSums[i][j] += other.absSums[i][j];
          }
        }
      }
    }

    UnitStatistics result() {
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
        out.add(new LayerStatistics(layout.hidden().get(i), n, m.means(), m.stds(), zf, ma));
      }
      return new UnitStatistics(layout, out);
    }
  }
}
