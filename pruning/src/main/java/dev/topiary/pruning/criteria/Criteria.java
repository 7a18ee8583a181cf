package dev.topiary.pruning.criteria;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every criterion of this module by a stable name, for {@code prune --method NAME} and
 * {@code compare --methods LIST}. Names are lower case and never change meaning:
 *
 * <table>
 *   <caption>Criteria</caption>
 *   <tr><th>name</th><th>criterion</th><th>needs</th></tr>
 *   <tr><td>variance</td><td>σ of the output (ODF2NNA)</td><td>data</td></tr>
 *   <tr><td>l1-in, l2-in</td><td>norm of incoming weights</td><td>nothing</td></tr>
 *   <tr><td>l1-out, l2-out</td><td>norm of outgoing weights</td><td>nothing</td></tr>
 *   <tr><td>l1-both, l2-both</td><td>product of the two norms</td><td>nothing</td></tr>
 *   <tr><td>apoz</td><td>1 − average percentage of zeros</td><td>data</td></tr>
 *   <tr><td>mean-activation</td><td>mean |h|</td><td>data</td></tr>
 *   <tr><td>entropy</td><td>histogram entropy, {@value EntropyCriterion#DEFAULT_BINS} bins</td><td>data</td></tr>
 *   <tr><td>fisher</td><td>between- over within-class variance</td><td>labelled data</td></tr>
 *   <tr><td>redundancy</td><td>greedy elimination by |correlation|, merging</td><td>data</td></tr>
 *   <tr><td>redundancy-cosine</td><td>greedy elimination by |cosine|, merging</td><td>data</td></tr>
 *   <tr><td>taylor</td><td>|mean h·∂ℓ/∂h|</td><td>gradients</td></tr>
 *   <tr><td>taylor-abs</td><td>mean |h·∂ℓ/∂h|</td><td>gradients</td></tr>
 *   <tr><td>obd</td><td>½·mean (h·∂ℓ/∂h)²</td><td>gradients</td></tr>
 *   <tr><td>random</td><td>uniform scores, seed {@value #RANDOM_SEED}</td><td>nothing</td></tr>
 * </table>
 *
 * A name may carry one parameter after a colon: {@code random:SEED} and {@code entropy:BINS}.
 */
public final class Criteria {

  /** The seed of {@code random} without a parameter. */
  public static final long RANDOM_SEED = 1;

  private static final Map<String, Supplier<UnitCriterion>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("variance", () -> VarianceCriterion.INSTANCE);
    for (int p = 1; p <= 2; p++) {
      for (MagnitudeCriterion.Direction d : MagnitudeCriterion.Direction.values()) {
        MagnitudeCriterion c = new MagnitudeCriterion(p, d);
        BY_NAME.put(c.name(), () -> c);
      }
    }
    BY_NAME.put("apoz", () -> ApozCriterion.INSTANCE);
    BY_NAME.put("mean-activation", () -> MeanActivationCriterion.INSTANCE);
    BY_NAME.put("entropy", () -> new EntropyCriterion(EntropyCriterion.DEFAULT_BINS));
    BY_NAME.put("fisher", () -> FisherCriterion.INSTANCE);
    BY_NAME.put("redundancy", () -> new RedundancyCriterion(RedundancyCriterion.Similarity.CORRELATION));
    BY_NAME.put("redundancy-cosine", () -> new RedundancyCriterion(RedundancyCriterion.Similarity.COSINE));
    BY_NAME.put("taylor", () -> new TaylorCriterion(TaylorCriterion.Form.ABS_OF_MEAN));
    BY_NAME.put("taylor-abs", () -> new TaylorCriterion(TaylorCriterion.Form.MEAN_OF_ABS));
    BY_NAME.put("obd", () -> ObdCriterion.INSTANCE);
    BY_NAME.put("random", () -> new RandomCriterion(RANDOM_SEED));
  }

  private Criteria() {}

  /** Every name, in the order of the table above. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * The criterion called {@code name} (case-insensitive), optionally with a parameter:
   * {@code random:SEED}, {@code entropy:BINS}.
   *
   * @throws IllegalArgumentException naming the known criteria if there is no such name, or if the
   *     parameter is malformed or not accepted by that criterion
   */
  public static UnitCriterion byName(String name) {
    String n = name.trim().toLowerCase(java.util.Locale.ROOT);
    int colon = n.indexOf(':');
    String base = colon < 0 ? n : n.substring(0, colon);
    String param = colon < 0 ? null : n.substring(colon + 1);
    Supplier<UnitCriterion> s = BY_NAME.get(base);
    if (s == null) {
      throw new IllegalArgumentException("unknown pruning criterion '" + name + "'; known: "
          + String.join(", ", BY_NAME.keySet()));
    }
    if (param == null) {
      return s.get();
    }
    try {
      switch (base) {
        case "random":
          return new RandomCriterion(Long.parseLong(param));
        case "entropy":
          return new EntropyCriterion(Integer.parseInt(param));
        default:
          throw new IllegalArgumentException("criterion '" + base + "' takes no parameter, found '"
              + name + "'");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("criterion '" + name + "': parameter '" + param
          + "' is not an integer", e);
    }
  }
}
