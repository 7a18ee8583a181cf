package dev.topiary.pruning.stats;

import dev.topiary.pruning.units.HiddenLayer;
import java.util.Arrays;
import java.util.Objects;

/**
 * First- and second-order gradient summaries of the units of one hidden layer over a data set, with
 * h_ij the output of unit j on example i and g_ij = ∂ℓ_i/∂h_ij the derivative of example i's own loss
 * ℓ_i (not of a batch mean) with respect to it. Arrays are copied in and out.
 *
 * @param layer the hidden layer
 * @param count number of examples N
 * @param meanProduct (1/N)·Σ_i h_ij·g_ij per unit
 * @param meanAbsProduct (1/N)·Σ_i |h_ij·g_ij| per unit
 * @param meanSquaredProduct (1/N)·Σ_i (h_ij·g_ij)² per unit
 * @param meanSquaredGradient (1/N)·Σ_i g_ij² per unit: the diagonal of the empirical Fisher information
 *     of the unit's output
 */
public record LayerGradients(HiddenLayer layer, long count, double[] meanProduct, double[] meanAbsProduct,
    double[] meanSquaredProduct, double[] meanSquaredGradient) {

  /** Checks that every array has one finite value per unit, and copies them. */
  public LayerGradients {
    Objects.requireNonNull(layer, "layer");
    if (count < 1) {
      throw new IllegalArgumentException(layer.address() + ": gradient statistics need at least one example");
    }
    meanProduct = check("meanProduct", meanProduct, layer);
    meanAbsProduct = check("meanAbsProduct", meanAbsProduct, layer);
    meanSquaredProduct = check("meanSquaredProduct", meanSquaredProduct, layer);
    meanSquaredGradient = check("meanSquaredGradient", meanSquaredGradient, layer);
  }

  private static double[] check(String name, double[] a, HiddenLayer layer) {
    if (a.length != layer.width()) {
      throw new IllegalArgumentException(layer.address() + ": " + name + " has " + a.length + " values for "
          + layer.width() + " units");
    }
    for (int j = 0; j < a.length; j++) {
      if (!Double.isFinite(a[j])) {
        throw new IllegalArgumentException(layer.address() + ": " + name + " of unit " + j + " is " + a[j]);
      }
    }
    return a.clone();
  }

  /** A copy of (1/N)·Σ h·g. */
  @Override
  public double[] meanProduct() {
    return meanProduct.clone();
  }

  /** A copy of (1/N)·Σ |h·g|. */
  @Override
  public double[] meanAbsProduct() {
    return meanAbsProduct.clone();
  }

  /** A copy of (1/N)·Σ (h·g)². */
  @Override
  public double[] meanSquaredProduct() {
    return meanSquaredProduct.clone();
  }

  /** A copy of (1/N)·Σ g². */
  @Override
  public double[] meanSquaredGradient() {
    return meanSquaredGradient.clone();
  }

  /** Number of units. */
  public int width() {
    return layer.width();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerGradients g && g.layer.equals(layer) && g.count == count
        && Arrays.equals(g.meanProduct, meanProduct) && Arrays.equals(g.meanAbsProduct, meanAbsProduct)
        && Arrays.equals(g.meanSquaredProduct, meanSquaredProduct)
        && Arrays.equals(g.meanSquaredGradient, meanSquaredGradient);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, count, Arrays.hashCode(meanProduct));
  }

  @Override
  public String toString() {
    return "LayerGradients[" + layer.address() + ", " + layer.width() + " units, " + count + " examples]";
  }
}
