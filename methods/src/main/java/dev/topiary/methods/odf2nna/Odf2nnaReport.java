package dev.topiary.methods.odf2nna;

import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.pruning.plan.PruningPlan;
import dev.topiary.pruning.surgery.LayerSize;
import dev.topiary.pruning.surgery.SizeReport;
import dev.topiary.training.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ODF2NNA run produced and measured.
 *
 * @param data where the data came from
 * @param metric the metric of every score below
 * @param original the trained network before pruning
 * @param pruned the network right after surgery, before fine-tuning (iterative schedule: right after the
 *     last step's surgery, which started from a network fine-tuned after each earlier step)
 * @param finetuned the pruned network after fine-tuning (the result)
 * @param scratch the pruned architecture trained from a fresh initialisation, or null when not asked for
 * @param sizes units, parameters and FLOPs per layer, before and after
 * @param plan the removals, with each unit's score and mean (iterative schedule: the last step's, on the
 *     network that step started from)
 * @param criterion the name of the criterion that scored the units ({@code variance}: σ)
 * @param epsilon how ε was chosen, in words
 * @param epsilonValue the ε used (absolute, or relative to each layer's largest σ), NaN for fraction rules
 * @param probes the automatic search's trials, in the order tried (empty when ε was given)
 * @param test scores on the test split
 * @param validation scores on the validation split
 * @param originalTraining how the original network's training went, or null when it was given trained
 * @param finetuneTraining how fine-tuning went, or null when skipped
 * @param finetuneKept whether the fine-tuned weights were kept; false when fine-tuning did not improve
 *     the validation metric of the pruned network, which is then delivered as it is
 * @param scratchTraining how the control's training went, or null
 * @param stageTimes wall time of each stage, in order
 * @param selection how the tested search chose the compression, or null for another ε choice
 */
public record Odf2nnaReport(String data, Metric metric, Network original, Network pruned, Network finetuned,
    Network scratch, SizeReport sizes, PruningPlan plan, String criterion, String epsilon, double epsilonValue,
    List<Probe> probes, Scores test, Scores validation, TrainingResult originalTraining,
    TrainingResult finetuneTraining, boolean finetuneKept, TrainingResult scratchTraining, Map<String, Duration> stageTimes,
    Selection selection) {

  /** Copies the collections. */
  public Odf2nnaReport {
    probes = List.copyOf(probes);
    stageTimes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageTimes));
  }

  /**
   * One trial of the automatic ε search.
   *
   * @param epsilon the ε tried
   * @param parametersKept parameters of the pruned network
   * @param validationMetric its validation metric before fine-tuning
   * @param accepted whether it stayed within the tolerance
   */
  public record Probe(double epsilon, long parametersKept, double validationMetric, boolean accepted) {}

  /**
   * One metric measured on four networks.
   *
   * @param original the trained network
   * @param pruned after surgery, before fine-tuning
   * @param finetuned after fine-tuning
   * @param scratch the from-scratch control, NaN when not trained
   */
  public record Scores(double original, double pruned, double finetuned, double scratch) {}

  /** Fraction of parameters removed, in [0, 1]. */
  public double parametersRemoved() {
    return 1.0 - (double) sizes.parametersAfter() / sizes.parametersBefore();
  }

  /** Fraction of FLOPs removed, in [0, 1]. */
  public double flopsRemoved() {
    return 1.0 - (double) sizes.flopsAfter() / sizes.flopsBefore();
  }

  /** The whole report as nested maps and lists of strings, numbers and booleans, ready for JSON. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", criterion);
    m.put("data", data);
    m.put("metric", metric.id());
    m.put("epsilon", epsilon);
    m.put("epsilon_value", finite(epsilonValue));
    m.put("topology_before", original.describe());
    m.put("topology_after", finetuned.describe());
    m.put("parameters_before", sizes.parametersBefore());
    m.put("parameters_after", sizes.parametersAfter());
    m.put("parameters_removed", parametersRemoved());
    m.put("flops_before", sizes.flopsBefore());
    m.put("flops_after", sizes.flopsAfter());
    m.put("flops_removed", flopsRemoved());
    List<Object> layers = new ArrayList<>();
    for (LayerSize l : sizes.layers()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("layer", l.layer().toString());
      e.put("units_before", l.unitsBefore());
      e.put("units_after", l.unitsAfter());
      e.put("parameters_before", l.parametersBefore());
      e.put("parameters_after", l.parametersAfter());
      e.put("flops_before", l.flopsBefore());
      e.put("flops_after", l.flopsAfter());
      layers.add(e);
    }
    m.put("layers", layers);
    m.put("test", scores(test));
    m.put("validation", scores(validation));
    if (!probes.isEmpty()) {
      List<Object> p = new ArrayList<>();
      for (Probe pr : probes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epsilon", pr.epsilon());
        e.put("parameters_kept", pr.parametersKept());
        e.put("validation_metric", finite(pr.validationMetric()));
        e.put("accepted", pr.accepted());
        p.add(e);
      }
      m.put("search", p);
    }
    if (selection != null) {
      m.put("selection", selection.toMap());
    }
    Map<String, Object> epochs = new LinkedHashMap<>();
    if (originalTraining != null) {
      epochs.put("original", originalTraining.epochsRun());
    }
    if (finetuneTraining != null) {
      epochs.put("finetune", finetuneTraining.epochsRun());
      m.put("finetune_kept", finetuneKept);
    }
    if (scratchTraining != null) {
      epochs.put("scratch", scratchTraining.epochsRun());
    }
    m.put("epochs", epochs);
    Map<String, Object> t = new LinkedHashMap<>();
    stageTimes.forEach((k, v) -> t.put(k, v.toNanos() / 1e9));
    m.put("seconds", t);
    return m;
  }

  private static Map<String, Object> scores(Scores s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("original", finite(s.original()));
    m.put("pruned", finite(s.pruned()));
    m.put("finetuned", finite(s.finetuned()));
    m.put("scratch", finite(s.scratch()));
    return m;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
