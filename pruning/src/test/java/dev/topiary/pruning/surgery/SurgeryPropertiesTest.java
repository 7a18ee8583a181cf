package dev.topiary.pruning.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.ReferenceForward;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.plan.BlockRemoval;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.VariancePruner;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Surgery against mean replacement, on random networks with and without residual blocks. */
class SurgeryPropertiesTest {

  /** A random plan for {@code net}: random strict subsets of each prunable layer, random block removals. */
  static PruningPlan randomPlan(Network net, UnitStatistics stats, Random r) {
    UnitLayout layout = UnitLayout.of(net);
    List<BlockRemoval> blocks = new ArrayList<>();
    Set<Integer> removedBlocks = new HashSet<>();
    for (int t : layout.residualBlocks()) {
      int c = r.nextInt(4);
      if (c == 1) {
        blocks.add(BlockRemoval.drop(t));
        removedBlocks.add(t);
      } else if (c == 2) {
        blocks.add(BlockRemoval.foldMeasured(t, stats));
        removedBlocks.add(t);
      }
    }
    List<LayerRemoval> layers = new ArrayList<>();
    for (HiddenLayer h : layout.prunable()) {
      if (removedBlocks.contains(h.address().layer()) && h.address().isInBlock()) {
        continue;
      }
      int[] units = TestNetworks.strictSubset(r, h.width());
      LayerStatistics s = stats.layer(h.address()).orElseThrow();
      double[] means = new double[units.length];
      for (int i = 0; i < units.length; i++) {
        means[i] = s.mean(units[i]);
      }
      layers.add(LayerRemoval.of(h.address(), h.width(), units, means));
    }
    return new PruningPlan(layers, blocks);
  }

  /** The reference that replaces what {@code plan} removes by its folded value. */
  static ReferenceForward meanReplacement(Network net, PruningPlan plan) {
    ReferenceForward ref = new ReferenceForward(net);
    for (LayerRemoval l : plan.layers()) {
      int[] u = l.units();
      double[] m = l.means();
      for (int i = 0; i < u.length; i++) {
        ref.replaceUnit(l.layer(), u[i], m[i]);
      }
    }
    for (BlockRemoval b : plan.blocks()) {
      int d = ((ResidualBlock) net.layers().get(b.layer())).width();
      ref.replaceBlock(b.layer(), b.folds() ? b.mean() : new double[d]);
    }
    return ref;
  }

  static float[][] snapshot(Network n) {
    List<DenseLayer> d = n.denseLayers();
    float[][] s = new float[2 * d.size()][];
    for (int i = 0; i < d.size(); i++) {
      s[2 * i] = d.get(i).weight().clone();
      s[2 * i + 1] = d.get(i).bias().clone();
    }
    return s;
  }

  @Property(tries = 300, seed = "20240611")
  void prunedNetworkComputesMeanReplacement(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 2, max = 70) int rows) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows));
    PruningPlan plan = randomPlan(net, stats, new Random(seed + 2));
    float[][] before = snapshot(net);

    Network pruned = Surgery.apply(net, plan);

    ReferenceForward ref = meanReplacement(net, plan);
    ref.assertMatches(x, rows, ForwardPass.outputs(pruned, x, rows), 4, "evaluation data");
    float[] fresh = TestNetworks.inputs(seed + 3, 17, net.inputSize());
    ref.assertMatches(fresh, 17, ForwardPass.outputs(pruned, fresh, 17), 4, "fresh inputs");
    float[][] after = snapshot(net);
    for (int i = 0; i < before.length; i++) {
      assertArrayEquals(before[i], after[i], "the input network must be left untouched");
    }
    Set<Object> shared = new HashSet<>();
    net.denseLayers().forEach(d -> { shared.add(d.weight()); shared.add(d.bias()); });
    for (DenseLayer d : pruned.denseLayers()) {
      assertTrue(!shared.contains(d.weight()) && !shared.contains(d.bias()), "no array is shared");
    }
  }

  @Property(tries = 200, seed = "7")
  void constantUnitsAreRemovedWithoutChange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual,
      @ForAll @IntRange(min = 2, max = 50) int rows) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    Random r = new Random(seed + 5);
    UnitLayout layout = UnitLayout.of(net);
    // Make a random strict subset of every prunable layer constant: zero incoming weights, or for ReLU a
    // very negative bias.
    List<int[]> constant = new ArrayList<>();
    for (HiddenLayer h : layout.prunable()) {
      DenseLayer d = h.address().resolve(net);
      int[] units = TestNetworks.strictSubset(r, h.width());
      for (int j : units) {
        if (act == Activation.RELU && r.nextBoolean()) {
          d.bias()[j] = -1e6f;
        } else {
          java.util.Arrays.fill(d.weight(), j * d.inputSize(), (j + 1) * d.inputSize(), 0f);
        }
      }
      constant.add(units);
    }
    float[] x = TestNetworks.inputs(seed + 1, rows, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, rows));
    List<LayerRemoval> removals = new ArrayList<>();
    List<HiddenLayer> prunable = layout.prunable();
    for (int i = 0; i < prunable.size(); i++) {
      HiddenLayer h = prunable.get(i);
      LayerStatistics s = stats.layer(h.address()).orElseThrow();
      int[] units = constant.get(i);
      double[] means = new double[units.length];
      for (int k = 0; k < units.length; k++) {
        assertEquals(0.0, s.std(units[k]), "a constant unit has σ = 0 exactly");
        means[k] = s.mean(units[k]);
      }
      removals.add(LayerRemoval.of(h.address(), h.width(), units, means));
    }
    Network pruned = Surgery.apply(net, PruningPlan.ofLayers(removals));

    // Replacing a constant unit by its mean changes nothing: the reference without any replacement must
    // match the pruned network, on the evaluation data and on inputs never seen.
    ReferenceForward dense = new ReferenceForward(net);
    dense.assertMatches(x, rows, ForwardPass.outputs(pruned, x, rows), 4, "evaluation data");
    float[] fresh = TestNetworks.inputs(seed + 9, 23, net.inputSize());
    dense.assertMatches(fresh, 23, ForwardPass.outputs(pruned, fresh, 23), 4, "fresh inputs");

    // The variance rule at ε = 0 removes at least these units and leaves the evaluation outputs alone.
    var result = VariancePruner.prune(net, TestNetworks.data(net, x, rows), ThresholdRule.absolute(0.0),
        Schedule.ONE_SHOT);
    for (int i = 0; i < prunable.size(); i++) {
      LayerRemoval removal = result.plan().removal(prunable.get(i).address()).orElseThrow();
      if (removal.kept() == 1 && stats.layer(removal.layer()).orElseThrow().std(removal.keptUnits()[0]) == 0) {
        continue; // every unit is constant on the data: one is kept so the layer is not emptied
      }
      int[] removed = removal.units();
      Set<Integer> set = new HashSet<>();
      for (int j : removed) {
        set.add(j);
      }
      for (int j : constant.get(i)) {
        assertTrue(set.contains(j), "unit " + j + " of " + prunable.get(i).address() + " is constant");
      }
    }
    dense.assertMatches(x, rows, ForwardPass.outputs(result.network(), x, rows), 4, "ε = 0 pruning");
  }

  @Property(tries = 100, seed = "11")
  void emptyPlanChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, 33, net.inputSize());
    float[] expected = ForwardPass.outputs(net, x, 33);
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, 33));
    // Both the plan with no entries and a plan whose entries remove nothing.
    List<LayerRemoval> nothing = new ArrayList<>();
    for (HiddenLayer h : stats.layout().prunable()) {
      nothing.add(LayerRemoval.of(h.address(), h.width(), new int[0], new double[0]));
    }
    for (PruningPlan plan : List.of(PruningPlan.empty(), PruningPlan.ofLayers(nothing))) {
      Network same = Surgery.apply(net, plan);
      assertArrayEquals(expected, ForwardPass.outputs(same, x, 33), "bit-identical outputs");
      assertEquals(net.parameterCount(), same.parameterCount());
    }
    var result = VariancePruner.prune(net, TestNetworks.data(net, x, 33), ThresholdRule.absolute(-1.0),
        Schedule.LAYER_BY_LAYER);
    assertTrue(result.plan().isEmpty());
    assertArrayEquals(expected, ForwardPass.outputs(result.network(), x, 33));
  }

  @Property(tries = 200, seed = "13")
  void countsMatchTheFormulas(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    float[] x = TestNetworks.inputs(seed + 1, 9, net.inputSize());
    UnitStatistics stats = UnitStatistics.gather(net, TestNetworks.data(net, x, 9));
    PruningPlan plan = randomPlan(net, stats, new Random(seed + 2));
    Network pruned = Surgery.apply(net, plan);

    // Widths after: n'_l = n_l − |R_l|; a layer reads what the previous one now writes; removed blocks
    // vanish. Parameters n'·m' + n'; FLOPs 2·n'·m' + n' (+ n' unless the identity) (+ d per block).
    long params = 0;
    long flops = 0;
    int width = net.inputSize();
    List<Integer> removedBlocks = plan.blocks().stream().map(BlockRemoval::layer).toList();
    List<LayerSize> expectedSizes = new ArrayList<>();
    for (int t = 0; t < net.layers().size(); t++) {
      Layer l = net.layers().get(t);
      if (l instanceof DenseLayer d) {
        int out = d.outputSize() - plan.removal(LayerAddress.top(t)).map(LayerRemoval::count).orElse(0);
        params += (long) out * width + out;
        long f = 2L * out * width + out + (d.activation() == Activation.IDENTITY ? 0 : out);
        flops += f;
        expectedSizes.add(new LayerSize(LayerAddress.top(t), d.outputSize(), out, d.parameterCount(),
            (long) out * width + out, d.flops(), f));
        width = out;
      } else if (l instanceof ResidualBlock b) {
        boolean gone = removedBlocks.contains(t);
        int w = width;
        for (int k = 0; k < b.layers().size(); k++) {
          DenseLayer d = b.layers().get(k);
          int out = gone ? 0 : d.outputSize()
              - plan.removal(LayerAddress.inBlock(t, k)).map(LayerRemoval::count).orElse(0);
          long p = gone ? 0 : (long) out * w + out;
          long f = gone ? 0 : 2L * out * w + out + (d.activation() == Activation.IDENTITY ? 0 : out);
          params += p;
          flops += f;
          expectedSizes.add(new LayerSize(LayerAddress.inBlock(t, k), d.outputSize(), out, d.parameterCount(),
              p, d.flops(), f));
          w = out;
        }
        if (!gone) {
          flops += width;
        }
      }
    }
    assertEquals(params, pruned.parameterCount());
    assertEquals(flops, pruned.flops());
    SizeReport report = SizeReport.compare(net, pruned, removedBlocks);
    assertEquals(expectedSizes, report.layers());
    assertEquals(net.parameterCount(), report.parametersBefore());
    assertEquals(params, report.parametersAfter());
    assertEquals(flops, report.flopsAfter());
  }
}
