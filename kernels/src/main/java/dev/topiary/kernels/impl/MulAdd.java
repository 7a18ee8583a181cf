package dev.topiary.kernels.impl;

import jdk.incubator.vector.FloatVector;

/**
 * a·b + c for the Vector kernels: one fused multiply-add (one rounding) where HotSpot executes FMA in
 * hardware, a multiply and an add (two roundings) where it does not ({@link CpuFeatures#fastFma()}).
 * Without hardware FMA, {@code FloatVector.fma} and {@code Math.fma} are emulated in software (on JDK
 * 17 through {@code BigDecimal}), a hundred times slower than the two operations they fuse.
 *
 * <p>{@link #FUSED} is a constant, so C2 compiles each call down to the one branch taken. The vector
 * and scalar forms do the same operations in the same order, so a vector body and its scalar tail give
 * an element the same bits on either path; the two paths give different bits (see the selection
 * section of docs/benchmarks.md). Loaded only by the Vector kernels.
 */
final class MulAdd {

  /** Whether a·b + c is computed fused. Fixed for the life of the JVM. */
  static final boolean FUSED = CpuFeatures.current().fastFma();

  private MulAdd() {}

  /** a·b + c, lane-wise. */
  static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
    return FUSED ? a.fma(b, c) : a.mul(b).add(c);
  }

  /** a·b + c, the scalar twin of {@link #fma(FloatVector, FloatVector, FloatVector)}. */
  static float fma(float a, float b, float c) {
    return FUSED ? Math.fma(a, b, c) : a * b + c;
  }
}
