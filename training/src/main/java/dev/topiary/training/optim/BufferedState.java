package dev.topiary.training.optim;

/**
 * What every optimiser's state holds: the parameter and gradient tensors it updates, a step count, and
 * per-tensor buffers shaped like the parameters (momenta, moments), zero at the start and cleared
 * together for frozen elements.
 */
abstract class BufferedState implements OptimizerState {

  final float[][] p;
  final float[][] g;
  private final float[][][] buffers;
  long steps;

  /**
   * @param buffers how many buffers shaped like the parameters to allocate
   * @throws IllegalArgumentException if the tensor lists differ in length or a pair differs in size
   */
  BufferedState(float[][] p, float[][] g, int buffers) {
    if (p.length != g.length) {
      throw new IllegalArgumentException(p.length + " parameter tensors but " + g.length + " gradient tensors");
    }
    for (int i = 0; i < p.length; i++) {
      if (p[i].length != g[i].length) {
        throw new IllegalArgumentException("tensor " + i + ": parameter has " + p[i].length
            + " values, gradient has " + g[i].length);
      }
    }
    this.p = p;
    this.g = g;
    this.buffers = new float[buffers][p.length][];
    for (float[][] b : this.buffers) {
      for (int i = 0; i < p.length; i++) {
        b[i] = new float[p[i].length];
      }
    }
  }

  /** Buffer {@code k}, one array per tensor. */
  final float[][] buffer(int k) {
    return buffers[k];
  }

  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void clear(int tensor, int[] indices) {
    for (float[][] b : buffers) {
      for (int k : indices) {
        b[tensor][k] = 0f;
      }
    }
  }

  @Override
  public final void inherit(OptimizerState previous, int[] sourceTensor, int[][] sourceElement) {
    if (!(previous instanceof BufferedState old) || old.getClass() != getClass()
        || old.buffers.length != buffers.length) {
      throw new IllegalArgumentException("cannot inherit the state of another optimiser");
    }
    if (sourceTensor.length != p.length || sourceElement.length != p.length) {
      throw new IllegalArgumentException("maps for " + sourceTensor.length + " and " + sourceElement.length
          + " tensors, this state has " + p.length);
    }
    for (int t = 0; t < p.length; t++) {
      int from = sourceTensor[t];
      if (from < 0 || from >= old.p.length || sourceElement[t].length != p[t].length) {
        throw new IllegalArgumentException("tensor " + t + ": source " + from + " with "
            + sourceElement[t].length + " elements does not fit");
      }
      for (int b = 0; b < buffers.length; b++) {
        float[] src = old.buffers[b][from];
        float[] dst = buffers[b][t];
        int[] map = sourceElement[t];
        for (int k = 0; k < map.length; k++) {
          dst[k] = src[map[k]];
        }
      }
    }
    steps = old.steps;
  }
}
