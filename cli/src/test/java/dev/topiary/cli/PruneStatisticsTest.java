package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.ApozCriterion;
import dev.topiary.pruning.criteria.ScoringContext;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.UnitPruner;
import dev.topiary.pruning.stats.StatisticsOptions;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.stats.UnitStatisticsJson;
import dev.topiary.pruning.surgery.Surgery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune --statistics FILE}: the command line prunes from statistics gathered elsewhere to exactly the
 * network the in-process route ({@code UnitPruner.plan} then {@code Surgery}, what {@code SparkPruning}
 * does) builds from the same statistics, with or without {@code --data}, and refuses statistics of another
 * model.
 */
class PruneStatisticsTest {

  @TempDir static Path dir;
  static Path model;
  static Network network;
  static UnitStatistics stats;
  static Path statsFile;

  /** Statistics over rows the model never saw (as a cluster's table would be), written to a file. */
  @BeforeAll
  static void trainAndMeasure() throws Exception {
    model = dir.resolve("m.safetensors");
    Cli.run("train", "--data", "builtin:iris", "--out", model.toString(), "--hidden", "16,12", "--epochs", "15",
        "--seed", "3", "--json", "--quiet").json();
    network = ModelFiles.read(model).network();
    Random r = new Random(5);
    int rows = 300;
    float[] x = new float[rows * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (4 + 2 * r.nextGaussian());
    }
    stats = UnitStatistics.gather(network, x, rows, "cluster",
        StatisticsOptions.defaults().withActivationSummaries());
    statsFile = dir.resolve("stats.json");
    Files.writeString(statsFile, UnitStatisticsJson.write(stats, network));
  }

  static Network inProcess(UnitCriterion criterion, ThresholdRule rule) {
    return Surgery.apply(network, UnitPruner.plan(ScoringContext.of(network, stats), criterion, rule, null));
  }

  static void assertSameNetwork(Network expected, Path file) throws Exception {
    Network actual = ModelFiles.read(file).network();
    assertEquals(expected.describe(), actual.describe());
    List<DenseLayer> e = expected.denseLayers();
    List<DenseLayer> a = actual.denseLayers();
    for (int i = 0; i < e.size(); i++) {
      assertArrayEquals(e.get(i).weight(), a.get(i).weight(), 0f, "weights of layer " + i);
      assertArrayEquals(e.get(i).bias(), a.get(i).bias(), 0f, "biases of layer " + i + " (folded means)");
    }
  }

  @Test
  void withoutDataTheCommandLineBuildsTheInProcessNetwork() throws Exception {
    Object[][] cases = {
        {new String[] {"--ratio", "0.5"}, VarianceCriterion.INSTANCE, ThresholdRule.fractionPerLayer(0.5)},
        {new String[] {"--relative", "0.4"}, VarianceCriterion.INSTANCE, ThresholdRule.relativeToMax(0.4)},
        {new String[] {"--method", "apoz", "--ratio", "0.25"}, ApozCriterion.INSTANCE,
            ThresholdRule.fractionPerLayer(0.25)}};
    int n = 0;
    for (Object[] c : cases) {
      Path out = dir.resolve("no-data-" + n++ + ".safetensors");
      String[] rule = (String[]) c[0];
      String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(new String[] {"prune", "--model",
          model.toString(), "--statistics", statsFile.toString(), "--out", out.toString(), "--json"}),
          java.util.Arrays.stream(rule)).toArray(String[]::new);
      Map<String, Object> m = Cli.run(all).json();
      Network expected = inProcess((UnitCriterion) c[1], (ThresholdRule) c[2]);
      assertSameNetwork(expected, out);
      assertEquals(expected.parameterCount(), ((Number) m.get("parameters_after")).longValue());
      assertEquals(300L, ((Number) m.get("statistics_rows")).longValue());
      assertEquals(false, m.get("finetuned"));
      assertTrue(expected.parameterCount() < network.parameterCount(), "something was removed");
    }
  }

  @Test
  void withDataAndNoFineTuningTheSavedNetworkIsTheSameAndScored() throws Exception {
    Path out = dir.resolve("with-data.safetensors");
    Map<String, Object> m = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--statistics",
        statsFile.toString(), "--ratio", "0.5", "--finetune", "0", "--latency-ms", "0", "--out", out.toString(),
        "--json", "--quiet").json();
    assertSameNetwork(inProcess(VarianceCriterion.INSTANCE, ThresholdRule.fractionPerLayer(0.5)), out);
    assertEquals(300L, ((Number) m.get("statistics_rows")).longValue());
    double before = Cli.num(m, "test", "original");
    double after = Cli.num(m, "test", "finetuned");
    assertTrue(before >= 0 && before <= 1 && after >= 0 && after <= 1, m.get("test").toString());

    // Fine-tuning starts from that same network; the text output says where the statistics came from.
    Cli.Result text = Cli.run("prune", "--model", model.toString(), "--data", "builtin:iris", "--statistics",
        statsFile.toString(), "--ratio", "0.5", "--finetune", "0.3", "--latency-ms", "0", "--out",
        dir.resolve("tuned.safetensors").toString(), "--quiet");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("from the statistics of 300 rows in stats.json, not measured on builtin:iris"), text.out());
  }

  @Test
  void statisticsOfAnotherModelOrAnUnsupportedRequestAreRefused() throws Exception {
    Path other = dir.resolve("other.safetensors");
    Cli.run("train", "--data", "builtin:iris", "--out", other.toString(), "--hidden", "16,10", "--epochs", "2",
        "--seed", "3", "--json", "--quiet").json();
    Path out = dir.resolve("refused.safetensors");
    String e = Cli.run("prune", "--model", other.toString(), "--statistics", statsFile.toString(), "--ratio", "0.5",
        "--out", out.toString()).errorLine(2);
    assertTrue(e.contains("hidden layer 2") && e.contains("[16, 12] vs [16, 10]"), e);

    Path sameShape = dir.resolve("same-shape.safetensors");
    Cli.run("train", "--data", "builtin:iris", "--out", sameShape.toString(), "--hidden", "16,12", "--epochs", "2",
        "--seed", "4", "--json", "--quiet").json();
    e = Cli.run("prune", "--model", sameShape.toString(), "--statistics", statsFile.toString(), "--ratio", "0.5",
        "--out", out.toString()).errorLine(2);
    assertTrue(e.contains("same shape but other parameters"), e);

    e = Cli.run("prune", "--model", model.toString(), "--statistics", statsFile.toString(), "--out",
        out.toString()).errorLine(2);
    assertTrue(e.contains("--statistics prunes by a given rule"), e);
    e = Cli.run("prune", "--model", model.toString(), "--statistics", statsFile.toString(), "--ratio", "0.5",
        "--method", "entropy", "--out", out.toString()).errorLine(2);
    assertTrue(e.contains("holds no histograms") && e.contains("entropy"), e);
    e = Cli.run("prune", "--model", model.toString(), "--statistics", statsFile.toString(), "--ratio", "0.5",
        "--method", "taylor", "--out", out.toString()).errorLine(2);
    assertTrue(e.contains("gradients"), e);
    e = Cli.run("prune", "--model", model.toString(), "--ratio", "0.5", "--out", out.toString()).errorLine(2);
    assertTrue(e.contains("--data"), e);
    assertFalse(Files.exists(out), "nothing is written when the command is refused");
  }
}
