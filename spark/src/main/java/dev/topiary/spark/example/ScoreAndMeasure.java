package dev.topiary.spark.example;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.pruner.PruningResult;
import dev.topiary.pruning.stats.LayerStatistics;
import dev.topiary.pruning.stats.UnitStatistics;
import dev.topiary.pruning.stats.UnitStatisticsJson;
import dev.topiary.spark.InputColumns;
import dev.topiary.spark.SparkEvaluation;
import dev.topiary.spark.SparkPruning;
import dev.topiary.spark.SparkUnitStatistics;
import dev.topiary.spark.TopiaryModelBytes;
import dev.topiary.spark.TopiaryScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The example of docs/spark.md: score a CSV table on Spark with a model trained and pruned on one machine
 * and with its pruned version, evaluate both, recompute the dense model's unit statistics on Spark and
 * prune from them; with OUT_MODEL, save the pruned model and the statistics beside it
 * ({@code OUT.statistics.json}, the format of {@code UnitStatisticsJson}) for {@code topiary prune
 * --statistics}.
 *
 * <pre>
 * ScoreAndMeasure MODEL PRUNED_MODEL TABLE.csv TARGET_COLUMN [OUT_MODEL] [MASTER]
 * </pre>
 *
 * <p>The model's inputs are the CSV's columns other than the target, in order, as {@code topiary train}
 * read them; the target's values are matched to the model's class labels.
 */
public final class ScoreAndMeasure {

  private ScoreAndMeasure() {}

  /** Runs the example; see the class description for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: ScoreAndMeasure MODEL PRUNED_MODEL TABLE.csv TARGET_COLUMN [OUT_MODEL] [MASTER]");
      System.exit(2);
    }
    TopiaryModelBytes dense = TopiaryModelBytes.read(Path.of(args[0]));
    TopiaryModelBytes pruned = TopiaryModelBytes.read(Path.of(args[1]));
    String target = args[3];
    Path out = args.length > 4 ? Path.of(args[4]) : null;
    String master = args.length > 5 ? args[5] : "local[*]";
    SparkSession spark = SparkSession.builder().master(master).appName("topiary-example")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      Dataset<Row> table = spark.read().option("header", true).option("inferSchema", true).csv(args[2]);
      String[] inputs = Arrays.stream(table.columns()).filter(c -> !c.equals(target)).toArray(String[]::new);
      Network network = dense.network();
      if (!network.task().isClassification()) {
        throw new IllegalArgumentException("this example evaluates a classifier; " + args[0] + " is "
            + network.task().kind());
      }
      // The model's class labels in output order; the target column's text finds its index among them.
      List<String> labels = network.task().classLabels();
      Column labelArray = functions.array(labels.stream().map(functions::lit).toArray(Column[]::new));
      Dataset<Row> indexed = table.withColumn("label",
          functions.array_position(labelArray, functions.col(target).cast("string")).minus(1).cast("double"));

      for (TopiaryModelBytes m : List.of(dense, pruned)) {
        TopiaryScorer scorer = new TopiaryScorer(m).setInputCols(inputs);
        SparkEvaluation.Classification c = SparkEvaluation.classification(scorer, indexed, "label");
        System.out.printf("%-40s %,d parameters: accuracy %.4f, log-loss %.4f over %,d rows%n",
            m == dense ? args[0] : args[1], m.network().parameterCount(), c.accuracy(), c.logLoss(), c.rows());
      }
      new TopiaryScorer(pruned).setInputCols(inputs).transform(indexed)
          .select(functions.col(target), functions.col("probability"), functions.col("prediction")).show(5, false);

      UnitStatistics stats = SparkUnitStatistics.gather(dense, indexed, InputColumns.named(inputs),
          VarianceCriterion.INSTANCE.requiredStatistics(dev.topiary.pruning.stats.StatisticsOptions.defaults()));
      for (LayerStatistics l : stats.layers()) {
        double[] s = l.std();
        Arrays.sort(s);
        System.out.printf("%s: %d units, sigma min %.4g, median %.4g, max %.4g over %,d rows%n",
            l.layer().address(), l.width(), s[0], s[s.length / 2], s[s.length - 1], l.count());
      }
      // Without fine-tuning (that needs the training rows on one machine), a fixed share is the safe demo.
      PruningResult r = SparkPruning.prune(network, stats, VarianceCriterion.INSTANCE,
          ThresholdRule.fractionPerLayer(0.25));
      SparkEvaluation.Classification c = SparkEvaluation.classification(
          new TopiaryScorer(TopiaryModelBytes.of(r.network())).setInputCols(inputs), indexed, "label");
      System.out.printf("pruned from the cluster's statistics (the quarter of each layer with the lowest "
          + "sigma, means folded, not fine-tuned): %,d -> %,d parameters, accuracy %.4f, log-loss %.4f%n",
          r.sizes().parametersBefore(), r.sizes().parametersAfter(), c.accuracy(), c.logLoss());
      if (out != null) {
        ModelFiles.save(r.network(), out);
        // The statistics too, so that the command line can prune from them on a machine without Spark.
        String name = out.getFileName().toString();
        Path statsFile = out.resolveSibling((name.endsWith(".safetensors")
            ? name.substring(0, name.length() - ".safetensors".length()) : name) + ".statistics.json");
        Files.writeString(statsFile, UnitStatisticsJson.write(stats, network));
        System.out.println("saved " + out + " and " + statsFile + "; the same pruned model from those statistics:");
        System.out.println("  topiary prune --model " + args[0] + " --statistics " + statsFile
            + " --ratio 0.25 --out " + out.resolveSibling("cli-" + name));
      }
    } finally {
      spark.stop();
    }
  }
}
