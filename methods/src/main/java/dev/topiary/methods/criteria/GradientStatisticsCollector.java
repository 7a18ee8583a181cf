package dev.topiary.methods.criteria;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.stats.GradientStatistics;
import dev.topiary.pruning.stats.LayerGradients;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.UnitLayout;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers {@link GradientStatistics} of a network over a data set by back-propagation: batch by batch,
 * a forward pass, the loss and its gradient, and a backward pass that shows every hidden layer's output
 * gradient ({@link Workspace.OutputGradientObserver}) next to the layer's outputs.
 *
 * <p>The losses of the training module return the mean over the batch's rows of a per-example loss ℓ_i,
 * so ∂ℓ_i/∂h_i is the batch gradient at row i times the number of rows; that per-example gradient g is
 * what is summarised (Σ h·g, Σ |h·g|, Σ (h·g)², Σ g², in double), whatever the batch size. Inputs are raw
 * and pass through the network's input standardisation; regression targets pass through its output
 * standardisation, as in training. The network is not changed.
 *
 * @param loss the loss ℓ to differentiate, or null for the natural loss of the network's task
 * @param batchRows rows per forward/backward batch
 */
public record GradientStatisticsCollector(Loss loss, int batchRows) implements GradientStatistics.Source {

  /** Checks the batch size. */
  public GradientStatisticsCollector {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be >= 1, found " + batchRows);
    }
  }

  /** The natural loss of the task, batches of 256 rows. */
  public static GradientStatisticsCollector defaults() {
    return new GradientStatisticsCollector(null, 256);
  }

  /**
   * The gradient statistics of every hidden layer of {@code network} over {@code data}.
   *
   * @throws EvaluationDataException if the data does not fit the network (width, task, no rows), the
   *     loss does not suit the task, or a statistic is not finite
   */
  @Override
  public GradientStatistics gather(Network network, Dataset data) {
    Loss l = loss == null ? Loss.forTask(network.task()) : loss;
    check(network, data, l);
    int rows = data.rows();
    int in = network.inputSize();
    int outs = network.outputSize();
    int batch = Math.min(batchRows, rows);
    Workspace workspace = new Workspace(network, batch);
    Gradients gradients = new Gradients(network);
    UnitLayout layout = UnitLayout.of(network);
    List<HiddenLayer> hidden = layout.hidden();
    Sums sums = new Sums(hidden, workspace);
    float[] x = new float[batch * in];
    int[] labels = data.labels() == null ? null : new int[batch];
    float[] targets = data.targets() == null ? null : new float[batch * outs];
    Standardization inScale = network.inputScaling();
    Standardization outScale = network.outputScaling();
    for (int start = 0; start < rows; start += batch) {
      int n = Math.min(batch, rows - start);
      if (inScale != null) {
        inScale.apply(data.x(), start * in, x, 0, n);
      } else {
        System.arraycopy(data.x(), start * in, x, 0, n * in);
      }
      if (labels != null) {
        System.arraycopy(data.labels(), start, labels, 0, n);
      }
      if (targets != null) {
        if (outScale != null) {
          outScale.apply(data.targets(), start * outs, targets, 0, n);
        } else {
          System.arraycopy(data.targets(), start * outs, targets, 0, n * outs);
        }
      }
      float[] out = workspace.forward(network, x, 0, n, null);
      l.evaluate(n, outs, out, labels, targets, workspace.outputGradient());
      workspace.backward(gradients, null, sums);
    }
    List<LayerGradients> layers = new ArrayList<>();
    for (HiddenLayer h : hidden) {
      layers.add(sums.result(h, rows, data.name()));
    }
    return new GradientStatistics(layout, layers, l.name());
  }

  private static void check(Network network, Dataset data, Loss loss) {
    if (data.features() != network.inputSize()) {
      throw new EvaluationDataException("data '" + data.name() + "' has " + data.features()
          + " features per row, the network reads " + network.inputSize());
    }
    if (data.rows() < 1) {
      throw new EvaluationDataException("data '" + data.name() + "' has no rows: gradient statistics need "
          + "at least one");
    }
    if (data.task().isClassification() != network.task().isClassification()
        || data.task().outputs() != network.task().outputs()) {
      throw new EvaluationDataException("data '" + data.name() + "' is for " + data.task()
          + ", the network predicts " + network.task());
    }
    if (!loss.supports(network.task())) {
      throw new EvaluationDataException("loss " + loss.name() + " does not apply to " + network.task());
    }
  }

  /** The per-unit sums of every hidden layer, filled as the backward pass goes. */
  private static final class Sums implements Workspace.OutputGradientObserver {
    private final int hiddenCount;
    private final int[] widths;
    private final Workspace workspace;
    private final double[][] product;
    private final double[][] absProduct;
    private final double[][] squaredProduct;
    private final double[][] squaredGradient;

    Sums(List<HiddenLayer> hidden, Workspace workspace) {
      this.hiddenCount = hidden.size();
      this.workspace = workspace;
      this.widths = new int[hiddenCount];
      product = new double[hiddenCount][];
      absProduct = new double[hiddenCount][];
      squaredProduct = new double[hiddenCount][];
      squaredGradient = new double[hiddenCount][];
      for (int i = 0; i < hiddenCount; i++) {
        int w = hidden.get(i).width();
        widths[i] = w;
        product[i] = new double[w];
        absProduct[i] = new double[w];
        squaredProduct[i] = new double[w];
        squaredGradient[i] = new double[w];
      }
    }

    @Override
    public void outputGradient(int denseLayer, float[] gradient, int rows) {
      if (denseLayer >= hiddenCount) {
        return; // the output layer
      }
      int w = widths[denseLayer];
      float[] h = workspace.activations(denseLayer);
      double[] p = product[denseLayer];
      double[] a = absProduct[denseLayer];
      double[] q = squaredProduct[denseLayer];
      double[] s = squaredGradient[denseLayer];
      // Not on the kernels: four per-column reductions linear in the output size, next to the GEMMs of
      // the backward pass. The batch gradient is that of the mean loss; times rows it is ∂ℓ_i/∂h.
      double perExample = rows;
      for (int r = 0; r < rows; r++) {
        int o = r * w;
        for (int j = 0; j < w; j++) {
          double g = gradient[o + j] * perExample;
          double hg = h[o + j] * g;
          p[j] += hg;
          a[j] += Math.abs(hg);
          q[j] += hg * hg;
          s[j] += g * g;
        }
      }
    }

    LayerGradients result(HiddenLayer layer, long count, String source) {
      int i = layer.index();
      double[][] all = {product[i].clone(), absProduct[i].clone(), squaredProduct[i].clone(),
          squaredGradient[i].clone()};
      for (double[] v : all) {
        for (int j = 0; j < v.length; j++) {
          v[j] /= count;
          if (!Double.isFinite(v[j])) {
            throw new EvaluationDataException("unit " + j + " of " + layer.address() + " has a non-finite "
                + "gradient statistic over '" + source + "': the network or the data holds NaN or infinite "
                + "values");
          }
        }
      }
      return new LayerGradients(layer, count, all[0], all[1], all[2], all[3]);
    }
  }
}
