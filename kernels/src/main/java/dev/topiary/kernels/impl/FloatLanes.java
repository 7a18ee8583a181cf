package dev.topiary.kernels.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float vector species every Vector API kernel of this JVM uses, and whether integer vectors of
 * the same shape are compiled.
 *
 * <p>Usually the preferred species. On x86 with AVX but not AVX2 ({@link CpuFeatures#avxWithoutAvx2()})
 * it is the 256-bit species: the preferred one has 128 bits there, half of what the CPU's float units
 * take, and the GEMM ran at 0.42× of OpenBLAS (SANDYBRIDGE) on it. Integer vectors of 256 bits are not
 * compiled there, nor compares and blends ({@link #INTEGERS} false), so the activation loops that need
 * them run their scalar twins, which give the same bits.
 *
 * <p>Every kernel takes its species from here, never a second one: a JVM that runs float vectors of two
 * shapes gives the Vector API's own methods two receiver types in their profiles, and C2 then stops
 * removing the vector objects where they meet (docs/benchmarks.md, 2026-12-01, 21:25).
 */
final class FloatLanes {

  /** The float species of the kernels. */
  static final VectorSpecies<Float> SPECIES =
      CpuFeatures.current().avxWithoutAvx2() ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;

  /**
   * Whether C2 compiles integer vectors of {@link #SPECIES}'s shape: shifts and adds of the bits, and the
   * masks of compares and blends, which x86 holds as integer vectors.
   */
  static final boolean INTEGERS = !CpuFeatures.current().avxWithoutAvx2();

  private FloatLanes() {}
}
