package dev.topiary.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.training.backprop.Gradients;
import dev.topiary.training.backprop.Workspace;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The workspace's forward pass against the double reference, buffer reuse, and its argument checks. */
class WorkspaceTest {

  @Property(tries = 200, seed = "20261109")
  void forwardMatchesTheDoubleReference(@ForAll long seed, @ForAll Activation act, @ForAll boolean residual) {
    Random r = new Random(seed);
    int in = 1 + r.nextInt(9);
    int rows = 1 + r.nextInt(7);
    Network net = Fixtures.randomNetwork(r, in, act, residual, Task.regression(1 + r.nextInt(3)));
    int offset = r.nextInt(5);
    float[] x = Fixtures.gaussian(r, offset + rows * in, 1.0);
    Workspace ws = new Workspace(net, rows + r.nextInt(4));
    float[] out = ws.forward(net, x, offset, rows, null);
    double[] xd = new double[rows * in];
    for (int i = 0; i < xd.length; i++) {
      xd[i] = x[offset + i];
    }
    double[] ref = Reference.create().forward(net, Reference.params(net), null, null, xd, rows);
    double scale = 1;
    for (double v : ref) {
      scale = Math.max(scale, Math.abs(v));
    }
    int widths = in;
    for (var d : net.denseLayers()) {
      widths += d.outputSize();
    }
    double tol = 8 * Math.ulp(1f) * widths * net.denseLayers().size() * scale;
    for (int k = 0; k < ref.length; k++) {
      assertEquals(ref[k], out[k], tol, "output " + k);
    }
  }

  @Example
  void buffersAreReusedBetweenBatches() {
    Network net = Network.mlp(3, new int[] {5}, Activation.GELU, Task.regression(2), 1);
    Workspace ws = new Workspace(net, 8);
    float[] a = ws.forward(net, new float[24], 0, 8, null);
    float[] b = ws.forward(net, new float[9], 0, 3, null);
    assertSame(a, b);
    Gradients g = new Gradients(net);
    float[] w = g.weight(0);
    ws.backward(g, null);
    assertSame(w, g.weight(0));
    Network sameShape = Network.mlp(3, new int[] {5}, Activation.GELU, Task.regression(2), 2);
    assertSame(a, ws.forward(sameShape, new float[9], 0, 3, null));
  }

  @Example
  void rejectsOtherShapesAndOversizedBatches() {
    Network net = Network.mlp(3, new int[] {5}, Activation.RELU, Task.regression(1), 1);
    Workspace ws = new Workspace(net, 4);
    Network other = Network.mlp(3, new int[] {6}, Activation.RELU, Task.regression(1), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ws.forward(other, new float[12], 0, 4, null));
    assertEquals("network 3-6-1 does not have the shape this workspace was made for", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ws.forward(net, new float[15], 0, 5, null));
    assertEquals("batch of 5 rows; this workspace takes 1..4", e.getMessage());
    Fixtures.FixedGates gates = new Fixtures.FixedGates(new float[][] {new float[4], null}, new float[2]);
    e = assertThrows(IllegalArgumentException.class, () -> ws.forward(net, new float[12], 0, 4, gates));
    assertEquals("dense layer 0: gate vector has 4 values, the layer has 5 units", e.getMessage());
    IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class,
        () -> ws.forward(net, new float[11], 0, 4, null));
    assertEquals("input: 4 rows of 3 at offset 0 need 12 values, array has 11", o.getMessage());
  }
}
