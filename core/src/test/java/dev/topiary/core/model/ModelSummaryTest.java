package dev.topiary.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import dev.topiary.kernels.Activation;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

  @Property(tries = 200, seed = "20240517")
  void countsFollowTheFormulasAndSumToTheNetworkTotals(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    Network n = TestNetworks.random(seed);
    ModelSummary s = ModelSummary.of(n);
    long params = 0;
    long flops = 0;
    long units = 0;
    int denseRows = 0;
    for (LayerSummary r : s.layers()) {
      if (r.kind() == LayerSummary.Kind.DENSE) {
        denseRows++;
        assertEquals((long) r.in() * r.out() + r.out(), r.parameters(), r.name());
        long act = r.activation() == Activation.IDENTITY ? 0 : r.out();
        assertEquals(2L * r.in() * r.out() + r.out() + act, r.flops(), r.name());
        units += r.out();
      } else {
        assertEquals(0, r.parameters(), r.name());
        assertEquals(r.in(), r.flops(), r.name());
        assertEquals(r.in(), r.out(), r.name());
      }
      params += r.parameters();
      flops += r.flops();
    }
    assertEquals(n.denseLayers().size(), denseRows);
    assertEquals(params, s.parameters());
    assertEquals(flops, s.flops());
    assertEquals(n.parameterCount(), s.parameters());
    assertEquals(n.flops(), s.flops());
    assertEquals(units - n.outputSize(), s.hiddenUnits());
    // The parameters are exactly the floats a model holds.
    long stored = 0;
    for (DenseLayer d : n.denseLayers()) {
      stored += d.weight().length + d.bias().length;
    }
    assertEquals(stored, s.parameters());
  }

  private static Network example() {
    Random r = new Random(1);
    return new Network(4, List.of(
        TestNetworks.dense(4, 10, Activation.RELU, r),
        new ResidualBlock(List.of(TestNetworks.dense(10, 6, Activation.TANH, r),
            TestNetworks.dense(6, 10, Activation.IDENTITY, r))),
        TestNetworks.dense(10, 3, Activation.IDENTITY, r)),
        Task.classification(List.of("setosa", "versicolor", "virginica")), Standardization.identity(4), null);
  }

  @Test
  void rowsFollowTheModelFileNamesAndCountByHand() {
    ModelSummary s = ModelSummary.of(example());
    assertEquals(List.of("layers.0", "layers.1.f.0", "layers.1.f.1", "layers.1", "layers.2"),
        s.layers().stream().map(LayerSummary::name).toList());
    // 4·10+10, 10·6+6, 6·10+10, skip 0, 10·3+3
    assertEquals(50 + 66 + 70 + 0 + 33, s.parameters());
    // (80+10+10) + (120+6+6) + (120+10) + 10 + (60+3)
    assertEquals(100 + 132 + 130 + 10 + 63, s.flops());
    assertEquals(10 + 6 + 10, s.hiddenUnits());
  }

  @Test
  void tableShowsTaskLayersAndTotals() {
    String t = ModelSummary.of(example()).table();
    String[] lines = t.split("\n");
    assertEquals("task:   classification, 3 classes (setosa, versicolor, virginica)", lines[0]);
    assertEquals("input:  4 features, standardised", lines[1]);
    assertEquals("hidden units: 26", lines[2]);
    assertEquals("layer         kind             in  out  activation  parameters  FLOPs", lines[3]);
    assertTrue(lines[4].matches("-+"), lines[4]);
    assertEquals("layers.0      dense             4   10  relu                50    100", lines[5]);
    assertEquals("layers.1.f.0  dense            10    6  tanh                66    132", lines[6]);
    assertEquals("layers.1      skip (h + f(h))  10   10  -                    0     10", lines[8]);
    assertEquals("total                                                      219    435", lines[11]);
    assertEquals(12, lines.length);
  }

  @Test
  void jsonFormCarriesTheSameFigures() {
    ModelSummary s = ModelSummary.of(example());
    Map<?, ?> m = (Map<?, ?>) Json.parse(Json.write(s.toJson()));
    assertEquals(219L, m.get("parameters"));
    assertEquals(435L, m.get("flops"));
    assertEquals("classification", m.get("task"));
    assertEquals(List.of("setosa", "versicolor", "virginica"), m.get("classes"));
    List<?> rows = (List<?>) m.get("layers");
    assertEquals(5, rows.size());
    assertEquals("skip", ((Map<?, ?>) rows.get(3)).get("kind"));
    assertEquals("tanh", ((Map<?, ?>) rows.get(1)).get("activation"));
  }
}
