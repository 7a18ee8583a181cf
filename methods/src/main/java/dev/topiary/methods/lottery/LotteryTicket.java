package dev.topiary.methods.lottery;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import dev.topiary.methods.unstructured.MagnitudePruning;
import dev.topiary.methods.unstructured.Scope;
import dev.topiary.methods.unstructured.Sparsity;
import dev.topiary.methods.unstructured.UnstructuredPruning;
import dev.topiary.methods.unstructured.UnstructuredResult;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Iterative magnitude pruning with rewinding (Frankle &amp; Carbin 2019; Frankle et al. 2020; Renda et al.
 * 2020). Each round prunes the trained network's smallest surviving weights (global magnitude), then
 * either resets the survivors to a stored iterate θ_k and retrains ({@link Rewind#WEIGHTS}), or keeps
 * them and retrains with the learning-rate schedule started afresh ({@link Rewind#LEARNING_RATE}).
 * Retraining is masked, so pruned weights stay zero. Round r prunes to 1 − (1 − s)^{r/k}.
 */
public final class LotteryTicket {

  private LotteryTicket() {}

  /**
   * Runs {@code rounds} rounds from a trained network.
   *
   * @param trained the network after training; not modified
   * @param rewindTo the stored iterate (same shapes) the survivors return to under {@link Rewind#WEIGHTS};
   *     ignored under {@link Rewind#LEARNING_RATE}
   * @param retrain the training run after each round: its schedule is what learning-rate rewinding
   *     restarts
   */
  public static UnstructuredResult run(Network trained, Network rewindTo, Dataset train, double sparsity,
      int rounds, Rewind rewind, TrainingConfig retrain) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
    }
    Network net = trained;
    List<Double> reached = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      double s = r == rounds ? sparsity : 1 - Math.pow(1 - sparsity, (double) r / rounds);
      Network pruned = MagnitudePruning.prune(net, s, Scope.GLOBAL);
      net = rewind == Rewind.WEIGHTS ? rewind(pruned, rewindTo) : pruned;
      UnstructuredPruning.finetune(net, train, retrain.withSeed(retrain.seed() + r));
      reached.add(Sparsity.of(net));
    }
    return new UnstructuredResult(net, Sparsity.of(net), Sparsity.nonZeroParameters(net), reached,
        rounds * retrain.epochs());
  }

  /**
   * A copy of {@code stored} with the sparsity pattern of {@code pruned}: every weight that is zero in
   * {@code pruned} is zero, every other weight and every bias is the stored value, bit for bit.
   *
   * @throws IllegalArgumentException if the two networks' dense layers differ in shape
   */
  public static Network rewind(Network pruned, Network stored) {
    List<DenseLayer> p = pruned.denseLayers();
    Network out = stored.copy();
    List<DenseLayer> s = out.denseLayers();
    if (p.size() != s.size()) {
      throw new IllegalArgumentException("the stored network has " + s.size() + " dense layers, the pruned "
          + p.size());
    }
    for (int l = 0; l < p.size(); l++) {
      float[] pw = p.get(l).weight();
      float[] sw = s.get(l).weight();
      if (pw.length != sw.length) {
        throw new IllegalArgumentException("dense layer " + l + ": stored weights have " + sw.length
            + " values, pruned " + pw.length);
      }
      for (int i = 0; i < pw.length; i++) {
        if (pw[i] == 0f) {
          sw[i] = 0f;
        }
      }
    }
    return out.withScaling(pruned.inputScaling(), pruned.outputScaling());
  }
}
