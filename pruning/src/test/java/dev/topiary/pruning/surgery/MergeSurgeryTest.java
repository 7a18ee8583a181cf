package dev.topiary.pruning.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.ReferenceForward;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.plan.LayerRemoval;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.units.ForwardPass;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Surgery of merge removals against replacement of each merged unit by its line on the partner. */
class MergeSurgeryTest {

  @Property(tries = 200, seed = "29")
  void mergedNetworkComputesAffineReplacement(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
      @ForAll @IntRange(min = 1, max = 40) int maxWidth, @ForAll Activation act, @ForAll boolean residual) {
    Network net = TestNetworks.random(seed, depth, maxWidth, act, residual);
    Random r = new Random(seed + 2);
    List<LayerRemoval> removals = new ArrayList<>();
    ReferenceForward ref = new ReferenceForward(net);
    for (HiddenLayer h : UnitLayout.of(net).prunable()) {
      int[] units = TestNetworks.strictSubset(r, h.width());
      LayerRemoval plain = LayerRemoval.of(h.address(), h.width(), units, new double[units.length]);
      int[] kept = plain.keptUnits();
      int[] partners = new int[units.length];
      double[] slopes = new double[units.length];
      double[] constants = new double[units.length];
      for (int i = 0; i < units.length; i++) {
        constants[i] = 2 * r.nextDouble() - 1;
        if (r.nextInt(4) == 0) {
          partners[i] = -1; // mean replacement by the constant
          ref.replaceUnit(h.address(), units[i], constants[i]);
        } else {
          partners[i] = kept[r.nextInt(kept.length)]; // several units may share a partner
          slopes[i] = 4 * r.nextDouble() - 2;
          ref.replaceUnitAffine(h.address(), units[i], partners[i], slopes[i], constants[i]);
        }
      }
      removals.add(plain.withMerges(partners, slopes, constants));
    }
    Network pruned = Surgery.apply(net, PruningPlan.ofLayers(removals));
    float[] x = TestNetworks.inputs(seed + 1, 31, net.inputSize());
    ref.assertMatches(x, 31, ForwardPass.outputs(pruned, x, 31), 4, "merged network");
  }

  @Test
  void aPartnerMustBeKept() {
    LayerAddress a = LayerAddress.top(0);
    LayerRemoval plain = LayerRemoval.of(a, 5, new int[] {1, 3}, new double[2]);
    InvalidPlanException e = assertThrows(InvalidPlanException.class,
        () -> plain.withMerges(new int[] {3, -1}, new double[] {1, 0}, new double[2]));
    assertTrue(e.getMessage().contains("unit 1 is merged into unit 3, which the plan removes too"),
        e.getMessage());
    e = assertThrows(InvalidPlanException.class,
        () -> plain.withMerges(new int[] {5, -1}, new double[] {1, 0}, new double[2]));
    assertTrue(e.getMessage().contains("out of range [0, 5)"), e.getMessage());
    e = assertThrows(InvalidPlanException.class,
        () -> plain.withMerges(new int[] {-1, 0}, new double[] {0.5, 1}, new double[2]));
    assertTrue(e.getMessage().contains("has slope 0.5 but no partner"), e.getMessage());
    e = assertThrows(InvalidPlanException.class,
        () -> plain.withMerges(new int[] {0, 0}, new double[] {Double.NaN, 1}, new double[2]));
    assertTrue(e.getMessage().contains("with slope NaN"), e.getMessage());
    LayerRemoval ok = plain.withMerges(new int[] {0, 4}, new double[] {2, -1}, new double[] {0.5, 0});
    assertTrue(ok.merges());
    assertEquals(0.5, ok.means()[0]);
    assertTrue(!plain.merges());
  }
}
