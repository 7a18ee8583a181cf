package dev.topiary.methods.compare;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.methods.greedy.GreedyConfig;
import dev.topiary.methods.greedy.GreedyResult;
import dev.topiary.methods.greedy.GreedySelection;
import dev.topiary.methods.greedy.GreedyVariant;
import dev.topiary.methods.lottery.LotteryTicket;
import dev.topiary.methods.lottery.Rewind;
import dev.topiary.methods.penalty.Penalty;
import dev.topiary.methods.penalty.PenaltyPruning;
import dev.topiary.methods.penalty.PenaltyResult;
import dev.topiary.methods.unstructured.CubicSparsity;
import dev.topiary.methods.unstructured.PruneAtInit;
import dev.topiary.methods.unstructured.Scope;
import dev.topiary.methods.unstructured.Sparsity;
import dev.topiary.methods.unstructured.UnstructuredPruning;
import dev.topiary.methods.unstructured.UnstructuredResult;
import dev.topiary.pruning.criteria.Criteria;
import dev.topiary.pruning.criteria.RandomCriterion;
import dev.topiary.pruning.criteria.UnitCriterion;
import dev.topiary.pruning.criteria.VarianceCriterion;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.training.EarlyStopping;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The methods a comparison knows by name. Methods that prune a trained network spend
 * {@link Budget#finetuneEpochs()} epochs in total on training afterwards, spread over their rounds;
 * methods that prune at initialisation train their masked network for {@link Budget#trainEpochs()}
 * epochs instead.
 *
 * <table>
 *   <caption>Methods</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>variance</td><td>ODF2NNA: lowest σ per layer removed, means folded</td></tr>
 *   <tr><td>every other name of {@link Criteria#names()}</td><td>lowest scores per layer removed, means
 *       folded (or merged, for the redundancy criteria); the gradient criteria get their gradients
 *       from the training rows; {@code random} draws its scores from the run's seed; {@code fisher}
 *       applies to classification only</td></tr>
 *   <tr><td>greedy-scaled, greedy-mean</td><td>greedy forward selection to the unit budget</td></tr>
 *   <tr><td>group-lasso</td><td>half the budget with a group-lasso penalty, lowest norms removed</td></tr>
 *   <tr><td>magnitude, magnitude-layer</td><td>one-shot unstructured magnitude, global or per layer</td></tr>
 *   <tr><td>iterative-magnitude</td><td>3 rounds of global magnitude pruning and fine-tuning</td></tr>
 *   <tr><td>gradual-cubic</td><td>3 steps of Zhu &amp; Gupta's cubic schedule</td></tr>
 *   <tr><td>lottery-rewind</td><td>3 lottery-ticket rounds, weights rewound to the early iterate</td></tr>
 *   <tr><td>lottery-lr-rewind</td><td>3 rounds with learning-rate rewinding</td></tr>
 *   <tr><td>snip, random-init</td><td>pruning at initialisation, then masked training</td></tr>
 *   <tr><td>complexity-aware</td><td>complexity-aware training from the same initialisation for the same
 *       epochs in all, ν searched to the mean FLOPs of the structured methods ({@link FlopsMatched})</td></tr>
 * </table>
 */
public final class Methods {

  private Methods() {}

  /** The group-lasso coefficient of the {@code group-lasso} method. */
  public static final double GROUP_LASSO_LAMBDA = 0.01;

  /** Rounds of the iterative, gradual and lottery-ticket methods. */
  public static final int ROUNDS = 3;

  @FunctionalInterface
  private interface Body {
    MethodResult apply(TrainedNetwork t, Split split, double keep, Budget budget);
  }

  private record Simple(String name, String description, Body body) implements PruningMethod {
    @Override
    public MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget) {
      return body.apply(trained, split, keepFraction, budget);
    }
  }

  /** Every built-in method, in table order. */
  public static List<PruningMethod> all() {
    List<PruningMethod> m = new ArrayList<>();
    for (String name : Criteria.names()) {
      m.add(structured(name));
    }
    m.add(greedy(GreedyVariant.SCALED));
    m.add(greedy(GreedyVariant.MEAN_REPLACEMENT));
    m.add(new Simple("group-lasso", "group-lasso training, lowest incoming norms removed",
        Methods::groupLasso));
    m.add(new Simple("magnitude", "one-shot global magnitude (masks)",
        (t, s, k, b) -> unstructured(t, UnstructuredPruning.oneShot(t.network(), s.train(),
            Sparsity.forParameterFraction(t.network(), k), Scope.GLOBAL,
            Budget.finetune(t, b.finetuneEpochs(), 1)), "one shot, global")));
    m.add(new Simple("magnitude-layer", "one-shot per-layer magnitude (masks)",
        (t, s, k, b) -> unstructured(t, UnstructuredPruning.oneShot(t.network(), s.train(),
            Sparsity.forParameterFraction(t.network(), k), Scope.PER_LAYER,
            Budget.finetune(t, b.finetuneEpochs(), 1)), "one shot, per layer")));
    m.add(new Simple("iterative-magnitude", ROUNDS + " rounds of global magnitude + fine-tune (masks)",
        (t, s, k, b) -> unstructured(t, UnstructuredPruning.iterative(t.network(), s.train(),
            Sparsity.forParameterFraction(t.network(), k), ROUNDS, Scope.GLOBAL,
            Budget.finetune(t, perRound(b), 1)), ROUNDS + " rounds")));
    m.add(new Simple("gradual-cubic", "Zhu & Gupta cubic sparsity over " + ROUNDS + " steps (masks)",
        (t, s, k, b) -> unstructured(t, UnstructuredPruning.gradual(t.network(), s.train(),
            new CubicSparsity(0, Sparsity.forParameterFraction(t.network(), k), 0, ROUNDS, perRound(b)),
            Scope.GLOBAL, Budget.finetune(t, perRound(b), 1)), ROUNDS + " cubic steps")));
    m.add(new Simple("lottery-rewind", "lottery ticket, weights rewound to the early iterate (masks)",
        (t, s, k, b) -> unstructured(t, LotteryTicket.run(t.network(), t.early(), s.train(),
            Sparsity.forParameterFraction(t.network(), k), ROUNDS, Rewind.WEIGHTS,
            rewound(t, perRound(b))), ROUNDS + " rounds, rewound to step " + t.earlyStep())));
    m.add(new Simple("lottery-lr-rewind", "lottery ticket with learning-rate rewinding (masks)",
        (t, s, k, b) -> unstructured(t, LotteryTicket.run(t.network(), t.early(), s.train(),
            Sparsity.forParameterFraction(t.network(), k), ROUNDS, Rewind.LEARNING_RATE,
            rewound(t, perRound(b))), ROUNDS + " rounds, schedule restarted")));
    m.add(new Simple("snip", "SNIP at initialisation, then masked training (masks)",
        (t, s, k, b) -> atInit(t, s, b, PruneAtInit.snip(t.initial(), batch(s.train()),
            Sparsity.forParameterFraction(t.network(), k)), "SNIP on " + batch(s.train()).rows() + " rows")));
    m.add(new Simple("random-init", "random weights dropped at initialisation, then masked training (masks)",
        (t, s, k, b) -> atInit(t, s, b, PruneAtInit.random(t.initial(),
            Sparsity.forParameterFraction(t.network(), k), t.seed()), "random at init")));
    m.add(ComplexityAwareMethod.defaults());
    return m;
  }

  /** The built-in methods by name, in table order. */
  public static Map<String, PruningMethod> byName() {
    Map<String, PruningMethod> m = new LinkedHashMap<>();
    for (PruningMethod p : all()) {
      m.put(p.name(), p);
    }
    return m;
  }

  /**
   * The methods a command line names: {@code all}, or a comma-separated list of names.
   *
   * @throws IllegalArgumentException naming an unknown method and listing the known ones
   */
  public static List<PruningMethod> parse(String list) {
    Map<String, PruningMethod> known = byName();
    if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
      return List.copyOf(known.values());
    }
    List<PruningMethod> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String n = part.trim().toLowerCase(Locale.ROOT);
      PruningMethod m = known.get(n);
      if (m == null) {
        throw new IllegalArgumentException("unknown method '" + part.trim() + "'; known: all, "
            + String.join(", ", known.keySet()));
      }
      if (!out.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** The registry's criterion {@code name} as a one-shot structured method. */
  private static PruningMethod structured(String name) {
    if (name.equals(VarianceCriterion.INSTANCE.name())) {
      return StructuredMethod.of(VarianceCriterion.INSTANCE, "ODF2NNA: lowest output σ per layer, means folded");
    }
    if (name.equals("random")) {
      // The control: a different draw for every seed of the comparison.
      return new StructuredMethod(name, "random units per layer, means folded", RandomCriterion::new);
    }
    UnitCriterion c = Criteria.byName(name);
    return StructuredMethod.of(c, "lowest " + name + " scores per layer, "
        + (c.mergesRemovedUnits() ? "merged into their most similar kept unit" : "means folded"));
  }

  /** Greedy forward selection with exactly the unit budget (no metric stop), then fine-tuning. */
  public static PruningMethod greedy(GreedyVariant variant) {
    String name = variant == GreedyVariant.SCALED ? "greedy-scaled" : "greedy-mean";
    return new Simple(name, "greedy forward selection, " + (variant == GreedyVariant.SCALED
        ? "outgoing weights scaled by n/|S|" : "unselected units folded by their means"),
        (t, s, k, b) -> {
          double p = UnitBudget.removalFraction(t.network(), k);
          GreedyResult g = GreedySelection.prune(t.network(), s.train(),
              GreedyConfig.budget(variant, 1 - p).withSeed(t.seed()));
          Network net = g.network();
          new Trainer(Budget.finetune(t, b.finetuneEpochs(), 1)).fit(net, s.train());
          return new MethodResult(net, true, net.parameterCount(), net.flops(), b.finetuneEpochs(),
              g.plan().removedUnits() + " units removed, " + g.layers().size() + " layers selected");
        });
  }

  private static MethodResult groupLasso(TrainedNetwork t, Split s, double keep, Budget b) {
    int penaltyEpochs = Math.max(1, (b.finetuneEpochs() + 1) / 2);
    int after = Math.max(1, b.finetuneEpochs() - penaltyEpochs);
    double p = UnitBudget.removalFraction(t.network(), keep);
    TrainingConfig penaltyRun = Budget.finetune(t, penaltyEpochs, 2).withEarlyStopping(EarlyStopping.off());
    PenaltyResult r = PenaltyPruning.run(t.network(), s.train(), Penalty.groupLasso(GROUP_LASSO_LAMBDA),
        penaltyRun, ThresholdRule.fractionPerLayer(p), Budget.finetune(t, after, 1));
    Network net = r.network();
    return new MethodResult(net, true, net.parameterCount(), net.flops(), penaltyEpochs + after,
        penaltyEpochs + " epochs with group lasso λ=" + GROUP_LASSO_LAMBDA + ", "
            + r.pruning().plan().removedUnits() + " units removed, " + after + " epochs fine-tuning");
  }

  private static int perRound(Budget b) {
    return Math.max(1, b.finetuneEpochs() / ROUNDS);
  }

  /** Retraining that restarts the dense run's schedule (warm-up and cosine) over the given epochs. */
  private static TrainingConfig rewound(TrainedNetwork t, int epochs) {
    return t.training().withEpochs(epochs).withSeed(t.seed() + 1);
  }

  private static MethodResult unstructured(TrainedNetwork t, UnstructuredResult r, String what) {
    return new MethodResult(r.network(), false, r.nonZeroParameters(), r.network().flops(), r.finetuneEpochs(),
        what + String.format(Locale.ROOT, ", weight sparsity %.3f", r.sparsity()));
  }

  private static MethodResult atInit(TrainedNetwork t, Split s, Budget b, Network masked, String what) {
    UnstructuredPruning.finetune(masked, s.train(), t.training());
    return new MethodResult(masked, false, Sparsity.nonZeroParameters(masked), masked.flops(),
        t.training().epochs(), what + String.format(Locale.ROOT, ", weight sparsity %.3f", Sparsity.of(masked)));
  }

  /** At most 256 training rows for SNIP's gradient, the first ones (the split is already shuffled). */
  private static Dataset batch(Dataset train) {
    int n = Math.min(256, train.rows());
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return train.subset(idx, train.name() + "/snip");
  }
}
