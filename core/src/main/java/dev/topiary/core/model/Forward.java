package dev.topiary.core.model;

import dev.topiary.kernels.Kernels;
import dev.topiary.kernels.Parallelism;
import java.util.List;

/**
 * The batched forward pass behind {@link Network}'s {@code predict…} methods.
 *
 * <p>Rows go through the network in blocks of at most {@link #BLOCK_ROWS}, so the scratch memory a call
 * needs is bounded by 3 · {@value #BLOCK_ROWS} · (widest layer) floats whatever the number of rows. The
 * scratch arrays live in a per-thread {@link Workspace} held by a {@link ThreadLocal}: they are created on
 * a thread's first call, grow when a wider network comes along, and are reused by every later call on
 * that thread, so a warmed-up call allocates nothing. Parameters and standardisations are only read,
 * which makes concurrent calls on one network safe.
 */
final class Forward {

  /** Rows per block. */
  static final int BLOCK_ROWS = 256;

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private Forward() {}

  /** What to write for each row. */
  enum Output {
    /** The last layer's raw outputs. */
    LOGITS,
    /** Softmax of the logits. */
    PROBABILITIES,
    /** Index of the largest logit. */
    CLASSES,
    /** Regression outputs mapped back through the output standardisation. */
    VALUES
  }

  /** Three scratch buffers, used in turn so a residual block can keep its input while f runs. */
  static final class Workspace {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] c = new float[0];

    void ensure(int size) {
      if (a.length < size) {
        a = new float[size];
        b = new float[size];
        c = new float[size];
      }
    }

    /** A buffer that is neither p nor q (either may be a caller's array, or null). */
    float[] other(float[] p, float[] q) {
      if (a != p && a != q) {
        return a;
      }
      return b != p && b != q ? b : c;
    }
  }

  /**
   * Runs {@code rows} rows of x (row-major, {@code network.inputSize()} wide, from xOff) and writes the
   * requested output: floats to {@code out} from outOff, or class indices to {@code classes} from
   * classesOff, with every GEMM on the threads of {@code parallelism} (null: the process-wide setting of
   * {@link Kernels#parallelism()}). Arguments have been checked by the caller.
   */
  static void run(Network network, float[] x, int xOff, int rows, Output what, float[] out, int outOff,
      int[] classes, int classesOff, Parallelism parallelism) {
    Parallelism p = parallelism != null ? parallelism : Kernels.parallelism();
    if (rows == 0) {
      return;
    }
    Workspace ws = WORKSPACE.get();
    ws.ensure(Math.min(rows, BLOCK_ROWS) * network.maxWidth());
    int in = network.inputSize();
    int k = network.outputSize();
    for (int done = 0; done < rows; done += BLOCK_ROWS) {
      int r = Math.min(BLOCK_ROWS, rows - done);
      long rowStart = (long) done;
      if (what == Output.CLASSES) {
        float[] logits = block(network, x, xOff + (int) (rowStart * in), r, ws, null, 0, p);
        argmaxRows(logits, r, k, classes, classesOff + done);
      } else {
        int o = outOff + (int) (rowStart * k);
        block(network, x, xOff + (int) (rowStart * in), r, ws, out, o, p);
        if (what == Output.PROBABILITIES) {
          Kernels.softmaxRows(r, k, out, o, out, o);
        } else if (what == Output.VALUES && network.outputScaling() != null) {
          network.outputScaling().invert(out, o, r);
        }
      }
    }
  }

  /**
   * One block of r ≤ BLOCK_ROWS rows through every layer. The last layer writes to {@code dst} at dstOff,
   * or, when dst is null, to a workspace buffer at offset 0, which is returned.
   */
  private static float[] block(Network network, float[] x, int xOff, int r, Workspace ws, float[] dst,
      int dstOff, Parallelism p) {
    float[] cur;
    int curOff;
    Standardization scaling = network.inputScaling();
    if (scaling != null) {
      cur = ws.a;
      curOff = 0;
      scaling.apply(x, xOff, cur, 0, r);
    } else {
      cur = x;
      curOff = xOff;
    }
    List<Layer> layers = network.layers();
    int last = layers.size() - 1;
    for (int i = 0; i <= last; i++) {
      Layer layer = layers.get(i);
      if (layer instanceof DenseLayer d) {
        float[] y;
        int yOff;
        if (i == last && dst != null) {
          y = dst;
          yOff = dstOff;
        } else {
          y = ws.other(cur, null);
          yOff = 0;
        }
        dense(d, r, cur, curOff, y, yOff, p);
        cur = y;
        curOff = yOff;
      } else {
        ResidualBlock block = (ResidualBlock) layer;
        // h + f(h): h stays in cur while f runs through the two other buffers, then h is added on.
        List<DenseLayer> f = block.layers();
        float[] t = cur;
        int tOff = curOff;
        for (int j = 0; j < f.size(); j++) {
          float[] y = ws.other(cur, t);
          dense(f.get(j), r, t, tOff, y, 0, p);
          t = y;
          tOff = 0;
        }
        Kernels.axpy(r * block.width(), 1f, cur, curOff, t, 0);
        cur = t;
        curOff = 0;
      }
    }
    return cur;
  }

  private static void dense(DenseLayer d, int r, float[] x, int xOff, float[] y, int yOff, Parallelism p) {
    Kernels.dense(r, d.inputSize(), d.outputSize(), x, xOff, d.weight(), 0, d.bias(), 0, d.activation(),
        y, yOff, p);
  }

  /** Index of the largest value of each row; the first one on ties; 0 for a row of NaN. */
  private static void argmaxRows(float[] logits, int rows, int k, int[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      int base = i * k;
      int best = 0;
      float max = logits[base];
      for (int j = 1; j < k; j++) {
        float v = logits[base + j];
        if (v > max || (Float.isNaN(max) && !Float.isNaN(v))) {
          max = v;
          best = j;
        }
      }
      out[outOff + i] = best;
    }
  }
}
