package dev.topiary.methods.odf2nna;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;

/**
 * The oversized starting network of ODF2NNA: the same width in every hidden layer (seed paper §3.1, "a
 * very general topology"), either given or sized so that its parameter count is close to the number of
 * training examples, within [{@code minWidth}, {@code maxWidth}].
 *
 * @param depth number of hidden layers, ≥ 1
 * @param width units per hidden layer when {@code sizeToData} is false
 * @param activation the hidden activation
 * @param sizeToData choose the width from the data instead of {@code width}
 * @param minWidth the smallest width sizing may choose
 * @param maxWidth the largest width sizing may choose
 */
public record Architecture(int depth, int width, Activation activation, boolean sizeToData, int minWidth,
    int maxWidth) {

  /** Checks the ranges. */
  public Architecture {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, found " + depth);
    }
    if (width < 1 || minWidth < 1 || maxWidth < minWidth) {
      throw new IllegalArgumentException("widths must satisfy width >= 1 and 1 <= minWidth <= maxWidth, found "
          + width + ", " + minWidth + ", " + maxWidth);
    }
  }

  /** {@code depth} hidden layers of {@code width} units. */
  public static Architecture uniform(int depth, int width, Activation activation) {
    return new Architecture(depth, width, activation, false, 1, Math.max(1, width));
  }

  /**
   * The network {@code topiary train} builds when given none, for {@code rows} training rows of
   * {@code features} inputs: {@link dev.topiary.training.DefaultRecipe}'s widths and activation.
   *
   * @throws IllegalArgumentException if {@code rows} or {@code features} is below 1
   */
  public static Architecture defaultFor(Task task, int rows, int features) {
    dev.topiary.training.DefaultRecipe r = dev.topiary.training.DefaultRecipe.forData(task, rows, features);
    int[] hidden = r.hidden();
    return uniform(hidden.length, hidden[0], r.activation());
  }

  /** {@code depth} hidden layers sized so that parameters ≈ training examples, within the bounds. */
  public static Architecture sizedToData(int depth, Activation activation, int minWidth, int maxWidth) {
    return new Architecture(depth, minWidth, activation, true, minWidth, maxWidth);
  }

  /**
   * The hidden width for a data set with {@code inputs} features, {@code outputs} outputs and
   * {@code rows} training examples: the given width, or the largest w in the bounds with
   * in·w + w + (depth−1)·(w² + w) + w·out + out ≤ rows (at least {@code minWidth}).
   */
  public int widthFor(int inputs, int outputs, int rows) {
    if (!sizeToData) {
      return width;
    }
    int best = minWidth;
    for (int w = minWidth; w <= maxWidth; w++) {
      if (parameters(inputs, outputs, w) <= rows) {
        best = w;
      } else {
        break;
      }
    }
    return best;
  }

  /** Parameters of the uniform network of width w. */
  public long parameters(int inputs, int outputs, int w) {
    return (long) inputs * w + w + (long) (depth - 1) * ((long) w * w + w) + (long) w * outputs + outputs;
  }

  /** A freshly initialised network for the task. */
  public Network build(int inputs, Task task, int rows, long seed) {
    int w = widthFor(inputs, task.outputs(), rows);
    int[] hidden = new int[depth];
    java.util.Arrays.fill(hidden, w);
    return Network.mlp(inputs, hidden, activation, task, seed);
  }
}
