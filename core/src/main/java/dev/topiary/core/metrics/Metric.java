package dev.topiary.core.metrics;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Task;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A figure of merit that early stopping, automatic pruning and reports can compare without knowing which
 * it is: each metric says whether higher is better and computes itself from a model's outputs.
 *
 * <p>Outputs are row-major [rows × task outputs]: class probabilities for classification (accuracy and
 * macro F1 take the most probable class, so logits work for them too, but log-loss needs probabilities),
 * predictions in the target's units for regression.
 */
public enum Metric {
  /** Fraction of rows classified right. */
  ACCURACY("accuracy", true, true),
  /** Unweighted mean of the per-class F1 scores (see {@link ConfusionMatrix#macroF1()}). */
  MACRO_F1("macro-f1", true, true),
  /** Mean negative log-probability of the true class (see {@link ClassificationMetrics#logLoss}). */
  LOG_LOSS("log-loss", false, true),
  /** Mean squared error. */
  MSE("mse", false, false),
  /** Root mean squared error. */
  RMSE("rmse", false, false),
  /** Mean absolute error. */
  MAE("mae", false, false),
  /** Coefficient of determination (see {@link RegressionMetrics#r2(float[], float[], int)}). */
  R2("r2", true, false);

  private final String id;
  private final boolean higherIsBetter;
  private final boolean classification;

  Metric(String id, boolean higherIsBetter, boolean classification) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
    this.classification = classification;
  }

  /** The name used on the command line and in reports, e.g. {@code macro-f1}. */
  public String id() {
    return id;
  }

  /** True when a larger value is a better model. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when the metric applies to {@code task}. */
  public boolean appliesTo(Task task) {
    return task.isClassification() == classification;
  }

  /** True when {@code candidate} is strictly better than {@code incumbent}; NaN is worse than anything. */
  public boolean isBetter(double candidate, double incumbent) {
    return isBetter(candidate, incumbent, 0.0);
  }

  /**
   * True when {@code candidate} is better than {@code incumbent} by more than {@code margin} (≥ 0); NaN is
   * worse than anything.
   */
  public boolean isBetter(double candidate, double incumbent, double margin) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(incumbent)) {
      return true;
    }
    return higherIsBetter ? candidate > incumbent + margin : candidate < incumbent - margin;
  }

  /** A value every real value beats: −∞ when higher is better, +∞ otherwise. */
  public double worst() {
    return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /**
   * How much worse {@code value} is than {@code reference}, in the metric's units: positive when worse,
   * negative when better (e.g. an accuracy drop of 0.01 gives 0.01, and so does an MSE rise of 0.01).
   */
  public double degradation(double value, double reference) {
    return higherIsBetter ? reference - value : value - reference;
  }

  /**
   * The metric of {@code outputs} against the labels or targets of {@code truth}.
   *
   * @throws IllegalArgumentException when the metric does not apply to the data's task or the outputs do
   *     not have rows × outputs values
   */
  public double compute(float[] outputs, Dataset truth) {
    Task task = truth.task();
    return task.isClassification()
        ? compute(outputs, truth.labels(), task.classes())
        : compute(outputs, truth.targets(), task.outputs());
  }

  /** A classification metric from [rows × classes] probabilities and the true labels. */
  public double compute(float[] probabilities, int[] labels, int classes) {
    if (!classification) {
      throw new IllegalArgumentException(id + " is a regression metric; it cannot score class labels");
    }
    ClassificationMetrics.checkShape(probabilities, labels, classes);
    if (this == LOG_LOSS) {
      return ClassificationMetrics.logLoss(probabilities, labels, classes);
    }
    int[] predicted = ClassificationMetrics.argmax(probabilities, labels.length, classes);
    return this == ACCURACY
        ? ClassificationMetrics.accuracy(predicted, labels)
        : ClassificationMetrics.macroF1(predicted, labels, classes);
  }

  /** A regression metric from [rows × outputs] predictions and targets. */
  public double compute(float[] predictions, float[] targets, int outputs) {
    if (classification) {
      throw new IllegalArgumentException(id + " is a classification metric; it cannot score real targets");
    }
    return switch (this) {
      case MSE -> RegressionMetrics.mse(predictions, targets);
      case RMSE -> RegressionMetrics.rmse(predictions, targets);
      case MAE -> RegressionMetrics.mae(predictions, targets);
      default -> RegressionMetrics.r2(predictions, targets, outputs);
    };
  }

  /** The metric a report leads with: accuracy for classification, R² for regression. */
  public static Metric defaultFor(Task task) {
    return task.isClassification() ? ACCURACY : R2;
  }

  /** The metrics that apply to {@code task}, in declaration order. */
  public static List<Metric> forTask(Task task) {
    return Arrays.stream(values()).filter(m -> m.appliesTo(task)).toList();
  }

  /** The metric named {@code name} ({@link #id()} or the constant's name, any case, {@code _} or {@code -}). */
  public static Metric parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Metric m : values()) {
      if (m.id.equals(n) || m.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + name + "'; known: "
        + String.join(", ", Arrays.stream(values()).map(Metric::id).toList()));
  }
}
