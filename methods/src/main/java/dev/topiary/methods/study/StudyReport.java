package dev.topiary.methods.study;

import dev.topiary.core.metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pre-training study's measurements.
 *
 * @param data the data set's name
 * @param metric the test metric
 * @param keepFraction the parameter budget of every pruned network
 * @param points one point per axis value and method
 */
public record StudyReport(String data, Metric metric, double keepFraction, List<Point> points) {

  /** Copies the list. */
  public StudyReport {
    points = List.copyOf(points);
  }

  /** The two things the study varies. */
  public enum Axis {
    /** Checkpoints of one training run on all training rows. */
    PRETRAINING,
    /** Full training runs on growing subsets of the training rows. */
    DATA_SIZE
  }

  /**
   * One pruned network.
   *
   * @param axis what varies
   * @param epochs epochs of pre-training before pruning
   * @param iterations optimiser steps of pre-training before pruning
   * @param rows training rows of the pre-training (and the fine-tuning)
   * @param method the pruning method
   * @param denseMetric the test metric of the network that was pruned
   * @param metric the test metric after pruning and fine-tuning
   * @param parametersKept parameters of the pruned network over the dense network's
   */
  public record Point(Axis axis, int epochs, long iterations, int rows, String method, double denseMetric,
      double metric, double parametersKept) {}

  /** The points of one axis. */
  public List<Point> along(Axis axis) {
    return points.stream().filter(p -> p.axis() == axis).toList();
  }

  /** The points as CSV with a header line. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder(
        "axis,epochs,iterations,rows,method,metric,dense_metric,pruned_metric,parameters_kept\n");
    for (Point p : points) {
      sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%.6f,%.6f,%.6f%n",
          p.axis().name().toLowerCase(Locale.ROOT), p.epochs(), p.iterations(), p.rows(), p.method(), metric.id(),
          p.denseMetric(), p.metric(), p.parametersKept()));
    }
    return sb.toString();
  }

  /** Everything as JSON-ready maps and lists. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    m.put("metric", metric.id());
    m.put("keepFraction", keepFraction);
    List<Object> ps = new ArrayList<>();
    for (Point p : points) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("axis", p.axis().name().toLowerCase(Locale.ROOT));
      x.put("epochs", p.epochs());
      x.put("iterations", p.iterations());
      x.put("rows", p.rows());
      x.put("method", p.method());
      x.put("denseMetric", p.denseMetric());
      x.put("metric", p.metric());
      x.put("parametersKept", p.parametersKept());
      ps.add(x);
    }
    m.put("points", ps);
    return m;
  }
}
