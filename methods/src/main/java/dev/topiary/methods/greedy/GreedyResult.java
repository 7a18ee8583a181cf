package dev.topiary.methods.greedy;

import dev.topiary.core.model.Network;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.pruning.units.LayerAddress;
import java.util.List;

/**
 * What greedy forward selection produced.
 *
 * @param network the smaller network (the input network is untouched)
 * @param plan every removal, referring to the input network; for {@link GreedyVariant#SCALED} the
 *     consumers' weights are in addition scaled by n/|S| (see {@link #layers()})
 * @param layers one trace per pruned layer, in forward order
 * @param denseMetric the dense network's metric on the selection batch, the reference of the stopping
 *     rule
 * @param sizes units, parameters and FLOPs before and after
 * @param variant the variant that was used
 */
public record GreedyResult(Network network, PruningPlan plan, List<LayerTrace> layers, double denseMetric,
    SizeReport sizes, GreedyVariant variant) {

  /** Copies the list. */
  public GreedyResult {
    layers = List.copyOf(layers);
  }

  /** Why selection in a layer stopped. */
  public enum Stop {
    /** The subnetwork's metric reached the set fraction of the dense one. */
    METRIC,
    /** The layer's unit budget was used up. */
    BUDGET,
    /** Every unit was selected. */
    ALL_UNITS
  }

  /**
   * The selection in one layer.
   *
   * @param layer the layer's address
   * @param width its number of units before pruning
   * @param order the selected units in the order they were added
   * @param loss the batch loss after each addition
   * @param metric the batch metric after each addition
   * @param scale the factor n/|S| applied to the consumer's kept columns (1 for mean replacement)
   * @param stop why selection stopped
   */
  public record LayerTrace(LayerAddress layer, int width, int[] order, double[] loss, double[] metric,
      double scale, Stop stop) {

    /** Copies the arrays. */
    public LayerTrace {
      order = order.clone();
      loss = loss.clone();
      metric = metric.clone();
    }

    /** A copy of the selection order. */
    @Override
    public int[] order() {
      return order.clone();
    }

    /** A copy of the losses. */
    @Override
    public double[] loss() {
      return loss.clone();
    }

    /** A copy of the metrics. */
    @Override
    public double[] metric() {
      return metric.clone();
    }

    /** Number of units kept. */
    public int kept() {
      return order.length;
    }
  }
}
