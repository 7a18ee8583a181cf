package dev.topiary.pruning.plan;

import dev.topiary.pruning.criteria.LayerScores;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@link ThresholdRule} decided for one layer.
 *
 * @param scores the layer's scores the decision was made on
 * @param removed indices of the units to remove, ascending
 * @param threshold the ε the layer's scores were compared with (units with score ≤ ε go); for the
 *     fraction rules the largest removed score, NaN when nothing is removed
 * @param keptForMinimum true when the rule would have removed more and units were kept so that the layer
 *     keeps its minimum number of units
 */
public record LayerSelection(LayerScores scores, int[] removed, double threshold, boolean keptForMinimum) {

  /** Checks the indices and copies them. */
  public LayerSelection {
    Objects.requireNonNull(scores, "scores");
    removed = removed.clone();
    for (int i = 0; i < removed.length; i++) {
      if (removed[i] < 0 || removed[i] >= scores.width() || (i > 0 && removed[i] <= removed[i - 1])) {
        throw new IllegalArgumentException("removed indices must be ascending in [0, " + scores.width()
            + "), found " + Arrays.toString(removed));
      }
    }
  }

  /** A copy of the removed indices. */
  @Override
  public int[] removed() {
    return removed.clone();
  }

  /** Number of units kept. */
  public int kept() {
    return scores.width() - removed.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LayerSelection s && s.scores.equals(scores) && Arrays.equals(s.removed, removed)
        && Double.compare(s.threshold, threshold) == 0 && s.keptForMinimum == keptForMinimum;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scores, Arrays.hashCode(removed), threshold, keptForMinimum);
  }

  @Override
  public String toString() {
    return "LayerSelection[" + scores.layer().address() + ", remove " + removed.length + " of "
        + scores.width() + ", threshold " + threshold + (keptForMinimum ? ", kept for minimum" : "") + "]";
  }
}
