package dev.topiary.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.odf2nna.Architecture;
import dev.topiary.methods.odf2nna.Odf2nna;
import dev.topiary.methods.odf2nna.Odf2nnaConfig;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.pruner.Schedule;
import dev.topiary.pruning.pruner.VariancePruner;
import dev.topiary.training.Scaling;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library tour of the README, compiled and run, so the README cannot drift from the API. */
class ReadmeExampleTest {

  @Test
  void theRecipeInAFewLines(@TempDir Path dir) throws Exception {
    // --- README: the recipe ---
    Dataset data = DataSources.load("builtin:wine").train();
    Split split = Split.of(data, 42);                       // stratified 70/15/15
    Odf2nnaReport report = new Odf2nna(Odf2nnaConfig.defaults()
        .withArchitecture(Architecture.uniform(2, 64, Activation.RELU)))
        .run(split);                                          // train, prune (auto ε), fine-tune
    System.out.printf("%s -> %s, test accuracy %.3f -> %.3f%n",
        report.original().describe(), report.finetuned().describe(),
        report.test().original(), report.test().finetuned());
    ModelFiles.save(report.finetuned(), dir.resolve("wine.safetensors"));
    // --- end ---
    Network loaded = ModelFiles.load(dir.resolve("wine.safetensors"));
    assertEquals(report.finetuned().describe(), loaded.describe());
    assertTrue(report.sizes().parametersAfter() <= report.sizes().parametersBefore());
  }

  @Test
  void theStepsOneByOne() throws Exception {
    // --- README: the steps ---
    Split split = Split.of(DataSources.load("builtin:iris").train(), 7);
    Network net = Network.mlp(4, new int[] {32, 32}, Activation.RELU, split.train().task(), 1);
    net = Scaling.fit(net, split.train());                  // standardisation travels with the model
    TrainingConfig config = TrainingConfig.defaults(net.task(), split.train().rows())
        .withValidation(split.validation());
    new Trainer(config).fit(net, split.train());

    PruningResult pruned = VariancePruner.prune(net, split.train(),
        ThresholdRule.relativeToMax(0.1), Schedule.ONE_SHOT); // σ ≤ 0.1·max σ goes, means folded
    int[] classes = pruned.network().predictClasses(split.test().x(), split.test().rows());
    // --- end ---
    assertEquals(split.test().rows(), classes.length);
    assertTrue(pruned.network().parameterCount() <= net.parameterCount());
  }
}
