package dev.topiary.methods.unstructured;

/**
 * The gradual pruning schedule of Zhu &amp; Gupta (2017, "To prune, or not to prune"): sparsity rises from
 * s_i to s_f over n pruning steps Δt apart, starting at t_0,
 * <pre>
 *   s_t = s_f + (s_i − s_f)·(1 − (t − t_0)/(n·Δt))³   for t_0 ≤ t ≤ t_0 + n·Δt,
 * </pre>
 * s_i before t_0 and s_f after. It prunes fast while many redundant weights remain and slowly near the
 * target. Time is in whatever unit the caller counts (here: epochs).
 *
 * @param initial s_i in [0, 1]
 * @param target s_f in [0, 1]
 * @param start t_0
 * @param steps n ≥ 1
 * @param interval Δt &gt; 0
 */
public record CubicSparsity(double initial, double target, double start, int steps, double interval) {

  /** Checks the ranges. */
  public CubicSparsity {
    if (!(initial >= 0 && initial <= 1 && target >= 0 && target <= 1)) {
      throw new IllegalArgumentException("sparsities must be in [0, 1], found " + initial + " and " + target);
    }
    if (steps < 1 || !(interval > 0) || !Double.isFinite(start) || !Double.isFinite(interval)) {
      throw new IllegalArgumentException("need steps >= 1, a finite start and interval > 0, found "
          + steps + ", " + start + ", " + interval);
    }
  }

  /** The sparsity at time t. */
  public double at(double t) {
    if (t <= start) {
      return initial;
    }
    double end = start + steps * interval;
    if (t >= end) {
      return target;
    }
    double u = 1 - (t - start) / (steps * interval);
    return target + (initial - target) * u * u * u;
  }

  /** The sparsity after pruning step k (1 ≤ k ≤ n), at t_0 + k·Δt. */
  public double afterStep(int k) {
    return at(start + k * interval);
  }
}
