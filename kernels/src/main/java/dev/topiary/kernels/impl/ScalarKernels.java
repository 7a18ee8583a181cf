package dev.topiary.kernels.impl;

import dev.topiary.kernels.Activation;
import dev.topiary.kernels.Parallelism;

/**
 * The plain-Java kernels: the fallback on any JVM where the Vector API is missing or slow, and the
 * second implementation every kernel property is checked against. Straight loops in the order that
 * streams memory (i-k-j for row-major GEMM), float accumulation, no threads.
 *
 * <p>No kernel here calls {@code Math.fma}: where the hardware lacks FMA, HotSpot emulates it in
 * software, and these kernels must stay the fast fallback on exactly such machines. Every sum runs in
 * index order, so results depend on the inputs only, never on the CPU or the JIT.
 */
public final class ScalarKernels implements KernelProvider {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int vectorBitSize() {
    return 0;
  }

  @Override
  public boolean fusedMultiplyAdd() {
    return false;
  }

  @Override
  public void gemmNT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    // Four columns at a time: four independent sums keep the adder busy where one sum would wait out
    // the latency of every add. Each sum still runs over p in order, so the bits are those of the
    // one-column loop.
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * lda;
      int ci = cOff + i * ldc;
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int b0 = bOff + j * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int p = 0; p < k; p++) {
          float x = a[ai + p];
          s0 += x * b[b0 + p];
          s1 += x * b[b1 + p];
          s2 += x * b[b2 + p];
          s3 += x * b[b3 + p];
        }
        c[ci + j] = accumulate ? c[ci + j] + s0 : s0;
        c[ci + j + 1] = accumulate ? c[ci + j + 1] + s1 : s1;
        c[ci + j + 2] = accumulate ? c[ci + j + 2] + s2 : s2;
        c[ci + j + 3] = accumulate ? c[ci + j + 3] + s3 : s3;
      }
      for (; j < n; j++) {
        int bj = bOff + j * ldb;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bj + p];
        }
        c[ci + j] = accumulate ? c[ci + j] + s : s;
      }
    }
  }

  @Override
  public void gemmNN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      if (!accumulate) {
        java.util.Arrays.fill(c, ci, ci + n, 0f);
      }
      int ai = aOff + i * lda;
      for (int p = 0; p < k; p++) {
        float aip = a[ai + p];
        int bp = bOff + p * ldb;
        for (int j = 0; j < n; j++) {
          c[ci + j] += aip * b[bp + j];
        }
      }
    }
  }

  @Override
  public void gemmTN(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, boolean accumulate, Parallelism parallelism) {
    if (!accumulate) {
      for (int i = 0; i < m; i++) {
        java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      }
    }
    for (int p = 0; p < k; p++) {
      int ap = aOff + p * lda;
      int bp = bOff + p * ldb;
      for (int i = 0; i < m; i++) {
        float api = a[ap + i];
        int ci = cOff + i * ldc;
        for (int j = 0; j < n; j++) {
          c[ci + j] += api * b[bp + j];
        }
      }
    }
  }

  @Override
  public void biasActivate(Activation act, int rows, int cols, float[] bias, int biasOff, float[] y,
      int yOff, int ld) {
    for (int i = 0; i < rows; i++) {
      int yi = yOff + i * ld;
      if (bias != null) {
        for (int j = 0; j < cols; j++) {
          y[yi + j] += bias[biasOff + j];
        }
      }
      activate(act, cols, y, yi, y, yi);
    }
  }

  @Override
  public void activate(Activation act, int n, float[] z, int zOff, float[] h, int hOff) {
    switch (act) {
      case IDENTITY:
        if (z != h || zOff != hOff) {
          System.arraycopy(z, zOff, h, hOff, n);
        }
        break;
      case RELU:
        for (int i = 0; i < n; i++) {
          float x = z[zOff + i];
          h[hOff + i] = x > 0f ? x : 0f;
        }
        break;
      case LEAKY_RELU:
        for (int i = 0; i < n; i++) {
          float x = z[zOff + i];
          h[hOff + i] = x > 0f ? x : Activation.LEAKY_SLOPE * x;
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          h[hOff + i] = (float) Math.tanh(z[zOff + i]);
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          h[hOff + i] = sigmoid(z[zOff + i]);
        }
        break;
      case GELU:
        for (int i = 0; i < n; i++) {
          float x = z[zOff + i];
          h[hOff + i] = (float) Activation.GELU.apply(x);
        }
        break;
      case SILU:
        for (int i = 0; i < n; i++) {
          float x = z[zOff + i];
          h[hOff + i] = x * sigmoid(x);
        }
        break;
      default:
        throw new AssertionError(act);
    }
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  @Override
  public void activationBackward(Activation act, int n, float[] z, int zOff, float[] h, int hOff,
      float[] dh, int dhOff, float[] dz, int dzOff) {
    switch (act) {
      case IDENTITY:
        if (dh != dz || dhOff != dzOff) {
          System.arraycopy(dh, dhOff, dz, dzOff, n);
        }
        break;
      case RELU:
        for (int i = 0; i < n; i++) {
          dz[dzOff + i] = z[zOff + i] > 0f ? dh[dhOff + i] : 0f;
        }
        break;
      case LEAKY_RELU:
        for (int i = 0; i < n; i++) {
          float g = dh[dhOff + i];
          dz[dzOff + i] = z[zOff + i] > 0f ? g : Activation.LEAKY_SLOPE * g;
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          float t = h[hOff + i];
          dz[dzOff + i] = dh[dhOff + i] * (1f - t * t);
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          float s = h[hOff + i];
          dz[dzOff + i] = dh[dhOff + i] * s * (1f - s);
        }
        break;
      case GELU:
        for (int i = 0; i < n; i++) {
          dz[dzOff + i] = (float) (dh[dhOff + i] * Activation.GELU.derivative(z[zOff + i]));
        }
        break;
      case SILU:
        for (int i = 0; i < n; i++) {
          float x = z[zOff + i];
          float s = sigmoid(x);
          dz[dzOff + i] = dh[dhOff + i] * s * (1f + x * (1f - s));
        }
        break;
      default:
        throw new AssertionError(act);
    }
  }

  @Override
  public void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      int yi = yOff + r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[xi + j]);
      }
      float s = 0f;
      for (int j = 0; j < cols; j++) {
        float e = (float) Math.exp(x[xi + j] - max);
        y[yi + j] = e;
        s += e;
      }
      float inv = 1f / s;
      for (int j = 0; j < cols; j++) {
        y[yi + j] *= inv;
      }
    }
  }

  @Override
  public void logSoftmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      int yi = yOff + r * cols;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[xi + j]);
      }
      float s = 0f;
      for (int j = 0; j < cols; j++) {
        s += (float) Math.exp(x[xi + j] - max);
      }
      float lse = max + (float) Math.log(s);
      for (int j = 0; j < cols; j++) {
        y[yi + j] = x[xi + j] - lse;
      }
    }
  }

  @Override
  public float dot(int n, float[] a, int aOff, float[] b, int bOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  @Override
  public float sum(int n, float[] a, int aOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += a[aOff + i];
    }
    return s;
  }

  @Override
  public double sumOfSquares(int n, float[] a, int aOff) {
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double x = a[aOff + i];
      s += x * x;
    }
    return s;
  }

  @Override
  public void sumColumns(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff,
      boolean accumulate) {
    if (!accumulate) {
      java.util.Arrays.fill(out, outOff, outOff + cols, 0f);
    }
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      for (int j = 0; j < cols; j++) {
        out[outOff + j] += a[ai + j];
      }
    }
  }

  @Override
  public void sumRows(int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      out[outOff + i] = sum(cols, a, aOff + i * ld);
    }
  }

  @Override
  public void rowNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out, int outOff) {
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      float s = 0f;
      if (p == 1) {
        for (int j = 0; j < cols; j++) {
          s += Math.abs(a[ai + j]);
        }
        out[outOff + i] = s;
      } else {
        for (int j = 0; j < cols; j++) {
          s += a[ai + j] * a[ai + j];
        }
        out[outOff + i] = (float) Math.sqrt(s);
      }
    }
  }

  @Override
  public void columnNorms(int p, int rows, int cols, float[] a, int aOff, int ld, float[] out,
      int outOff) {
    java.util.Arrays.fill(out, outOff, outOff + cols, 0f);
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      for (int j = 0; j < cols; j++) {
        float x = a[ai + j];
        out[outOff + j] += p == 1 ? Math.abs(x) : x * x;
      }
    }
    if (p == 2) {
      for (int j = 0; j < cols; j++) {
        out[outOff + j] = (float) Math.sqrt(out[outOff + j]);
      }
    }
  }

  @Override
  public void standardize(int rows, int cols, float[] src, int srcOff, float[] mean, float[] scale,
      float[] dst, int dstOff) {
    standardizeRows(rows, cols, src, srcOff, mean, scale, dst, dstOff);
  }

  /** The scalar loop of {@link #standardize}, shared with the vector kernels. */
  static void standardizeRows(int rows, int cols, float[] src, int srcOff, float[] mean, float[] scale,
      float[] dst, int dstOff) {
    for (int i = 0; i < rows; i++) {
      int s = srcOff + i * cols;
      int d = dstOff + i * cols;
      for (int j = 0; j < cols; j++) {
        dst[d + j] = (float) (((double) src[s + j] - mean[j]) / scale[j]);
      }
    }
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v,
      int vOff, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
      float c1, float c2) {
    float b1c = 1f - beta1;
    float b2c = 1f - beta2;
    for (int i = 0; i < n; i++) {
      float w = p[pOff + i];
      float gi = g[gOff + i];
      if (!decoupled) {
        gi += weightDecay * w;
      }
      float mi = beta1 * m[mOff + i] + b1c * gi;
      float vi = beta2 * v[vOff + i] + b2c * gi * gi;
      m[mOff + i] = mi;
      v[vOff + i] = vi;
      float step = mi * c1 / ((float) Math.sqrt(vi * c2) + eps);
      if (decoupled) {
        step += weightDecay * w;
      }
      p[pOff + i] = w - lr * step;
    }
  }

  @Override
  public void shiftedColumnSums(int rows, int cols, float[] a, int aOff, int ld, float[] shift,
      float[] s1, float[] s2) {
    for (int i = 0; i < rows; i++) {
      int ai = aOff + i * ld;
      for (int j = 0; j < cols; j++) {
        float d = a[ai + j] - shift[j];
        s1[j] += d;
        s2[j] += d * d;
      }
    }
  }
}
