package dev.topiary.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.ResidualBlock;
import dev.topiary.kernels.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Export then import gives the same network: topology, activations, parameters bit for bit. */
class OnnxImportTest {

  private static final Path FILE = Path.of("test.onnx");

  @ParameterizedTest
  @EnumSource(Activation.class)
  void exportThenImportGivesTheSameClassifier(Activation a) throws Exception {
    for (int kind = 0; kind < 4; kind++) {
      Network net = RandomNetworks.of(a, (kind & 1) != 0, (kind & 2) != 0, false, 7 + kind);
      Network back = OnnxImport.decode(OnnxExport.encode(net, kind % 2 == 0, Map.of()), FILE, null).network();
      assertEquals(net.describe(), back.describe());
      assertEquals(net.inputScaling(), back.inputScaling());
      List<DenseLayer> want = net.denseLayers();
      List<DenseLayer> got = back.denseLayers();
      assertEquals(want.size(), got.size());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i).activation(), got.get(i).activation(), a + " layer " + i);
        assertTrue(java.util.Arrays.equals(want.get(i).weight(), got.get(i).weight()), "weights of layer " + i);
        assertTrue(java.util.Arrays.equals(want.get(i).bias(), got.get(i).bias()), "bias of layer " + i);
      }
      assertEquals(net.layers().stream().filter(l -> l instanceof ResidualBlock).count(),
          back.layers().stream().filter(l -> l instanceof ResidualBlock).count());
      // The task comes back from the metadata only when the caller passes it along.
      assertEquals(List.of("0", "1", "2"), back.task().classLabels());
    }
  }

  @Test
  void aRegressionModelWithOutputStandardisationImportsWithTheSameValues() throws Exception {
    for (int outputs : new int[] {1, 2}) {
      Network two = RandomNetworks.of(Activation.SILU, true, true, true, 11 + outputs);
      Network net = two;
      if (outputs == 1) {
        // The same network cut to its first output, with a one-column output standardisation.
        java.util.List<dev.topiary.core.model.Layer> layers = new java.util.ArrayList<>(two.layers());
        DenseLayer last = (DenseLayer) layers.remove(layers.size() - 1);
        layers.add(new DenseLayer(last.inputSize(), 1, java.util.Arrays.copyOf(last.weight(), last.inputSize()),
            new float[] {last.bias()[0]}, Activation.IDENTITY));
        net = new Network(two.inputSize(), layers, dev.topiary.core.model.Task.regression(1), two.inputScaling(),
            new dev.topiary.core.model.Standardization(new float[] {12.5f}, new float[] {3.25f}));
      }
      Map<String, String> md = Map.of("topiary.task", "{\"kind\":\"regression\",\"outputs\":" + outputs + "}");
      Network back = OnnxImport.decode(OnnxExport.encode(net, true, md), FILE, null).network();
      assertEquals(net.describe(), back.describe());
      int rows = 23;
      float[] x = RandomNetworks.inputs(rows, net.inputSize(), 5);
      float[] want = new float[rows * outputs];
      float[] got = new float[rows * outputs];
      net.predictValues(x, 0, rows, want, 0);
      back.predictValues(x, 0, rows, got, 0);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), outputs + " outputs, value " + i);
      }
    }
  }

  @Test
  void theTaskTravelsInTheMetadata() throws Exception {
    Network net = RandomNetworks.of(Activation.RELU, false, true, false, 3);
    Map<String, String> md = Map.of("topiary.task", "{\"kind\":\"classification\",\"labels\":[\"x\",\"y\",\"z\"]}");
    OnnxImport.Imported im = OnnxImport.decode(OnnxExport.encode(net, true, md), FILE, null);
    assertEquals(List.of("x", "y", "z"), im.network().task().classLabels());
    assertEquals(md.get("topiary.task"), im.metadata().get("topiary.task"));
  }

  /** A graph input → Gemm → {@code op} → output, written with the package's protobuf writer. */
  private static byte[] graphWith(String op) {
    float[] w = {1, 2, 3, 4, 5, 6};
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(w);
    ProtoWriter weight = new ProtoWriter().varint(1, 2).varint(1, 3).varint(2, 1).string(8, "w").bytes(9, b.array());
    ProtoWriter gemm = new ProtoWriter().string(1, "x").string(1, "w").string(2, "z").string(3, "dense")
        .string(4, "Gemm").message(5, new ProtoWriter().string(1, "transB").varint(3, 1).varint(20, 2));
    ProtoWriter act = new ProtoWriter().string(1, "z").string(2, "y").string(3, "odd").string(4, op);
    ProtoWriter graph = new ProtoWriter().message(1, gemm).message(1, act).message(5, weight)
        .message(11, new ProtoWriter().string(1, "x")).message(12, new ProtoWriter().string(1, "y"));
    return new ProtoWriter().varint(1, 8).message(7, graph)
        .message(8, new ProtoWriter().string(1, "").varint(2, 17)).toByteArray();
  }

  @Test
  void anOperatorOutsideTheSubsetIsRefusedByName() throws Exception {
    String m = assertThrows(OnnxFormatException.class, () -> OnnxImport.decode(graphWith("Erf"), FILE, null))
        .getMessage();
    assertTrue(m.contains("node 'odd' (Erf)") && m.contains("not part of the dense-network subset"), m);
    OnnxImport.Imported ok = OnnxImport.decode(graphWith("Relu"), FILE, null);
    assertEquals(Activation.RELU, ok.network().denseLayers().get(0).activation());
    assertEquals(3, ok.network().inputSize());
  }

  @Test
  void anElementWiseFunctionThatIsNoActivationIsRefusedByName() {
    // Exp alone is no Topiary activation.
    String m = assertThrows(OnnxFormatException.class, () -> OnnxImport.decode(graphWith("Exp"), FILE, null))
        .getMessage();
    assertTrue(m.contains("node 'odd' (Exp)") && m.contains("none of Topiary's activations"), m);
  }

  @Test
  void aTruncatedFileIsAFormatError() {
    byte[] full = OnnxExport.encode(RandomNetworks.of(Activation.TANH, true, true, false, 1), true, Map.of());
    for (int cut : new int[] {1, 10, full.length / 2, full.length - 3}) {
      byte[] part = java.util.Arrays.copyOf(full, cut);
      assertThrows(OnnxFormatException.class, () -> OnnxImport.decode(part, FILE, null), "cut at " + cut);
    }
  }
}
