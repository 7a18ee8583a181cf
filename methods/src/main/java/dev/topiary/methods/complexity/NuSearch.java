package dev.topiary.methods.complexity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * Finds the ν at which complexity-aware training keeps a target fraction of the starting network's FLOPs,
 * with a bounded number of trainings. The fraction kept falls as ν grows (more pressure, more removed), so
 * the search brackets the target in log ν — ×{@value #STEP}, ×{@value #STEP}², … (or ÷) until one run
 * keeps more and one keeps less — and then interpolates linearly in log ν between the two runs nearest the target
 * (kept within the middle 80 % of the bracket, so a flat stretch cannot stall it). It stops at the first
 * run within the tolerance, or after {@code maxTrainings} runs, and returns the run nearest the target
 * either way; {@link Outcome#hit()} says which. Training is noisy, so a run may contradict the bracket:
 * the search then keeps the tighter side and carries on.
 */
public final class NuSearch {

  /** Factor on ν while the target is not yet bracketed. */
  public static final double STEP = 4;

  private NuSearch() {}

  /**
   * One training of the search.
   *
   * @param nu the ν trained with
   * @param result what the training returned
   * @param keptFraction the fraction of the starting FLOPs its network keeps
   * @param <T> the training result type
   */
  public record Attempt<T>(double nu, T result, double keptFraction) {}

  /**
   * What the search found.
   *
   * @param target the fraction of FLOPs to keep
   * @param tolerance the largest accepted |kept − target|
   * @param attempts every training, in order
   * @param best the attempt nearest the target (the first within the tolerance, if any)
   * @param <T> the training result type
   */
  public record Outcome<T>(double target, double tolerance, List<Attempt<T>> attempts, Attempt<T> best) {

    /** Copies the attempts. */
    public Outcome {
      attempts = List.copyOf(attempts);
    }

    /** True when the best attempt keeps the target fraction within the tolerance. */
    public boolean hit() {
      return Math.abs(best.keptFraction() - target) <= tolerance;
    }
  }

  /**
   * Runs the search.
   *
   * @param train trains with the given ν
   * @param keptFraction the fraction of the starting FLOPs a result keeps
   * @param target the fraction to keep, in (0, 1]
   * @param tolerance accepted distance from the target, &gt; 0
   * @param startNu the first ν, &gt; 0
   * @param maxTrainings at most this many trainings, ≥ 1
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static <T> Outcome<T> search(DoubleFunction<T> train, ToDoubleFunction<T> keptFraction, double target,
      double tolerance, double startNu, int maxTrainings) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(keptFraction, "keptFraction");
    if (!(target > 0 && target <= 1)) {
      throw new IllegalArgumentException("the target fraction of FLOPs must be in (0, 1], found " + target);
    }
    if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("the tolerance must be finite and > 0, found " + tolerance);
    }
    if (!(startNu > 0) || !Double.isFinite(startNu)) {
      throw new IllegalArgumentException("the first ν must be finite and > 0, found " + startNu);
    }
    if (maxTrainings < 1) {
      throw new IllegalArgumentException("the search needs at least one training, found " + maxTrainings);
    }
    List<Attempt<T>> attempts = new ArrayList<>();
    Attempt<T> best = null;
    Attempt<T> above = null; // keeps more than the target: ν too small
    Attempt<T> below = null; // keeps less: ν too large
    double nu = startNu;
    for (int i = 0; i < maxTrainings; i++) {
      T r = train.apply(nu);
      Attempt<T> a = new Attempt<>(nu, r, keptFraction.applyAsDouble(r));
      attempts.add(a);
      double miss = Math.abs(a.keptFraction() - target);
      if (best == null || miss < Math.abs(best.keptFraction() - target)) {
        best = a;
      }
      if (miss <= tolerance) {
        break;
      }
      // The nearest run on each side; on a tie the one further along (a flat stretch is left behind).
      if (a.keptFraction() > target) {
        if (above == null || a.keptFraction() < above.keptFraction()
            || (a.keptFraction() == above.keptFraction() && a.nu() > above.nu())) {
          above = a;
        }
      } else if (below == null || a.keptFraction() > below.keptFraction()
          || (a.keptFraction() == below.keptFraction() && a.nu() < below.nu())) {
        below = a;
      }
      nu = next(above, below, target, i + 1);
    }
    return new Outcome<>(target, tolerance, attempts, best);
  }

  private static double next(Attempt<?> above, Attempt<?> below, double target, int oneSided) {
    if (below == null) {
      return above.nu() * Math.pow(STEP, oneSided);
    }
    if (above == null) {
      return below.nu() / Math.pow(STEP, oneSided);
    }
    double lo = Math.log(above.nu());
    double hi = Math.log(below.nu());
    double span = above.keptFraction() - below.keptFraction();
    double t = span > 0 ? (above.keptFraction() - target) / span : 0.5;
    t = Math.min(0.9, Math.max(0.1, t));
    return Math.exp(lo + t * (hi - lo));
  }
}
