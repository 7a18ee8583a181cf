package dev.topiary.pruning.plan;

import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.units.LayerAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * The units to remove from one prunable layer, and why.
 *
 * @param layer the layer's address in the network the plan was made for
 * @param width the layer's number of units in that network
 * @param units the removed indices, strictly ascending, fewer than {@code width}
 * @param scores the criterion's score of each removed unit (NaN when the plan was written by hand)
 * @param means μ_j of each removed unit: the value folded into the consumer's bias in its place
 * @param reason how the units were chosen, e.g. {@code variance: score <= 0.05 (absolute)}
 */
public record LayerRemoval(LayerAddress layer, int width, int[] units, double[] scores, double[] means,
    String reason) {

  /**
   * Checks the indices and values and copies the arrays.
   *
   * @throws InvalidPlanException if an index is out of range or repeated, every unit would go, or a mean
   *     is not finite
   */
  public LayerRemoval {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(reason, "reason");
    if (width < 1) {
      throw new InvalidPlanException(layer + ": width must be >= 1, found " + width);
    }
    if (scores.length != units.length || means.length != units.length) {
      throw new InvalidPlanException(layer + ": " + units.length + " removed units but " + scores.length
          + " scores and " + means.length + " means");
    }
    units = units.clone();
    for (int i = 0; i < units.length; i++) {
      if (units[i] < 0 || units[i] >= width) {
        throw new InvalidPlanException(layer + ": unit index " + units[i] + " is out of range [0, " + width + ")");
      }
      if (i > 0 && units[i] <= units[i - 1]) {
        throw new InvalidPlanException(layer + ": unit indices must be strictly ascending, found "
            + units[i - 1] + " before " + units[i]);
      }
      if (!Double.isFinite(means[i])) {
        throw new InvalidPlanException(layer + ": the mean of unit " + units[i] + " is " + means[i]
            + "; a removed unit needs a finite mean to fold");
      }
    }
    if (units.length == width) {
      throw new InvalidPlanException(layer + ": the plan removes all " + width
          + " units, which would empty the layer; keep at least one");
    }
    scores = scores.clone();
    means = means.clone();
  }

  /**
   * A removal written by hand: the given units (any order) with the means to fold, no scores.
   *
   * @throws InvalidPlanException as the canonical constructor, and for a repeated index
   */
  public static LayerRemoval of(LayerAddress layer, int width, int[] units, double[] means) {
    if (means.length != units.length) {
      throw new InvalidPlanException(layer + ": " + units.length + " removed units but " + means.length + " means");
    }
    Integer[] order = new Integer[units.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(units[a], units[b]));
    int[] u = new int[units.length];
    double[] m = new double[units.length];
    double[] s = new double[units.length];
    for (int i = 0; i < order.length; i++) {
      u[i] = units[order[i]];
      m[i] = means[order[i]];
      s[i] = Double.NaN;
      if (i > 0 && u[i] == u[i - 1]) {
        throw new InvalidPlanException(layer + ": unit " + u[i] + " is listed twice");
      }
    }
    return new LayerRemoval(layer, width, u, s, m, "by hand");
  }

  /** A copy of the removed indices. */
  @Override
  public int[] units() {
    return units.clone();
  }

  /** A copy of the removed units' scores. */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** A copy of the removed units' means. */
  @Override
  public double[] means() {
    return means.clone();
  }

  /** Number of removed units. */
  public int count() {
    return units.length;
  }

  /** Number of units the layer keeps. */
  public int kept() {
    return width - units.length;
  }

  /** The kept indices, ascending. */
  public int[] keptUnits() {
    int[] k = new int[kept()];
    int r = 0;
    int o = 0;
    for (int j = 0; j < width; j++) {
      if (r < units.length && units[r] == j) {
        r++;
      } else {
        k[o++] = j;
      }
    }
    return k;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerRemoval r && r.layer.equals(layer) && r.width == width
        && Arrays.equals(r.units, units) && Arrays.equals(r.scores, scores) && Arrays.equals(r.means, means)
        && r.reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, width, Arrays.hashCode(units), Arrays.hashCode(means), reason);
  }

  @Override
  public String toString() {
    return "LayerRemoval[" + layer + ", remove " + units.length + " of " + width + ", " + reason + "]";
  }
}
