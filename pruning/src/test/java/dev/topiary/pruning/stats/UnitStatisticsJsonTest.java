package dev.topiary.pruning.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.pruning.TestNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit-statistics file: exact round trip, and a clear refusal of statistics of another model. */
class UnitStatisticsJsonTest {

  static final StatisticsOptions ALL = StatisticsOptions.defaults().withActivationSummaries().withHistograms(7)
      .withClassMoments().withCovariance();

  @Test
  void everyStatisticReadsBackToTheSameBits() {
    int classifiers = 0;
    for (long seed = 1; seed <= 8; seed++) {
      Network net = TestNetworks.random(seed, 4, 11, Activation.RELU, seed % 2 == 0);
      int rows = 97;
      float[] x = TestNetworks.inputs(seed + 10, rows, net.inputSize());
      UnitStatistics stats;
      if (net.task().isClassification()) {
        classifiers++;
        int k = net.task().classes();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
          labels[i] = i % Math.max(1, k - 1); // the last class has no rows: NaN moments
        }
        stats = UnitStatistics.gather(net, x, labels, k, rows, "x", ALL);
      } else {
        stats = UnitStatistics.gather(net, x, rows, "x",
            StatisticsOptions.defaults().withActivationSummaries().withHistograms(7).withCovariance());
      }
      String text = UnitStatisticsJson.write(stats, net);
      UnitStatistics back = UnitStatisticsJson.read(text, "s.json", net);
      assertEquals(stats.layout().hidden(), back.layout().hidden());
      assertEquals(stats.rows(), back.rows());
      for (int i = 0; i < stats.layers().size(); i++) {
        // LayerStatistics.equals compares every array with Arrays.equals: bit for bit, NaN equal to NaN.
        assertEquals(stats.layers().get(i), back.layers().get(i), "seed " + seed + ", layer " + i);
      }
      assertEquals(text, UnitStatisticsJson.write(back, net), "writing again gives the same text");
    }
    assertTrue(classifiers > 0 && classifiers < 8, "both tasks were tried: " + classifiers + " classifiers");
  }

  @Test
  void statisticsOfAnotherModelAreRefusedNamingTheMismatch() {
    Network net = Network.mlp(5, new int[] {8, 6}, Activation.TANH, Task.regression(1), 1);
    float[] x = TestNetworks.inputs(2, 40, 5);
    String text = UnitStatisticsJson.write(UnitStatistics.gather(net, x, 40, "x", StatisticsOptions.defaults()), net);

    Network wider = Network.mlp(5, new int[] {8, 7}, Activation.TANH, Task.regression(1), 1);
    StatisticsFileException e = assertThrows(StatisticsFileException.class,
        () -> UnitStatisticsJson.read(text, "s.json", wider));
    assertTrue(e.getMessage().startsWith("s.json: hidden layer 2 is ") && e.getMessage().contains("[8, 6] vs [8, 7]"),
        e.getMessage());

    Network deeper = Network.mlp(5, new int[] {8, 6, 4}, Activation.TANH, Task.regression(1), 1);
    e = assertThrows(StatisticsFileException.class, () -> UnitStatisticsJson.read(text, "s.json", deeper));
    assertTrue(e.getMessage().contains("2 hidden layers [8, 6]; this model has 3 [8, 6, 4]"), e.getMessage());

    Network relu = Network.mlp(5, new int[] {8, 6}, Activation.RELU, Task.regression(1), 1);
    e = assertThrows(StatisticsFileException.class, () -> UnitStatisticsJson.read(text, "s.json", relu));
    assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains("relu"), e.getMessage());

    Network otherWeights = Network.mlp(5, new int[] {8, 6}, Activation.TANH, Task.regression(1), 2);
    e = assertThrows(StatisticsFileException.class, () -> UnitStatisticsJson.read(text, "s.json", otherWeights));
    assertTrue(e.getMessage().contains("same shape but other parameters"), e.getMessage());

    Network fewerInputs = Network.mlp(4, new int[] {8, 6}, Activation.TANH, Task.regression(1), 1);
    e = assertThrows(StatisticsFileException.class, () -> UnitStatisticsJson.read(text, "s.json", fewerInputs));
    assertTrue(e.getMessage().contains("5 inputs; this model has 4"), e.getMessage());
  }

  @Test
  void malformedDocumentsNameTheProblem() {
    Network net = Network.mlp(3, new int[] {4}, Activation.TANH, Task.regression(1), 1);
    String text = UnitStatisticsJson.write(UnitStatistics.gather(net, TestNetworks.inputs(1, 20, 3), 20, "x",
        StatisticsOptions.defaults()), net);
    List<String[]> cases = List.of(
        new String[] {"{\"a\": 1", "not a unit-statistics file"},
        new String[] {"[1, 2]", "expected a JSON object with \"format\""},
        new String[] {text.replace("\"version\":1", "\"version\":2"), "format version 2; this Topiary reads version 1"},
        new String[] {text.replace("\"std\":[", "\"std\":[1.0,"), "layers[0].std has 5 values, expected 4"},
        new String[] {text.replace("\"count\":20", "\"count\":\"20\""), "field \"count\" is missing or not an integer"},
        new String[] {text.replaceFirst("\"mean\":\\[[^,\\]]*", "\"mean\":[\"x\""), "not an array of numbers"});
    for (String[] c : cases) {
      StatisticsFileException e = assertThrows(StatisticsFileException.class,
          () -> UnitStatisticsJson.read(c[0], "s.json", net), c[1]);
      assertTrue(e.getMessage().startsWith("s.json") && e.getMessage().contains(c[1]), e.getMessage());
    }
  }
}
