package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.metrics.Metric;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metrics a command reports: accuracy, macro F1 and log-loss, or R², RMSE and MAE. */
final class Scores {

  private Scores() {}

  /** The reported metrics of a task, the leading one first. */
  static List<Metric> reported(Task task) {
    return task.isClassification() ? List.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.LOG_LOSS)
        : List.of(Metric.R2, Metric.RMSE, Metric.MAE);
  }

  /** Every reported metric of {@code network} on {@code data} (already fitted to the model), from one pass. */
  static Map<Metric, Double> of(Network network, Dataset data) {
    float[] predictions = network.predict(data.x(), data.rows());
    int per = predictions.length / Math.max(1, data.rows());
    int bad = 0;
    int first = -1;
    for (int i = 0; i < predictions.length; i += Math.max(1, per)) {
      boolean finite = true;
      for (int k = i; k < i + per; k++) {
        finite &= Float.isFinite(predictions[k]);
      }
      if (!finite) {
        bad++;
        if (first < 0) {
          first = i / Math.max(1, per);
        }
      }
    }
    if (bad > 0) {
      throw new InputException("the model's outputs are not finite on " + Format.grouped(bad) + " of the "
          + Format.grouped(data.rows()) + " rows of " + data.name() + " (the first is row " + (first + 1)
          + " of that part); its inputs lie too far outside the range the model was trained on to score them");
    }
    Map<Metric, Double> m = new LinkedHashMap<>();
    for (Metric metric : reported(network.task())) {
      m.put(metric, metric.compute(predictions, data));
    }
    return m;
  }

  /** JSON key of a metric: its id with underscores ({@code macro_f1}). */
  static String key(Metric m) {
    return m.id().replace('-', '_');
  }

  /** The scores as a JSON-ready map. */
  static Map<String, Object> toMap(Map<Metric, Double> scores) {
    Map<String, Object> m = new LinkedHashMap<>();
    scores.forEach((k, v) -> m.put(key(k), Format.finite(v)));
    return m;
  }

  /** A person's name for a metric. */
  static String label(Metric m) {
    return switch (m) {
      case ACCURACY -> "accuracy";
      case MACRO_F1 -> "macro F1";
      case LOG_LOSS -> "log-loss";
      case R2 -> "R²";
      case RMSE -> "RMSE";
      case MAE -> "MAE";
      case MSE -> "MSE";
    };
  }
}
