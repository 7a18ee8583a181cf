package dev.topiary.pruning.plan;

import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.units.LayerAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * The units to remove from one prunable layer, and why.
 *
 * <p>A removed unit r is replaced either by a constant c_r (mean replacement, {@code partners[i] = -1}) or,
 * when it is merged, by an affine function of a kept partner p: h_r ↦ a_r·h_p + c_r. Surgery folds both
 * into the consumer l+1: W_{l+1}[:, p] += a_r·W_{l+1}[:, r] and b_{l+1} += W_{l+1}[:, r]·c_r, so the pruned
 * network computes exactly the dense one with every removed output so replaced. For a least-squares
 * merge (h_r ≈ a·h_p + b) the constant is the intercept b = μ_r − a·μ_p; with a = 0 that is μ_r, plain
 * mean replacement.
 *
 * @param layer the layer's address in the network the plan was made for
 * @param width the layer's number of units in that network
 * @param units the removed indices, strictly ascending, fewer than {@code width}
 * @param scores the criterion's score of each removed unit (NaN when the plan was written by hand)
 * @param means the constant c_j folded into the consumer's bias for each removed unit: its mean μ_j, or
 *     for a merged unit the intercept μ_j − a_j·μ_p
 * @param reason how the units were chosen, e.g. {@code variance: score <= 0.05 (absolute)}
 * @param partners for each removed unit the kept unit it is merged into, or -1 for mean replacement
 * @param slopes for each removed unit the slope a_j of its merge (0 when it is not merged)
 */
public record LayerRemoval(LayerAddress layer, int width, int[] units, double[] scores, double[] means,
    String reason, int[] partners, double[] slopes) {

  /** A removal by mean replacement only (no merges). */
  public LayerRemoval(LayerAddress layer, int width, int[] units, double[] scores, double[] means,
      String reason) {
    this(layer, width, units, scores, means, reason, null, null);
  }

  /**
   * Checks the indices and values and copies the arrays.
   *
   * Null {@code partners} and {@code slopes} mean no merges.
   *
   * @throws InvalidPlanException if an index is out of range or repeated, every unit would go, a mean or
   *     slope is not finite, or a partner is not a kept unit
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
    if (partners == null && slopes == null) {
      partners = new int[units.length];
      Arrays.fill(partners, -1);
      slopes = new double[units.length];
    } else if (partners == null || slopes == null || partners.length != units.length
        || slopes.length != units.length) {
      throw new InvalidPlanException(layer + ": " + units.length + " removed units need as many partners "
          + "and slopes, found " + (partners == null ? "none" : partners.length) + " and "
          + (slopes == null ? "none" : slopes.length));
    } else {
      partners = partners.clone();
      slopes = slopes.clone();
    }
    for (int i = 0; i < units.length; i++) {
      int p = partners[i];
      if (p == -1) {
        if (slopes[i] != 0) {
          throw new InvalidPlanException(layer + ": unit " + units[i] + " has slope " + slopes[i]
              + " but no partner to merge into");
        }
        continue;
      }
      if (p < 0 || p >= width) {
        throw new InvalidPlanException(layer + ": unit " + units[i] + " is merged into unit " + p
            + ", out of range [0, " + width + ")");
      }
      if (Arrays.binarySearch(units, p) >= 0) {
        throw new InvalidPlanException(layer + ": unit " + units[i] + " is merged into unit " + p
            + ", which the plan removes too; a partner must be kept");
      }
      if (!Double.isFinite(slopes[i])) {
        throw new InvalidPlanException(layer + ": unit " + units[i] + " is merged into unit " + p
            + " with slope " + slopes[i]);
      }
    }
  }

  /**
   * The same removal with the given units merged: {@code partners[i]} (a kept unit, or -1) and slope
   * {@code slopes[i]} for {@code units()[i]}, folding {@code constants[i]} in place of the mean.
   *
   * @throws InvalidPlanException as the canonical constructor
   */
  public LayerRemoval withMerges(int[] partners, double[] slopes, double[] constants) {
    return new LayerRemoval(layer, width, units, scores, constants, reason, partners, slopes);
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

  /** A copy of the partners, -1 for a unit that is not merged. */
  @Override
  public int[] partners() {
    return partners.clone();
  }

  /** A copy of the merge slopes, 0 for a unit that is not merged. */
  @Override
  public double[] slopes() {
    return slopes.clone();
  }

  /** True when at least one removed unit is merged into a partner. */
  public boolean merges() {
    for (int p : partners) {
      if (p >= 0) {
        return true;
      }
    }
    return false;
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
        && r.reason.equals(reason) && Arrays.equals(r.partners, partners) && Arrays.equals(r.slopes, slopes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, width, Arrays.hashCode(units), Arrays.hashCode(means), reason);
  }

  @Override
  public String toString() {
    return "LayerRemoval[" + layer + ", remove " + units.length + " of " + width
        + (merges() ? " (merged into partners)" : "") + ", " + reason + "]";
  }
}
