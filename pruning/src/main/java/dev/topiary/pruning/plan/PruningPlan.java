package dev.topiary.pruning.plan;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.stats.Covariance;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which units of which layers, and which residual blocks, to remove from a network, with the means to
 * fold in their place. An immutable value referring to the network it was made for by
 * {@link LayerAddress}; {@link dev.topiary.pruning.surgery.Surgery} applies it. A plan with no removals is
 * valid and changes nothing.
 *
 * @param layers unit removals, at most one per layer (entries removing nothing are allowed and record the
 *     decision)
 * @param blocks residual blocks to remove, at most one entry per block
 */
public record PruningPlan(List<LayerRemoval> layers, List<BlockRemoval> blocks) {

  /**
   * Copies the lists and checks that no layer or block is named twice.
   *
   * @throws InvalidPlanException if a layer or block appears twice
   */
  public PruningPlan {
    layers = List.copyOf(layers);
    blocks = List.copyOf(blocks);
    Set<LayerAddress> seen = new HashSet<>();
    for (LayerRemoval r : layers) {
      if (!seen.add(r.layer())) {
        throw new InvalidPlanException(r.layer() + " appears twice in the plan");
      }
    }
    Set<Integer> seenBlocks = new HashSet<>();
    for (BlockRemoval b : blocks) {
      if (!seenBlocks.add(b.layer())) {
        throw new InvalidPlanException("block layers[" + b.layer() + "] appears twice in the plan");
      }
    }
  }

  /** The plan that removes nothing. */
  public static PruningPlan empty() {
    return new PruningPlan(List.of(), List.of());
  }

  /** A plan of unit removals only. */
  public static PruningPlan ofLayers(List<LayerRemoval> layers) {
    return new PruningPlan(layers, List.of());
  }

  /**
   * The plan a rule's selections describe, with each removed unit's mean taken from {@code statistics}
   * (which must be of the network the scores were computed on).
   *
   * @param rule the rule that made the selections, for the recorded reason
   */
  public static PruningPlan fromSelections(List<LayerSelection> selections, UnitStatistics statistics,
      ThresholdRule rule) {
    List<LayerRemoval> out = new ArrayList<>();
    for (LayerSelection s : selections) {
      HiddenLayer layer = s.scores().layer();
      LayerStatistics st = statistics.layer(layer.address())
          .orElseThrow(() -> new InvalidPlanException("no statistics for " + layer.address()));
      if (st.width() != layer.width()) {
        throw new InvalidPlanException(layer.address() + ": statistics for " + st.width()
            + " units, scores for " + layer.width());
      }
      int[] removed = s.removed();
      double[] scores = new double[removed.length];
      double[] means = new double[removed.length];
      for (int i = 0; i < removed.length; i++) {
        scores[i] = s.scores().score(removed[i]);
        means[i] = st.mean(removed[i]);
      }
      String reason = s.scores().criterion() + ": " + rule.describe()
          + (s.keptForMinimum() ? "; highest-scored units kept to leave at least " + rule.minUnits() : "");
      out.add(new LayerRemoval(layer.address(), layer.width(), removed, scores, means, reason));
    }
    return ofLayers(out);
  }

  /**
   * The union of plans that touch disjoint layers and blocks, such as the one-layer steps of the
   * layer-by-layer schedule. Applying the union to the original network gives the same network as
   * applying the steps one after another, because a step only changes the layers after the one it prunes
   * through their bias and input columns, never their units.
   *
   * @throws InvalidPlanException if two plans name the same layer or block
   */
  public static PruningPlan union(List<PruningPlan> plans) {
    List<LayerRemoval> layers = new ArrayList<>();
    List<BlockRemoval> blocks = new ArrayList<>();
    for (PruningPlan p : plans) {
      layers.addAll(p.layers);
      blocks.addAll(p.blocks);
    }
    return new PruningPlan(layers, blocks);
  }

  /**
   * The same plan with every removed unit merged into the kept unit of its layer that it is most
   * correlated with (largest |Pearson ρ|, the lowest index among ties): h_r is replaced by the
   * least-squares line a·h_p + b fitted over the evaluation data, a = Cov(h_r, h_p)/Var(h_p) and
   * b = μ_r − a·μ_p. The partner with the largest ρ² leaves the smallest residual variance,
   * Var(h_r)·(1 − ρ²), of all single-unit lines, and every merge is at least as good on the data as mean
   * replacement (which is the line with a = 0). A unit whose best slope is 0 (constant, or uncorrelated
   * with every kept unit) stays a plain mean replacement. The merge is exact whenever h_r = a·h_p + b
   * holds exactly on every input, e.g. for a duplicated unit.
   *
   * @param statistics statistics of the network the plan was made for, with covariances
   *     ({@link dev.topiary.pruning.stats.StatisticsOptions#withCovariance()})
   * @throws InvalidPlanException if a pruned layer has no covariance in {@code statistics}
   */
  public PruningPlan mergedIntoPartners(UnitStatistics statistics) {
    List<LayerRemoval> out = new ArrayList<>();
    for (LayerRemoval r : layers) {
      if (r.count() == 0) {
        out.add(r);
        continue;
      }
      Covariance cov = statistics.layer(r.layer()).map(LayerStatistics::covariance).orElseThrow(
          () -> new InvalidPlanException(r.layer() + ": merging removed units needs the covariance of the "
              + "layer's outputs; gather statistics with covariances"));
      if (cov.width() != r.width()) {
        throw new InvalidPlanException(r.layer() + ": covariance of " + cov.width() + " units, the plan was "
            + "made for " + r.width());
      }
      int[] units = r.units();
      int[] kept = r.keptUnits();
      int[] partners = new int[units.length];
      double[] slopes = new double[units.length];
      double[] constants = new double[units.length];
      for (int i = 0; i < units.length; i++) {
        int u = units[i];
        int best = kept[0];
        double bestRho = -1;
        for (int k : kept) {
          double rho = Math.abs(cov.correlation(u, k));
          if (rho > bestRho) {
            bestRho = rho;
            best = k;
          }
        }
        double a = cov.slope(u, best);
        if (a == 0 || !Double.isFinite(a)) {
          partners[i] = -1;
          constants[i] = cov.mean(u);
        } else {
          partners[i] = best;
          slopes[i] = a;
          constants[i] = cov.intercept(u, best);
        }
      }
      out.add(r.withMerges(partners, slopes, constants));
    }
    return new PruningPlan(out, blocks);
  }

  /** The same unit removals plus the given block removals. */
  public PruningPlan withBlocks(List<BlockRemoval> more) {
    List<BlockRemoval> b = new ArrayList<>(blocks);
    b.addAll(more);
    return new PruningPlan(layers, b);
  }

  /** The removal planned for {@code layer}, if any. */
  public Optional<LayerRemoval> removal(LayerAddress layer) {
    return layers.stream().filter(r -> r.layer().equals(layer)).findFirst();
  }

  /** Total number of units removed. */
  public int removedUnits() {
    return layers.stream().mapToInt(LayerRemoval::count).sum();
  }

  /** True when the plan removes nothing. */
  public boolean isEmpty() {
    return removedUnits() == 0 && blocks.isEmpty();
  }

  /**
   * Checks that this plan fits {@code network}: every named layer is a prunable hidden layer of the stated
   * width, every named block a residual block with a mean of its width, and no units are removed inside a
   * block that is removed too.
   *
   * @throws InvalidPlanException naming the first layer or block that does not fit
   */
  public void validate(Network network) {
    UnitLayout layout = UnitLayout.of(network);
    Set<Integer> removedBlocks = new HashSet<>();
    for (BlockRemoval b : blocks) {
      if (b.layer() >= network.layers().size()
          || !(network.layers().get(b.layer()) instanceof ResidualBlock block)) {
        throw new InvalidPlanException("the plan removes block layers[" + b.layer()
            + "], which is not a residual block of " + network.describe());
      }
      if (b.folds() && b.mean().length != block.width()) {
        throw new InvalidPlanException("block layers[" + b.layer() + "]: mean has " + b.mean().length
            + " values, the block's width is " + block.width());
      }
      removedBlocks.add(b.layer());
    }
    for (LayerRemoval r : layers) {
      HiddenLayer h = layout.find(r.layer()).orElseThrow(() -> new InvalidPlanException(
          "the plan removes units of " + r.layer() + ", which is not a hidden layer of "
              + network.describe() + " (the output layer is never pruned)"));
      switch (h.role()) {
        case PRUNABLE:
          break;
        case FEEDS_RESIDUAL_STREAM:
          throw new InvalidPlanException(r.layer() + " feeds a residual stream; its units are not "
              + "removable one by one");
        case BLOCK_OUTPUT:
          throw new InvalidPlanException(r.layer() + " is the last layer of a residual block; its units are "
              + "tied to the skip connection: remove the whole block instead");
        default:
          throw new AssertionError(h.role());
      }
      if (h.width() != r.width()) {
        throw new InvalidPlanException(r.layer() + ": the plan was made for " + r.width()
            + " units, the network's layer has " + h.width());
      }
      if (r.count() > 0 && removedBlocks.contains(r.layer().layer())) {
        throw new InvalidPlanException(r.layer() + ": the plan removes units inside block layers["
            + r.layer().layer() + "], which it also removes");
      }
    }
  }
}
