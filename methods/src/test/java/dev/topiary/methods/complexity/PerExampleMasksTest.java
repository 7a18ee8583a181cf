package dev.topiary.methods.complexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.Fixtures;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.gates.BernoulliGates;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.optim.Optimizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Unit masks drawn per example: what the rows see, the expectation, the gate gradient, and training. */
class PerExampleMasksTest {

  /**
   * With per-example masks every row of the batch is the network gated by that row's own mask: each output
   * row equals the double-precision gated reference with that row's unit gates and the batch's block gates,
   * and the gate gradient equals Σ over rows of the reference's central difference in that row's gate.
   */
  @Property(tries = 60, seed = "21")
  void eachRowIsTheNetworkGatedByItsOwnMask(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Network net = GatedNetworks.random(seed);
    GateLayout layout = GateLayout.of(net);
    int rows = 13;
    BernoulliGates gates = new BernoulliGates(layout.gatedWidths(net), layout.blocks(), rows);
    Random r = new Random(seed ^ 3);
    for (int l = 0; l < gates.denseLayers(); l++) {
      double[] th = gates.unitTheta(l);
      if (th != null) {
        for (int j = 0; j < th.length; j++) {
          th[j] = r.nextInt(5) == 0 ? r.nextInt(2) : r.nextDouble();
        }
      }
    }
    for (int s = 0; s < gates.layers(); s++) {
      if (!Double.isNaN(gates.blockTheta(s))) {
        gates.setBlockTheta(s, r.nextDouble());
      }
    }
    gates.sample(new Random(seed));
    float[] x = Fixtures.gaussian(seed + 1, rows, net.inputSize());
    Workspace ws = new Workspace(net, rows);
    float[] out = ws.forward(net, x, 0, rows, gates).clone();
    int k = net.outputSize();
    Arrays.fill(ws.outputGradient(), 0, rows * k, 0.25f);
    GateGradients gg = new GateGradients(ws.unitWidths(), ws.layerCount());
    ws.backward(new Gradients(net), gg);
    double[] blocks = new double[net.layers().size()];
    for (int s = 0; s < blocks.length; s++) {
      blocks[s] = gates.blockGate(s);
    }
    int nd = net.denseLayers().size();
    double scale = Math.pow(GatedNetworks.scale(net), nd);
    double tol = 1e-5 * scale * 10;
    double[][][] rowUnits = new double[rows][nd][];
    for (int i = 0; i < rows; i++) {
      for (int l = 0; l < nd; l++) {
        float[] m = gates.unitGateRows(l);
        if (m == null) {
          continue;
        }
        int w = gates.unitTheta(l).length;
        rowUnits[i][l] = new double[w];
        for (int j = 0; j < w; j++) {
          float g = m[i * w + j];
          assertTrue(g == 0f || g == 1f);
          double th = gates.unitTheta(l)[j];
          if (th == 0 || th == 1) {
            assertEquals(th, g, "θ at 0 or 1 gives that gate");
          }
          rowUnits[i][l][j] = g;
        }
      }
      double[] want = GatedNetworks.forward(net, x, i * net.inputSize(), rowUnits[i], blocks);
      for (int c = 0; c < k; c++) {
        assertEquals(want[c], out[i * k + c], tol * (1 + Math.abs(want[c])), net.describe());
      }
    }
    double h = 1e-4;
    for (int l = 0; l < nd; l++) {
      if (gates.unitTheta(l) == null) {
        continue;
      }
      for (int j = 0; j < gates.unitTheta(l).length; j++) {
        double sum = 0;
        for (int i = 0; i < rows; i++) {
          double keep = rowUnits[i][l][j];
          rowUnits[i][l][j] = keep + h;
          double up = total(GatedNetworks.forward(net, x, i * net.inputSize(), rowUnits[i], blocks));
          rowUnits[i][l][j] = keep - h;
          double down = total(GatedNetworks.forward(net, x, i * net.inputSize(), rowUnits[i], blocks));
          rowUnits[i][l][j] = keep;
          sum += 0.25 * (up - down) / (2 * h);
        }
        assertEquals(sum, gg.units(l)[j], 1e-3 * scale * rows * (1 + Math.abs(sum)), net.describe());
      }
    }
  }

  private static double total(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s;
  }

  /**
   * The expectation over per-example masks of a layer that reads the gated units linearly (the logits after
   * one gated hidden layer) equals the network with every activation scaled by its θ, in double precision:
   * the Monte-Carlo mean over 6,000 rows (each with its own mask) lands within four standard errors.
   */
  @Test
  void theExpectationOverMasksIsTheNetworkScaledByTheta() {
    Task task = Task.classification(Fixtures.names(3));
    Network net = Network.mlp(5, new int[] {11}, Activation.RELU, task, 7);
    GateLayout layout = GateLayout.of(net);
    int rows = 200;
    BernoulliGates gates = new BernoulliGates(layout.gatedWidths(net), layout.blocks(), rows);
    double[] th = gates.unitTheta(0);
    assertNotNull(th);
    Random r = new Random(4);
    for (int j = 0; j < th.length; j++) {
      th[j] = 0.1 + 0.8 * r.nextDouble();
    }
    float[] one = Fixtures.gaussian(9, 1, net.inputSize());
    float[] x = new float[rows * net.inputSize()];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(one, 0, x, i * one.length, one.length);
    }
    int k = net.outputSize();
    double[] sum = new double[k];
    double[] sumSq = new double[k];
    int batches = 30;
    Workspace ws = new Workspace(net, rows);
    Random draw = new Random(5);
    boolean rowsDiffer = false;
    for (int b = 0; b < batches; b++) {
      gates.sample(draw);
      float[] m = gates.unitGateRows(0);
      rowsDiffer |= !Arrays.equals(Arrays.copyOfRange(m, 0, th.length), Arrays.copyOfRange(m, th.length,
          2 * th.length));
      float[] out = ws.forward(net, x, 0, rows, gates);
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < k; c++) {
          double v = out[i * k + c];
          sum[c] += v;
          sumSq[c] += v * v;
        }
      }
    }
    assertTrue(rowsDiffer, "rows draw their own masks");
    double[][] units = {th.clone(), null};
    double[] want = GatedNetworks.forward(net, one, 0, units, new double[net.layers().size()]);
    int n = rows * batches;
    for (int c = 0; c < k; c++) {
      double mean = sum[c] / n;
      double sd = Math.sqrt(Math.max(0, sumSq[c] / n - mean * mean));
      assertEquals(want[c], mean, 4 * sd / Math.sqrt(n) + 1e-5 * (1 + Math.abs(want[c])));
    }
    gates.prepareEvaluation();
    assertNull(gates.unitGateRows(0), "evaluation uses the thresholded shared gates");
  }

  /** Training with per-example masks removes structures and is reproducible from its seed. */
  @Test
  void trainingWithPerExampleMasksPrunesAndRepeats() {
    Task task = Task.classification(Fixtures.names(3));
    Network net = Network.residual(8, 3, 24, 2, Activation.RELU, task, 3);
    Dataset data = Fixtures.selfClassification(net, 9, 600);
    TrainingConfig tc = TrainingConfig.defaults(task, 600).withEpochs(8).withBatchSize(32)
        .withOptimizer(Optimizer.adamW(3e-3, 1e-4)).withEarlyStopping(EarlyStopping.off()).withSeed(5)
        .withThreads(1);
    ComplexityAwareConfig c = ComplexityAwareConfig.defaults(tc).withCost(20, 0.5, 0.5).withRemovalRule(1, 2, 10)
        .withMasks(MaskGranularity.PER_EXAMPLE).withSettleRestart(true);
    ComplexityAwareResult a = ComplexityAware.train(net, data, c, null);
    ComplexityAwareResult b = ComplexityAware.train(net, data, c, null);
    assertTrue(a.network().flops() < net.flops(), a.network().describe());
    assertEquals(a.network().describe(), b.network().describe());
    List<DenseLayer> da = a.network().denseLayers();
    for (int l = 0; l < da.size(); l++) {
      assertTrue(Arrays.equals(da.get(l).weight(), b.network().denseLayers().get(l).weight()));
    }
    for (Layer layer : a.network().layers()) {
      if (layer instanceof ResidualBlock rb) {
        assertTrue(rb.layers().get(0).outputSize() >= 1);
      }
    }
  }
}
