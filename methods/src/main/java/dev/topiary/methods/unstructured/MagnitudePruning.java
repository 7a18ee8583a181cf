package dev.topiary.methods.unstructured;

import dev.topiary.core.model.DenseLayer;
import dev.topiary.core.model.Network;
import java.util.Arrays;
import java.util.List;

/**
 * Unstructured magnitude pruning (Han et al. 2015): zero the weights of smallest absolute value. Biases
 * are never pruned. Weights that are already zero rank first, so pruning a pruned network to a higher
 * sparsity keeps every earlier zero (the iterative and gradual schedules rely on this).
 *
 * <p>Exactly ⌊s·N + ½⌋ weights are zeroed, N being all weights ({@link Scope#GLOBAL}) or each layer's
 * ({@link Scope#PER_LAYER}); among equal magnitudes the later weight (higher layer, then higher index)
 * goes first.
 */
public final class MagnitudePruning {

  private MagnitudePruning() {}

  /**
   * A copy of {@code network} with a fraction {@code sparsity} of its weights set to zero.
   *
   * @throws IllegalArgumentException if sparsity is not in [0, 1]
   */
  public static Network prune(Network network, double sparsity, Scope scope) {
    if (!(sparsity >= 0 && sparsity <= 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1], found " + sparsity);
    }
    Network out = network.copy();
    List<DenseLayer> dense = out.denseLayers();
    if (scope == Scope.PER_LAYER) {
      for (DenseLayer d : dense) {
        float[] w = d.weight();
        zeroSmallest(new float[][] {w}, count(sparsity, w.length));
      }
    } else {
      float[][] all = new float[dense.size()][];
      long total = 0;
      for (int l = 0; l < all.length; l++) {
        all[l] = dense.get(l).weight();
        total += all[l].length;
      }
      zeroSmallest(all, count(sparsity, total));
    }
    return out;
  }

  static long count(double sparsity, long n) {
    return Math.min(n, Math.round(sparsity * n));
  }

  /** Zeroes the k weights of smallest magnitude over the given tensors, ties to the later weight. */
  static void zeroSmallest(float[][] tensors, long k) {
    boolean[][] marks = smallest(tensors, k);
    for (int t = 0; t < tensors.length; t++) {
      for (int i = 0; i < marks[t].length; i++) {
        if (marks[t][i]) {
          tensors[t][i] = 0f;
        }
      }
    }
  }

  /**
   * Marks the k values of smallest magnitude over the given tensors (one mark array per tensor); among
   * equal magnitudes the later value (higher tensor, then higher index) is marked first.
   */
  static boolean[][] smallest(float[][] tensors, long k) {
    boolean[][] marks = new boolean[tensors.length][];
    int total = 0;
    for (int t = 0; t < tensors.length; t++) {
      marks[t] = new boolean[tensors[t].length];
      total = Math.addExact(total, tensors[t].length);
    }
    if (k == 0) {
      return marks;
    }
    // Sort (|w|, reversed position) keys: a non-negative float's bits order like its value.
    long[] keys = new long[total];
    int[] tensorOf = new int[total];
    int[] indexOf = new int[total];
    int p = 0;
    for (int t = 0; t < tensors.length; t++) {
      for (int i = 0; i < tensors[t].length; i++) {
        keys[p] = ((long) Float.floatToRawIntBits(Math.abs(tensors[t][i])) << 32) | (total - 1 - p);
        tensorOf[p] = t;
        indexOf[p] = i;
        p++;
      }
    }
    Arrays.sort(keys);
    for (int i = 0; i < k; i++) {
      int pos = total - 1 - (int) (keys[i] & 0xFFFFFFFFL);
      marks[tensorOf[pos]][indexOf[pos]] = true;
    }
    return marks;
  }
}
