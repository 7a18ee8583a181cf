package dev.topiary.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.kernels.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The residual MLP factory: shape, counts and determinism. */
class ResidualNetworkTest {

  @Test
  void twoLayerBlocksHaveAStemBlocksAndAHead() {
    Network n = Network.residual(13, 3, 21, 2, Activation.RELU, Task.classification(List.of("a", "b", "c", "d", "e")), 9);
    List<Layer> layers = n.layers();
    assertEquals(5, layers.size());
    assertEquals(21, layers.get(0).outputSize());
    for (int b = 1; b <= 3; b++) {
      ResidualBlock r = assertInstanceOf(ResidualBlock.class, layers.get(b));
      assertEquals(2, r.layers().size());
      assertEquals(Activation.RELU, r.layers().get(0).activation());
      assertEquals(Activation.IDENTITY, r.layers().get(1).activation());
    }
    assertEquals(5, layers.get(4).outputSize());
    // stem 13·21+21, 3 blocks of 2·(21·21+21), head 21·5+5
    assertEquals(13 * 21 + 21 + 3 * 2 * (21 * 21 + 21) + 21 * 5 + 5, n.parameterCount());
    // FLOPs: stem 2·13·21 + 21 bias + 21 relu; block 2·21·21+21+21 + 2·21·21+21 + 21 skip; head 2·21·5+5
    long block = (2L * 21 * 21 + 42) + (2L * 21 * 21 + 21) + 21;
    assertEquals(2L * 13 * 21 + 42 + 3 * block + 2L * 21 * 5 + 5, n.flops());
  }

  @Test
  void oneLayerBlocksAndNoBlocksAreAllowed() {
    Network one = Network.residual(4, 2, 7, 1, Activation.TANH, Task.regression(2), 1);
    ResidualBlock r = assertInstanceOf(ResidualBlock.class, one.layers().get(1));
    assertEquals(1, r.layers().size());
    assertEquals(Activation.TANH, r.layers().get(0).activation());
    assertEquals(2, Network.residual(4, 0, 7, 2, Activation.RELU, Task.regression(1), 1).layers().size());
  }

  @Test
  void theSameSeedGivesTheSameWeights() {
    Network a = Network.residual(6, 2, 9, 2, Activation.RELU, Task.classification(List.of("a", "b", "c")), 5);
    Network b = Network.residual(6, 2, 9, 2, Activation.RELU, Task.classification(List.of("a", "b", "c")), 5);
    for (int l = 0; l < a.denseLayers().size(); l++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.denseLayers().get(l).weight(),
          b.denseLayers().get(l).weight());
    }
  }

  @Test
  void badShapesAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> Network.residual(4, -1, 8, 2, Activation.RELU, Task.regression(1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> Network.residual(4, 1, 0, 2, Activation.RELU, Task.regression(1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> Network.residual(4, 1, 8, 3, Activation.RELU, Task.regression(1), 1));
  }
}
