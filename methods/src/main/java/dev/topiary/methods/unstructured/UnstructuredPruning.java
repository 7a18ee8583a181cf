package dev.topiary.methods.unstructured;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.training.Trainer;
import dev.topiary.training.TrainingConfig;
import dev.topiary.training.mask.ParameterMasks;
import java.util.ArrayList;
import java.util.List;

/**
 * The pruning schedules of seed {@code 002} over unstructured magnitude pruning: one-shot, iterative (k
 * rounds of prune and fine-tune) and gradual (Zhu &amp; Gupta's cubic schedule). Fine-tuning always runs
 * with {@link ParameterMasks#zeroWeights}, so pruned weights stay exactly zero through the optimiser,
 * its moments and weight decay. The input network is never modified.
 */
public final class UnstructuredPruning {

  private UnstructuredPruning() {}

  /** Masked training of {@code network} in place; the mask is every weight that is zero now. */
  public static void finetune(Network network, Dataset train, TrainingConfig config) {
    new Trainer(config).masks(ParameterMasks.zeroWeights(network)).fit(network, train);
  }

  /** Prune once to {@code sparsity}, then fine-tune for {@code finetune.epochs()} epochs. */
  public static UnstructuredResult oneShot(Network trained, Dataset train, double sparsity, Scope scope,
      TrainingConfig finetune) {
    Network net = MagnitudePruning.prune(trained, sparsity, scope);
    finetune(net, train, finetune);
    return result(net, List.of(Sparsity.of(net)), finetune.epochs());
  }

  /**
   * {@code rounds} rounds of prune-then-fine-tune. Round r (1-based) prunes to
   * 1 − (1 − s)^{r/k}, so each round removes the same share of the weights that remain, and fine-tunes
   * for {@code finetune.epochs()} epochs.
   */
  public static UnstructuredResult iterative(Network trained, Dataset train, double sparsity, int rounds,
      Scope scope, TrainingConfig finetune) {
    checkRounds(rounds);
    Network net = trained;
    List<Double> reached = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      double s = r == rounds ? sparsity : 1 - Math.pow(1 - sparsity, (double) r / rounds);
      net = MagnitudePruning.prune(net, s, scope);
      finetune(net, train, finetune.withSeed(finetune.seed() + r));
      reached.add(Sparsity.of(net));
    }
    return result(net, reached, rounds * finetune.epochs());
  }

  /**
   * Gradual pruning: at each of the schedule's n steps prune to s(t_0 + k·Δt), then fine-tune for
   * {@code finetune.epochs()} epochs (Δt counted in epochs); the last step reaches the target.
   */
  public static UnstructuredResult gradual(Network trained, Dataset train, CubicSparsity schedule, Scope scope,
      TrainingConfig finetune) {
    Network net = trained;
    List<Double> reached = new ArrayList<>();
    for (int k = 1; k <= schedule.steps(); k++) {
      net = MagnitudePruning.prune(net, schedule.afterStep(k), scope);
      finetune(net, train, finetune.withSeed(finetune.seed() + k));
      reached.add(Sparsity.of(net));
    }
    return result(net, reached, schedule.steps() * finetune.epochs());
  }

  static void checkRounds(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
    }
  }

  private static UnstructuredResult result(Network net, List<Double> reached, int epochs) {
    return new UnstructuredResult(net, Sparsity.of(net), Sparsity.nonZeroParameters(net), reached, epochs);
  }
}
