package dev.topiary.pruning.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.EvaluationDataException;
import dev.topiary.pruning.InvalidPlanException;
import dev.topiary.pruning.PruningException;
import dev.topiary.pruning.TestNetworks;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.VariancePruner;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.surgery.Surgery;
import dev.topiary.pruning.units.HiddenLayer;
import dev.topiary.pruning.units.LayerAddress;
import dev.topiary.pruning.units.UnitLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every way a plan or evaluation set can be wrong gives a typed exception that says what and where. */
class PlanErrorsTest {

  /**
   * Dense(4→5 relu) feeding a block [Dense(5→3 relu), Dense(3→5)], then Dense(5→6 relu) and the output
   * Dense(6→2): layers[0] feeds the stream, layers[1].f[0] and layers[2] are prunable, layers[1].f[1] is
   * the block output, layers[3] the output layer.
   */
  static Network network() {
    Random r = new Random(3);
    List<Layer> layers = List.of(
        TestNetworks.dense(r, 4, 5, Activation.RELU),
        new ResidualBlock(List.of(TestNetworks.dense(r, 5, 3, Activation.RELU),
            TestNetworks.dense(r, 3, 5, Activation.IDENTITY))),
        TestNetworks.dense(r, 5, 6, Activation.RELU),
        TestNetworks.dense(r, 6, 2, Activation.IDENTITY));
    return new Network(4, layers, Task.regression(2), null, null);
  }

  static <T extends PruningException> void assertMessage(Class<T> type, Executable e, String... parts) {
    T ex = assertThrows(type, e);
    for (String p : parts) {
      assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' should contain '" + p + "'");
    }
  }

  static PruningPlan remove(LayerAddress a, int width, int... units) {
    return PruningPlan.ofLayers(List.of(LayerRemoval.of(a, width, units, new double[units.length])));
  }

  @Test
  void layoutOfTheTestNetwork() {
    List<HiddenLayer> h = UnitLayout.of(network()).hidden();
    assertEquals(List.of(HiddenLayer.Role.FEEDS_RESIDUAL_STREAM, HiddenLayer.Role.PRUNABLE,
        HiddenLayer.Role.BLOCK_OUTPUT, HiddenLayer.Role.PRUNABLE), h.stream().map(HiddenLayer::role).toList());
  }

  @Test
  void aPlanThatEmptiesALayerIsRefused() {
    assertMessage(InvalidPlanException.class,
        () -> LayerRemoval.of(LayerAddress.top(2), 3, new int[] {2, 0, 1}, new double[3]),
        "layers[2]", "removes all 3 units", "empty");
  }

  @Test
  void unitIndicesOutOfRangeOrRepeatedAreRefused() {
    assertMessage(InvalidPlanException.class,
        () -> LayerRemoval.of(LayerAddress.top(2), 6, new int[] {6}, new double[1]),
        "layers[2]", "unit index 6 is out of range [0, 6)");
    assertMessage(InvalidPlanException.class,
        () -> LayerRemoval.of(LayerAddress.top(2), 6, new int[] {-1}, new double[1]), "unit index -1");
    assertMessage(InvalidPlanException.class,
        () -> LayerRemoval.of(LayerAddress.top(2), 6, new int[] {1, 1}, new double[2]), "unit 1 is listed twice");
    assertMessage(InvalidPlanException.class,
        () -> LayerRemoval.of(LayerAddress.top(2), 6, new int[] {1}, new double[] {Double.NaN}),
        "mean of unit 1 is NaN");
  }

  @Test
  void aPlanMustFitItsNetwork() {
    Network net = network();
    assertMessage(InvalidPlanException.class, () -> Surgery.apply(net, remove(LayerAddress.top(2), 7, 1)),
        "layers[2]", "made for 7 units", "has 6");
    assertMessage(InvalidPlanException.class, () -> Surgery.apply(net, remove(LayerAddress.top(3), 2, 1)),
        "layers[3]", "output layer is never pruned");
    assertMessage(InvalidPlanException.class,
        () -> Surgery.apply(net, remove(LayerAddress.inBlock(1, 1), 5, 0)), "layers[1].f[1]",
        "last layer of a residual block", "remove the whole block");
    assertMessage(InvalidPlanException.class, () -> Surgery.apply(net, remove(LayerAddress.top(0), 5, 0)),
        "layers[0]", "feeds a residual stream");
    assertMessage(InvalidPlanException.class,
        () -> Surgery.apply(net, new PruningPlan(List.of(), List.of(BlockRemoval.drop(2)))),
        "layers[2]", "not a residual block");
    assertMessage(InvalidPlanException.class,
        () -> Surgery.apply(net, new PruningPlan(List.of(), List.of(BlockRemoval.fold(1, new double[4])))),
        "layers[1]", "mean has 4 values", "width is 5");
    PruningPlan inside = remove(LayerAddress.inBlock(1, 0), 3, 1).withBlocks(List.of(BlockRemoval.drop(1)));
    assertMessage(InvalidPlanException.class, () -> Surgery.apply(net, inside), "layers[1].f[0]",
        "also removes");
    assertMessage(InvalidPlanException.class, () -> PruningPlan.union(List.of(
        remove(LayerAddress.top(2), 6, 1), remove(LayerAddress.top(2), 6, 2))), "layers[2] appears twice");
  }

  @Test
  void evaluationDataMustFitTheModel() {
    Network net = network();
    Network wide = Network.mlp(5, new int[] {3}, Activation.RELU, Task.regression(1), 1);
    Dataset five = TestNetworks.data(wide, TestNetworks.inputs(1, 10, 5), 10);
    assertMessage(EvaluationDataException.class, () -> UnitStatistics.gather(net, five),
        "'test'", "5 features", "reads 4");
    assertMessage(EvaluationDataException.class,
        () -> VariancePruner.prune(net, five, ThresholdRule.absolute(0.1), Schedule.ONE_SHOT), "5 features");
  }

  @Test
  void oneRowCannotEstimateAVariance() {
    // With one row every σ is 0 and every unit would look constant: refuse instead of pruning to the minimum.
    Network net = network();
    Dataset one = TestNetworks.data(net, TestNetworks.inputs(1, 1, 4), 1);
    assertMessage(EvaluationDataException.class, () -> UnitStatistics.gather(net, one),
        "has 1 row", "at least 2 rows");
    Dataset none = TestNetworks.data(net, new float[0], 0);
    assertMessage(EvaluationDataException.class, () -> UnitStatistics.gather(net, none), "has 0 rows");
  }

  @Test
  void nonFiniteValuesAreReported() {
    Network net = network();
    float[] x = TestNetworks.inputs(1, 8, 4);
    x[13] = Float.NaN;
    assertMessage(EvaluationDataException.class,
        () -> UnitStatistics.gather(net, TestNetworks.data(net, x, 8)), "'test' row 3, feature 1 is NaN");
    // Finite inputs that overflow inside the network are caught on the statistics.
    Network huge = network();
    java.util.Arrays.fill(((dev.topiary.core.model.DenseLayer) huge.layers().get(0)).weight(), 3e38f);
    float[] ones = new float[32];
    java.util.Arrays.fill(ones, 1f);
    assertMessage(EvaluationDataException.class,
        () -> UnitStatistics.gather(huge, TestNetworks.data(huge, ones, 8)), "unit 0 of layers[0]",
        "NaN or infinite");
  }

  @Test
  void aGlobalRuleNeedsTheOneShotSchedule() {
    Network net = network();
    Dataset d = TestNetworks.data(net, TestNetworks.inputs(1, 8, 4), 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VariancePruner.prune(net, d, ThresholdRule.fractionOverall(0.3), Schedule.LAYER_BY_LAYER));
    assertTrue(e.getMessage().contains("one-shot"), e.getMessage());
  }
}
