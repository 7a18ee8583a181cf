package dev.topiary.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Layer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.training.Reference.LossKind;
import dev.topiary.training.Reference.RegKind;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import dev.topiary.training.gates.GateGradients;
import dev.topiary.training.loss.Loss;
import dev.topiary.training.regularize.Regularizer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The float back-propagation against central finite differences of the double-precision reference, for
 * every activation, loss and regulariser, dense layers and residual blocks, with and without gates.
 */
class GradientCheckTest {

  private static final double H = 1e-6;
  private static final double UNIT_ROUNDOFF = Math.ulp(1f) / 2;

  @Property(tries = 300, seed = "20261107")
  void parameterAndGateGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll Activation act,
      @ForAll LossKind lossKind, @ForAll RegKind regKind, @ForAll boolean gated, @ForAll boolean residual) {
    Random r = new Random(seed);
    int in = 1 + r.nextInt(7);
    int rows = 1 + r.nextInt(5);
    boolean classification = lossKind == LossKind.SOFTMAX_CE || (lossKind == LossKind.BCE && r.nextBoolean());
    Task task = classification ? Fixtures.classes(2 + r.nextInt(3)) : Task.regression(1 + r.nextInt(3));
    Network net = Fixtures.randomNetwork(r, in, act, residual, task);
    int outs = task.outputs();
    float[] x = Fixtures.gaussian(r, rows * in, 1.0);
    int[] labels = null;
    float[] targets = null;
    if (classification) {
      labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = r.nextInt(outs);
      }
    } else {
      targets = lossKind == LossKind.BCE ? uniform(r, rows * outs) : Fixtures.gaussian(r, rows * outs, 1.0);
    }
    List<DenseLayer> dense = net.denseLayers();
    Fixtures.FixedGates gates = null;
    if (gated) {
      float[][] units = new float[dense.size()][];
      for (int l = 0; l < dense.size() - 1; l++) {
        if (r.nextInt(10) < 7) {
          units[l] = new float[dense.get(l).outputSize()];
          for (int j = 0; j < units[l].length; j++) {
            units[l][j] = r.nextInt(7) == 0 ? 0f : (float) (1.5 * r.nextDouble());
          }
        }
      }
      float[] blocks = new float[net.layers().size()];
      for (int s = 0; s < blocks.length; s++) {
        blocks[s] = net.layers().get(s) instanceof ResidualBlock ? (float) (1.5 * r.nextDouble()) : 1f;
      }
      gates = new Fixtures.FixedGates(units, blocks);
    }
    double lambda = 0.05 + 0.1 * r.nextDouble();
    Loss loss = loss(lossKind);
    Regularizer reg = regularizer(regKind, lambda);

    // Float analytic gradients: forward, loss, backward, regulariser.
    Workspace ws = new Workspace(net, rows + r.nextInt(3));
    Gradients grads = new Gradients(net);
    GateGradients gateGrads = new GateGradients(ws.unitWidths(), ws.layerCount());
    float[] out = ws.forward(net, x, 0, rows, gates);
    double value = loss.evaluate(rows, outs, out, labels, targets, ws.outputGradient());
    ws.backward(grads, gated ? gateGrads : null);
    if (reg != null) {
      value += reg.value(net);
      reg.addGradient(net, grads);
    }

    // Double reference at the same point.
    Reference ref = Reference.create();
    ref.kinkDistance = Double.POSITIVE_INFINITY;
    double[][] p = Reference.params(net);
    double[][] g = gates == null ? null : toDouble(gates.units);
    double[] bg = gates == null ? null : Reference.toDouble(gates.blocks);
    double[] xd = Reference.toDouble(x);
    double[] td = targets == null ? null : Reference.toDouble(targets);
    double refValue = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
    Assume.that(ref.kinkDistance > 1e-3);

    int depth = dense.size();
    int widthSum = in + rows;
    for (DenseLayer d : dense) {
      widthSum += d.outputSize();
    }
    double maxGrad = 0;
    for (int l = 0; l < depth; l++) {
      maxGrad = Math.max(maxGrad, maxAbs(grads.weight(l)));
      maxGrad = Math.max(maxGrad, maxAbs(grads.bias(l)));
    }
    // Float rounding grows with the lengths of the sums along a path through the network.
    double tol = 16 * UNIT_ROUNDOFF * widthSum * depth * (1 + maxGrad + Math.abs(refValue));
    assertClose(refValue, value, tol, "loss value");

    for (int t = 0; t < p.length; t++) {
      float[] analytic = t % 2 == 0 ? grads.weight(t / 2) : grads.bias(t / 2);
      for (int i = 0; i < p[t].length; i++) {
        double keep = p[t][i];
        p[t][i] = keep + H;
        double plus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
        p[t][i] = keep - H;
        double minus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
        p[t][i] = keep;
        assertClose((plus - minus) / (2 * H), analytic[i], tol, "tensor " + t + "[" + i + "]");
      }
    }
    if (gated) {
      for (int l = 0; l < g.length; l++) {
        if (g[l] == null) {
          continue;
        }
        for (int j = 0; j < g[l].length; j++) {
          double keep = g[l][j];
          g[l][j] = keep + H;
          double plus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
          g[l][j] = keep - H;
          double minus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
          g[l][j] = keep;
          assertClose((plus - minus) / (2 * H), gateGrads.units(l)[j], tol, "gate " + l + "[" + j + "]");
        }
      }
      for (int s = 0; s < bg.length; s++) {
        Layer layer = net.layers().get(s);
        if (!(layer instanceof ResidualBlock)) {
          continue;
        }
        double keep = bg[s];
        bg[s] = keep + H;
        double plus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
        bg[s] = keep - H;
        double minus = objective(ref, net, p, g, bg, xd, rows, lossKind, labels, td, regKind, lambda);
        bg[s] = keep;
        assertClose((plus - minus) / (2 * H), gateGrads.block(s), tol, "block gate " + s);
      }
    }
  }

  @Property(tries = 200, seed = "20261108")
  void lossGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll LossKind kind) {
    Random r = new Random(seed);
    int rows = 1 + r.nextInt(9);
    int cols = (kind == LossKind.SOFTMAX_CE ? 2 : 1) + r.nextInt(6);
    float[] z = Fixtures.gaussian(r, rows * cols, 3.0);
    int[] labels = null;
    float[] targets = null;
    if (kind == LossKind.SOFTMAX_CE || (kind == LossKind.BCE && r.nextBoolean())) {
      labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = r.nextInt(cols);
      }
    } else {
      targets = kind == LossKind.BCE ? uniform(r, rows * cols) : Fixtures.gaussian(r, rows * cols, 2.0);
    }
    float[] grad = new float[rows * cols];
    double value = loss(kind).evaluate(rows, cols, z, labels, targets, grad);
    Reference ref = Reference.create();
    ref.kinkDistance = Double.POSITIVE_INFINITY;
    double[] zd = Reference.toDouble(z);
    double[] td = targets == null ? null : Reference.toDouble(targets);
    double refValue = ref.loss(kind, zd, rows, cols, labels, td);
    Assume.that(ref.kinkDistance > 1e-3);
    double tol = 8 * UNIT_ROUNDOFF * (rows * cols) * (1 + Math.abs(refValue));
    assertClose(refValue, value, tol, "loss value");
    for (int k = 0; k < zd.length; k++) {
      double keep = zd[k];
      zd[k] = keep + H;
      double plus = ref.loss(kind, zd, rows, cols, labels, td);
      zd[k] = keep - H;
      double minus = ref.loss(kind, zd, rows, cols, labels, td);
      zd[k] = keep;
      double fd = (plus - minus) / (2 * H);
      // Relative to the gradient's size: a float result carries half an ulp of rounding on its own.
      assertClose(fd, grad[k], 8 * UNIT_ROUNDOFF * cols * (1 + Math.abs(fd)), "d loss / d z[" + k + "]");
    }
  }

  private static double objective(Reference ref, Network net, double[][] p, double[][] g, double[] bg,
      double[] x, int rows, LossKind lossKind, int[] labels, double[] targets, RegKind regKind,
      double lambda) {
    double[] out = ref.forward(net, p, g, bg, x, rows);
    return ref.loss(lossKind, out, rows, net.outputSize(), labels, targets)
        + ref.regularizer(regKind, lambda, net, p);
  }

  static Loss loss(LossKind kind) {
    switch (kind) {
      case SOFTMAX_CE: return Loss.softmaxCrossEntropy();
      case BCE: return Loss.binaryCrossEntropy();
      case MSE: return Loss.meanSquaredError();
      case HUBER: return Loss.huber(Reference.HUBER_DELTA);
      default: throw new AssertionError(kind);
    }
  }

  private static Regularizer regularizer(RegKind kind, double lambda) {
    switch (kind) {
      case NONE: return null;
      case L1: return Regularizer.l1(lambda);
      case L2: return Regularizer.l2(lambda);
      case GROUP_LASSO: return Regularizer.groupLasso(lambda);
      default: throw new AssertionError(kind);
    }
  }

  private static float[] uniform(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat();
    }
    return a;
  }

  private static double[][] toDouble(float[][] a) {
    double[][] d = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i] == null ? null : Reference.toDouble(a[i]);
    }
    return d;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(double expected, double actual, double tol, String what) {
    assertTrue(Math.abs(expected - actual) <= tol,
        () -> what + ": expected " + expected + " (double finite difference), found " + actual
            + ", difference " + Math.abs(expected - actual) + " > tolerance " + tol);
  }
}
