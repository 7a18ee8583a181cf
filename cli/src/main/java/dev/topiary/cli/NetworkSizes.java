package dev.topiary.cli;

import dev.topiary.core.model.DenseLayer;
import java.util.Locale;

/**
 * Checks that a network can be built and trained in this JVM before any work starts: every layer's weights
 * must fit one Java array, and an estimate of the memory training takes must fit the maximum heap. A width
 * that fails either check is named in a one-line error instead of surfacing, minutes later, as a
 * {@code NegativeArraySizeException} or an {@code OutOfMemoryError}.
 *
 * <p>The estimate counts, per parameter, the weights, their gradient, the optimiser's two moments, the
 * best weights kept by early stopping and one copy for evaluation (6 floats, 24 bytes), plus the
 * activations of one batch (pre- and post-activation values and their gradients, 4 floats per unit per
 * row), plus the data already read.
 */
final class NetworkSizes {

  /** Bytes of training state per parameter. */
  static final long BYTES_PER_PARAMETER = 24;
  /** Bytes of activations and their gradients per unit per row of a batch. */
  static final long BYTES_PER_ACTIVATION = 16;

  private NetworkSizes() {}

  /**
   * Checks the chain {@code inputs → hidden… → outputs}.
   *
   * @param option the option that set the widths, named in the error (e.g. {@code --hidden})
   * @param inputs input width, or 0 when not known yet (only the hidden layers are checked then)
   * @param outputs output width, or 0 when not known yet
   * @param batch rows per training step
   * @param dataBytes memory the data takes already
   * @param maxHeap the heap's limit in bytes ({@link Runtime#maxMemory()})
   */
  static void check(String option, String widths, int inputs, int[] hidden, int outputs, int batch, long dataBytes,
      long maxHeap) {
    long parameters = 0;
    long units = 0;
    int previous = inputs;
    for (int l = 0; l <= hidden.length; l++) {
      int w = l < hidden.length ? hidden[l] : outputs;
      if (w < 1) {
        if (l < hidden.length) {
          throw new InputException(option + " widths must be at least 1, found " + widths);
        }
        continue;
      }
      if (previous > 0) {
        long weights = (long) previous * w;
        if (weights > DenseLayer.MAX_WEIGHTS) {
          throw new InputException(option + " " + widths + ": layer " + (l + 1) + " (" + Format.grouped(previous)
              + " -> " + Format.grouped(w) + ") would hold " + Format.grouped(weights) + " weights, more than a "
              + "Java array can hold (" + Format.grouped(DenseLayer.MAX_WEIGHTS) + "); use narrower layers");
        }
        parameters += weights + w;
      }
      units += w;
      previous = w;
    }
    double need = (double) parameters * BYTES_PER_PARAMETER + (double) units * batch * BYTES_PER_ACTIVATION
        + dataBytes;
    if (need > maxHeap) {
      String what = parameters > 0 ? Format.grouped(parameters) + " parameters" + (inputs > 0 ? "" : " between hidden layers")
          + " and " + Format.grouped(units) + " units" : Format.grouped(units) + " units at " + batch + " rows a batch";
      throw new InputException(String.format(Locale.ROOT, "%s %s: training needs about %s (%s), but the "
          + "Java heap can grow to %s only; use narrower layers%s", option, widths, bytes(need), what, bytes(maxHeap),
          need < 256e9 ? ", or give Java more with TOPIARY_JAVA_OPTS=-Xmx" + (long) Math.ceil(need * 1.25 / 1e9) + "g" : ""));
    }
  }

  /** A byte count for people: 1.5 GB, 300 MB. */
  static String bytes(double b) {
    if (b >= 1e12) {
      return String.format(Locale.ROOT, "%.1f TB", b / 1e12);
    }
    if (b >= 1e9) {
      return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
    }
    return String.format(Locale.ROOT, "%.0f MB", Math.max(1, b / 1e6));
  }
}
