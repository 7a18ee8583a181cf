package dev.topiary.kernels.impl;

/**
 * a·b + c for the Vector kernels: one fused multiply-add (one rounding) where HotSpot executes FMA in
 * hardware, a multiply and an add (two roundings) where it does not ({@link CpuFeatures#fastFma()}).
 * Without hardware FMA, {@code FloatVector.fma} and {@code Math.fma} are emulated in software (on JDK
 * 17 through {@code BigDecimal}), a hundred times slower than the two operations they fuse.
 *
 * <p>The vector form has no helper method: the kernels write {@code FUSED ? a.fma(b, c) :
 * a.mul(b).add(c)} in place. A helper taking vectors is an ordinary method that C2 may decline to
 * inline once a compilation has grown past its node cutoff, and then each call boxes its vectors on
 * the heap; the Vector API's own methods are always inlined. {@link #FUSED} is a constant, so C2
 * compiles each test of it down to the one side taken. The vector and scalar forms do the same
 * operations in the same order, so a vector body and its scalar tail give an element the same bits on
 * either path; the two paths give different bits (see the selection section of docs/benchmarks.md).
 * Loaded only by the Vector kernels.
 */
final class MulAdd {

  /** Whether a·b + c is computed fused. Fixed for the life of the JVM. */
  static final boolean FUSED = CpuFeatures.current().fastFma();

  private MulAdd() {}

  /** a·b + c, the scalar twin of the kernels' {@code FUSED ? a.fma(b, c) : a.mul(b).add(c)}. */
  static float fma(float a, float b, float c) {
    return FUSED ? Math.fma(a, b, c) : a * b + c;
  }
}
