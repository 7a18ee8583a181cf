package dev.topiary.pruning.criteria;

import dev.topiary.pruning.units.HiddenLayer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A criterion's scores for the units of one hidden layer; higher means more worth keeping.
 *
 * @param layer the scored layer
 * @param criterion the criterion's name
 * @param scores one finite score per unit
 */
public record LayerScores(HiddenLayer layer, String criterion, double[] scores) {

  /** Checks that there is one finite score per unit, and copies them. */
  public LayerScores {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(criterion, "criterion");
    if (scores.length != layer.width()) {
      throw new IllegalArgumentException("criterion '" + criterion + "' gave " + scores.length
          + " scores for the " + layer.width() + " units of " + layer.address());
    }
    for (int j = 0; j < scores.length; j++) {
      if (Double.isNaN(scores[j])) {
        throw new IllegalArgumentException("criterion '" + criterion + "' scored unit " + j + " of "
            + layer.address() + " as NaN");
      }
    }
    scores = scores.clone();
  }

  /** The score of unit j. */
  public double score(int j) {
    return scores[j];
  }

  /** A copy of the scores. */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** Number of units. */
  public int width() {
    return scores.length;
  }

  /** The largest score. */
  public double max() {
    return Arrays.stream(scores).max().orElseThrow();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerScores s && s.layer.equals(layer) && s.criterion.equals(criterion)
        && Arrays.equals(s.scores, scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, criterion, Arrays.hashCode(scores));
  }

  @Override
  public String toString() {
    return "LayerScores[" + criterion + ", " + layer.address() + ", " + scores.length + " units]";
  }
}
