package dev.topiary.pruning.stats;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.List;
import java.util.Optional;

/**
 * Gradient summaries ({@link LayerGradients}) of every hidden layer of a network over a data set, for the
 * criteria that need back-propagation (first-order Taylor, OBD). This module never trains and so never
 * computes them: a {@link Source} does, such as {@code dev.topiary.methods.criteria.GradientStatisticsCollector}.
 *
 * @param layout the hidden layers of the network the gradients are of
 * @param layers one entry per hidden layer of {@code layout}, in forward order
 * @param loss the name of the loss ℓ that was differentiated
 */
public record GradientStatistics(UnitLayout layout, List<LayerGradients> layers, String loss) {

  /** Computes gradient statistics of a network over a data set; may be called once per pruning step. */
  @FunctionalInterface
  public interface Source {
    /**
     * The gradient statistics of {@code network} over {@code data} (raw inputs and targets).
     *
     * @throws dev.topiary.pruning.EvaluationDataException if the data does not fit the network
     */
    GradientStatistics gather(Network network, Dataset data);
  }

  /**
   * Copies the list and checks it against the layout.
   *
   * @throws IllegalArgumentException if the layers do not match the layout
   */
  public GradientStatistics {
    layers = List.copyOf(layers);
    if (layers.size() != layout.hidden().size()) {
      throw new IllegalArgumentException(layers.size() + " layer gradients for " + layout.hidden().size()
          + " hidden layers");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (!layers.get(i).layer().equals(layout.hidden().get(i))) {
        throw new IllegalArgumentException("gradients " + i + " are for " + layers.get(i).layer()
            + ", expected " + layout.hidden().get(i));
      }
    }
  }

  /** The gradients of the hidden layer at {@code address}, if there is one. */
  public Optional<LayerGradients> layer(LayerAddress address) {
    return layers.stream().filter(l -> l.layer().address().equals(address)).findFirst();
  }

  @Override
  public String toString() {
    return "GradientStatistics[" + layers.size() + " hidden layers, loss " + loss + "]";
  }
}
