package dev.topiary.pruning.criteria;

import dev.topiary.pruning.units.LayerAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thresholds worth trying when searching for ε. Removal by "score ≤ ε" is monotone in ε (a larger ε
 * removes a superset), and the removal set only changes when ε crosses a score, so the distinct scores
 * are every threshold that gives a distinct plan; any ε below the smallest removes nothing. A caller
 * evaluates its metric at these values, for instance by bisection, largest compression first.
 */
public final class ThresholdCandidates {

  private ThresholdCandidates() {}

  /** The distinct scores of all given layers together, ascending. */
  public static double[] global(List<LayerScores> scores) {
    return distinctSorted(scores.stream().flatMapToDouble(s -> Arrays.stream(s.scores())).toArray());
  }

  /** Per layer, its distinct scores ascending, in the order given. */
  public static Map<LayerAddress, double[]> perLayer(List<LayerScores> scores) {
    Map<LayerAddress, double[]> out = new LinkedHashMap<>();
    for (LayerScores s : scores) {
      out.put(s.layer().address(), distinctSorted(s.scores()));
    }
    return out;
  }

  /**
   * Per layer, its distinct scores divided by the layer's largest score, ascending: the candidate ratios
   * for a threshold relative to the maximum. A layer whose scores are all 0 gives {0}.
   */
  public static Map<LayerAddress, double[]> perLayerRelative(List<LayerScores> scores) {
    Map<LayerAddress, double[]> out = new LinkedHashMap<>();
    for (LayerScores s : scores) {
      double max = s.max();
      double[] v = s.scores();
      for (int j = 0; j < v.length; j++) {
        v[j] = max > 0 ? v[j] / max : 0.0;
      }
      out.put(s.layer().address(), distinctSorted(v));
    }
    return out;
  }

  private static double[] distinctSorted(double[] v) {
    return Arrays.stream(v).sorted().distinct().toArray();
  }
}
