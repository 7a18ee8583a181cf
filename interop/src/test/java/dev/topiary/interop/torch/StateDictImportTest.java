package dev.topiary.interop.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain state dicts, written here as PyTorch's safetensors writer lays them out. */
class StateDictImportTest {

  @TempDir Path dir;

  /** A safetensors file of F32 tensors (name → shape and values), no metadata. */
  private Path write(String name, Map<String, Object[]> tensors) throws Exception {
    Map<String, Object> header = new LinkedHashMap<>();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Object[]> e : tensors.entrySet()) {
      float[] v = (float[]) e.getValue()[1];
      ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(v);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", "F32");
      t.put("shape", e.getValue()[0]);
      t.put("data_offsets", List.of((long) data.size(), (long) data.size() + b.capacity()));
      header.put(e.getKey(), t);
      data.write(b.array());
    }
    byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(data.toByteArray());
    Path p = dir.resolve(name);
    Files.write(p, out.array());
    return p;
  }

  private static float[] seq(int n, float start) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + 0.25f * i;
    }
    return v;
  }

  @Test
  void aSequentialStateDictBecomesTheSameMlp() throws Exception {
    Map<String, Object[]> t = new LinkedHashMap<>();
    t.put("0.weight", new Object[] {List.of(5L, 3L), seq(15, -1)});
    t.put("0.bias", new Object[] {List.of(5L), seq(5, 0.5f)});
    t.put("2.weight", new Object[] {List.of(2L, 5L), seq(10, -2)});
    t.put("2.bias", new Object[] {List.of(2L), seq(2, 1)});
    t.put("input_scaling.mean", new Object[] {List.of(3L), seq(3, 1)});
    t.put("input_scaling.scale", new Object[] {List.of(3L), seq(3, 2)});
    Network net = StateDictImport.read(write("seq.safetensors", t), Activation.TANH, Task.classification(List.of("a", "b")));
    assertEquals("3-5-2", net.describe());
    List<DenseLayer> d = net.denseLayers();
    assertEquals(Activation.TANH, d.get(0).activation());
    assertEquals(Activation.IDENTITY, d.get(1).activation());
    assertArrayEquals(seq(15, -1), d.get(0).weight());
    assertArrayEquals(seq(2, 1), d.get(1).bias());
    assertArrayEquals(seq(3, 2), net.inputScaling().scale());
    assertEquals(2, StateDictImport.outputs(dir.resolve("seq.safetensors")));
  }

  @Test
  void aModuleListWithoutBiasesGetsZeroBiases() throws Exception {
    Map<String, Object[]> t = new LinkedHashMap<>();
    t.put("layers.0.weight", new Object[] {List.of(4L, 2L), seq(8, 0)});
    t.put("layers.1.weight", new Object[] {List.of(1L, 4L), seq(4, 0)});
    Network net = StateDictImport.read(write("list.safetensors", t), Activation.RELU, Task.regression(1));
    assertEquals("2-4-1", net.describe());
    assertArrayEquals(new float[4], net.denseLayers().get(0).bias());
  }

  @Test
  void whatIsNotAPlainMlpIsRefusedByName() throws Exception {
    Map<String, Object[]> conv = new LinkedHashMap<>();
    conv.put("0.weight", new Object[] {List.of(4L, 2L), seq(8, 0)});
    conv.put("bn.running_mean", new Object[] {List.of(4L), seq(4, 0)});
    String m = assertThrows(StateDictException.class, () -> StateDictImport.read(write("bn.safetensors", conv),
        Activation.RELU, Task.regression(4))).getMessage();
    assertTrue(m.contains("bn.running_mean"), m);

    Map<String, Object[]> gap = new LinkedHashMap<>();
    gap.put("0.weight", new Object[] {List.of(4L, 2L), seq(8, 0)});
    gap.put("1.weight", new Object[] {List.of(1L, 3L), seq(3, 0)});
    m = assertThrows(StateDictException.class, () -> StateDictImport.read(write("gap.safetensors", gap),
        Activation.RELU, Task.regression(1))).getMessage();
    assertTrue(m.contains("1.weight reads 3 values but the layer before writes 4"), m);

    Map<String, Object[]> ok = new LinkedHashMap<>();
    ok.put("0.weight", new Object[] {List.of(3L, 2L), seq(6, 0)});
    m = assertThrows(StateDictException.class, () -> StateDictImport.read(write("k.safetensors", ok),
        Activation.RELU, Task.classification(List.of("a", "b")))).getMessage();
    assertTrue(m.contains("writes 3 outputs, the task needs 2"), m);
  }
}
