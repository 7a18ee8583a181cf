package dev.topiary.core.model;

import java.util.List;

/**
 * What a network predicts: K classes (the network emits K logits, read through softmax) or one or more
 * real-valued outputs.
 *
 * @param kind classification or regression
 * @param classLabels the class names in output order (classification); empty for regression
 * @param outputs number of network outputs: K for classification, the target count for regression
 */
public record Task(Kind kind, List<String> classLabels, int outputs) {

  /** The two kinds of task. */
  public enum Kind {
    /** K classes, one logit per class. */
    CLASSIFICATION,
    /** Real-valued outputs. */
    REGRESSION
  }

  /** Checks the invariants: at least two classes for classification, at least one output for regression. */
  public Task {
    classLabels = List.copyOf(classLabels);
    if (kind == Kind.CLASSIFICATION) {
      if (classLabels.size() < 2) {
        throw new IllegalArgumentException(
            "a classification task needs at least 2 classes, found " + classLabels.size());
      }
      if (outputs != classLabels.size()) {
        throw new IllegalArgumentException(
            "outputs (" + outputs + ") must equal the class count (" + classLabels.size() + ")");
      }
    } else if (outputs < 1 || !classLabels.isEmpty()) {
      throw new IllegalArgumentException("a regression task needs >= 1 output and no class labels");
    }
  }

  /** A classification task over the given labels, in output order. */
  public static Task classification(List<String> labels) {
    return new Task(Kind.CLASSIFICATION, labels, labels.size());
  }

  /** A regression task with {@code outputs} outputs. */
  public static Task regression(int outputs) {
    return new Task(Kind.REGRESSION, List.of(), outputs);
  }

  /** True for classification. */
  public boolean isClassification() {
    return kind == Kind.CLASSIFICATION;
  }

  /** Number of classes; 0 for regression. */
  public int classes() {
    return classLabels.size();
  }
}
