package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.kernels.impl.CpuFeatures;
import dev.topiary.kernels.impl.KernelProvider;
import dev.topiary.kernels.impl.KernelSelection;
import org.junit.jupiter.api.Test;

/**
 * Which path runs, given the HotSpot flags this test JVM was started with. {@code .ci/run} starts the
 * kernels tests again under {@code -XX:UseAVX=2}, {@code -XX:UseAVX=0}, {@code -XX:-UseFMA},
 * {@code -XX:MaxVectorSize=16} (and {@code -XX:UseAVX=3} on an AVX-512 host); on each, every other kernel
 * test then checks the path named here, so none of them can pass on a path nobody meant to test.
 */
class KernelPathTest {

  private static final CpuFeatures F = CpuFeatures.current();

  private static boolean x86() {
    return F.osArch().equals("amd64") || F.osArch().equals("x86_64");
  }

  /**
   * The test JVMs are started with {@code --add-modules jdk.incubator.vector}; without it the Vector
   * kernels would silently go untested and every property would pass on the scalar ones alone.
   */
  @Test
  void vectorModuleIsLoadedInTheTestJvm() {
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "the test JVM lacks --add-modules jdk.incubator.vector, so the Vector kernels would go untested");
    if (F.c2() && F.preferredFloatBits() >= 128) {
      assertNotNull(Providers.VECTOR, "the Vector kernels failed to load: " + KernelSelection.select().reason());
      assertEquals(2, Providers.all().size());
    }
  }

  /** The preferred float vector HotSpot gives on x86 at an AVX level and a MaxVectorSize (bytes). */
  private static int x86PreferredBits(int useAvx, int maxVectorSize) {
    // SSE and AVX1 have 128-bit integer vectors, and the preferred shape is the widest that every lane
    // type supports; AVX2 widens integers to 256 bits, AVX-512 to 512.
    int isa = useAvx >= 3 ? 512 : useAvx == 2 ? 256 : 128;
    return Math.min(isa, 8 * maxVectorSize);
  }

  @Test
  void activePathFollowsTheFlags() {
    KernelProvider active = Kernels.provider();
    String what = active.name() + " " + active.vectorBitSize() + "-bit fma=" + active.fusedMultiplyAdd()
        + " on " + F.describe();
    System.out.println("kernel path: " + what);
    if (!F.c2() || F.preferredFloatBits() < 128) {
      assertEquals("scalar", active.name(), what);
      return;
    }
    assertEquals("vector", active.name(), what);
    assertEquals(F.kernelFloatBits(), active.vectorBitSize(), what);
    // Never an emulated fma: fused exactly when HotSpot executes FMA in hardware.
    assertEquals(F.fastFma(), active.fusedMultiplyAdd(), what);
    assertFalse(Providers.SCALAR.fusedMultiplyAdd());

    if (CpuFeaturesTest.xxFlag("UseFMA").equals(java.util.Optional.of(false))) {
      assertFalse(active.fusedMultiplyAdd(), "-XX:-UseFMA: " + what);
    }
    CpuFeaturesTest.xxValue("MaxVectorSize").map(Integer::parseInt).ifPresent(
        bytes -> assertTrue(active.vectorBitSize() <= 8 * bytes, "-XX:MaxVectorSize=" + bytes + ": " + what));
    if (x86()) {
      assertEquals(x86PreferredBits(F.useAvx(), F.maxVectorSize()), F.preferredFloatBits(), what);
      // AVX without AVX2: 256-bit float kernels although integer vectors, and so the preferred shape,
      // stop at 128 bits.
      boolean avx1 = F.useAvx() == 1 && F.maxVectorSize() >= 32;
      assertEquals(avx1, F.avxWithoutAvx2(), what);
      assertEquals(avx1 ? 256 : F.preferredFloatBits(), active.vectorBitSize(), what);
      CpuFeaturesTest.xxValue("UseAVX").map(Integer::parseInt).ifPresent(level -> {
        if (level == 0) {
          assertEquals(128, active.vectorBitSize(), "-XX:UseAVX=0: " + what);
          assertFalse(active.fusedMultiplyAdd(), "-XX:UseAVX=0: " + what);
          // SSE only: vector compare, min, max and sqrt are not compiled, so the kernels that need
          // them run their scalar twins (SteadyStateAllocationTest would catch the Java fallback).
          assertFalse(F.vectorCompares(), "-XX:UseAVX=0: " + what);
        } else {
          // HotSpot lowers a requested level the CPU lacks, so this follows the level in force.
          assertEquals(F.useAvx() >= 1, F.vectorCompares(), "-XX:UseAVX=" + level + ": " + what);
          if (level == 3 && F.useAvx() == 3) {
            assertEquals(32, F.vectorRegisters(), what);
          }
        }
      });
    }
  }

  @Test
  void selectionReasonNamesTheArithmetic() {
    KernelSelection.Choice c = KernelSelection.select();
    if (c.provider().name().equals("vector")) {
      String expected = c.provider().fusedMultiplyAdd() ? "fused multiply-add" : "multiply then add";
      assertTrue(c.reason().contains(expected), c.reason());
      assertTrue(c.reason().contains(F.describe()), c.reason());
    }
  }
}
