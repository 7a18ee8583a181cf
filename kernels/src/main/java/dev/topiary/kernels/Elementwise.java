package dev.topiary.kernels;

import dev.topiary.kernels.impl.KernelProvider;
import java.util.function.IntConsumer;

/**
 * An elementwise kernel (an Adam step, a standardisation) split into contiguous parts for
 * {@link Parallelism#run}: each element is computed exactly as on one thread, so the results do not
 * depend on the thread count. The calling thread fills in the fields and the tasks read them, so
 * splitting allocates nothing; each calling thread has its own instance.
 */
final class Elementwise implements IntConsumer {

  /** Fewest elements worth a second thread: below this the hand-over costs more than it saves. */
  static final int PARALLEL_ELEMENTS = 1 << 15;
  /** Parts are multiples of this many elements (a 64-byte cache line), so tasks never share a line. */
  private static final int ALIGN = 16;

  private static final int ADAM = 0;
  private static final int STANDARDIZE = 1;

  private static final ThreadLocal<Elementwise> JOBS = ThreadLocal.withInitial(Elementwise::new);

  private KernelProvider provider;
  private int kind;
  /** Elements (ADAM) or rows (STANDARDIZE) per task, and their total. */
  private int per;
  private int count;
  private float[] p;
  private int pOff;
  private float[] g;
  private int gOff;
  private float[] m;
  private int mOff;
  private float[] v;
  private int vOff;
  private float lr;
  private float beta1;
  private float beta2;
  private float eps;
  private float weightDecay;
  private boolean decoupled;
  private float c1;
  private float c2;
  private int cols;

  private Elementwise() {}

  /** Tasks for {@code elements} elements of work: one below PARALLEL_ELEMENTS, else a part per half of it. */
  private static int tasks(Parallelism parallelism, long elements) {
    if (parallelism.threads() <= 1 || elements < PARALLEL_ELEMENTS) {
      return 1;
    }
    return (int) Math.min(parallelism.threads(), elements / (PARALLEL_ELEMENTS / 2));
  }

  static void adam(KernelProvider provider, Parallelism parallelism, int n, float[] p, int pOff, float[] g,
      int gOff, float[] m, int mOff, float[] v, int vOff, float lr, float beta1, float beta2, float eps,
      float weightDecay, boolean decoupled, float c1, float c2) {
    int tasks = tasks(parallelism, n);
    if (tasks <= 1) {
      provider.adam(n, p, pOff, g, gOff, m, mOff, v, vOff, lr, beta1, beta2, eps, weightDecay, decoupled, c1,
          c2);
      return;
    }
    Elementwise job = JOBS.get();
    job.provider = provider;
    job.kind = ADAM;
    job.count = n;
    job.per = ((n + tasks - 1) / tasks + ALIGN - 1) / ALIGN * ALIGN;
    job.p = p;
    job.pOff = pOff;
    job.g = g;
    job.gOff = gOff;
    job.m = m;
    job.mOff = mOff;
    job.v = v;
    job.vOff = vOff;
    job.lr = lr;
    job.beta1 = beta1;
    job.beta2 = beta2;
    job.eps = eps;
    job.weightDecay = weightDecay;
    job.decoupled = decoupled;
    job.c1 = c1;
    job.c2 = c2;
    job.run(parallelism, tasks);
  }

  static void standardize(KernelProvider provider, Parallelism parallelism, int rows, int cols, float[] src,
      int srcOff, float[] mean, float[] scale, float[] dst, int dstOff) {
    int tasks = Math.min(rows, tasks(parallelism, (long) rows * cols));
    if (tasks <= 1) {
      provider.standardize(rows, cols, src, srcOff, mean, scale, dst, dstOff);
      return;
    }
    Elementwise job = JOBS.get();
    job.provider = provider;
    job.kind = STANDARDIZE;
    job.count = rows;
    job.per = (rows + tasks - 1) / tasks;
    job.cols = cols;
    job.p = src;
    job.pOff = srcOff;
    job.g = mean;
    job.m = scale;
    job.v = dst;
    job.vOff = dstOff;
    job.run(parallelism, tasks);
  }

  private void run(Parallelism parallelism, int tasks) {
    try {
      parallelism.run(tasks, this);
    } finally {
      provider = null;
      p = null;
      g = null;
      m = null;
      v = null;
    }
  }

  @Override
  public void accept(int t) {
    int from = Math.min(count, t * per);
    int len = Math.min(count, from + per) - from;
    if (len <= 0) {
      return;
    }
    if (kind == ADAM) {
      provider.adam(len, p, pOff + from, g, gOff + from, m, mOff + from, v, vOff + from, lr, beta1, beta2, eps,
          weightDecay, decoupled, c1, c2);
    } else {
      provider.standardize(len, cols, p, pOff + from * cols, g, m, v, vOff + from * cols);
    }
  }
}
