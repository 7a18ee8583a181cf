package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.topiary.kernels.impl.CpuFeatures;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * CpuFeatures against HotSpot's flags read here directly, and against the flags this test JVM was started
 * with ({@code .ci/run} starts it again with {@code -XX:UseAVX=0}, {@code -XX:-UseFMA}, …).
 */
class CpuFeaturesTest {

  private static final CpuFeatures F = CpuFeatures.current();
  private static final List<String> ARGS = ManagementFactory.getRuntimeMXBean().getInputArguments();

  /** The last value given on the command line for -XX:NAME=VALUE, if any. */
  static Optional<String> xxValue(String name) {
    Optional<String> v = Optional.empty();
    for (String a : ARGS) {
      if (a.startsWith("-XX:" + name + "=")) {
        v = Optional.of(a.substring(name.length() + 5));
      }
    }
    return v;
  }

  /** Whether -XX:-NAME (false) or -XX:+NAME (true) was given last, if either. */
  static Optional<Boolean> xxFlag(String name) {
    Optional<Boolean> v = Optional.empty();
    for (String a : ARGS) {
      if (a.equals("-XX:-" + name)) {
        v = Optional.of(false);
      } else if (a.equals("-XX:+" + name)) {
        v = Optional.of(true);
      }
    }
    return v;
  }

  private static String option(String name) {
    return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
  }

  private static boolean x86() {
    return F.osArch().equals("amd64") || F.osArch().equals("x86_64");
  }

  @Test
  void detectionIsStable() {
    assertEquals(F, CpuFeatures.detect());
    assertEquals(System.getProperty("os.arch").toLowerCase(java.util.Locale.ROOT), F.osArch());
  }

  @Test
  void flagsMatchWhatHotSpotReports() {
    assertTrue(F.flagsReadable(), "this HotSpot JVM has jdk.management, so its flags must be readable");
    assertEquals(Boolean.parseBoolean(option("UseFMA")), F.fastFma());
    assertEquals(Integer.parseInt(option("MaxVectorSize")), F.maxVectorSize());
    if (x86()) {
      assertEquals(Integer.parseInt(option("UseAVX")), F.useAvx());
    } else {
      assertEquals(-1, F.useAvx());
    }
    assertTrue(F.c2(), "the test JVM runs with C2");
  }

  @Test
  void flagsFromTheCommandLineAreHonoured() {
    xxFlag("UseFMA").filter(on -> !on).ifPresent(off -> assertFalse(F.fastFma(), "-XX:-UseFMA was given"));
    xxValue("MaxVectorSize").map(Integer::parseInt).ifPresent(bytes -> {
      assertTrue(F.maxVectorSize() <= bytes, F.describe());
      assertTrue(F.preferredFloatBits() <= 8 * bytes, F.describe());
    });
    if (x86()) {
      xxValue("UseAVX").map(Integer::parseInt).ifPresent(level -> {
        assertTrue(F.useAvx() <= level, F.describe());
        if (level == 0) {
          // HotSpot enables FMA only together with AVX, and SSE registers are 128 bits
          assertFalse(F.fastFma(), F.describe());
          assertTrue(F.preferredFloatBits() <= 128, F.describe());
        }
        if (level <= 2) {
          assertEquals(16, F.vectorRegisters(), F.describe());
        }
      });
    }
  }

  @Test
  void preferredVectorFitsTheJitsLimit() {
    boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (!vectorModule) {
      assertEquals(0, F.preferredFloatBits());
      return;
    }
    assertTrue(F.preferredFloatBits() >= 64 && Integer.bitCount(F.preferredFloatBits()) == 1, F.describe());
    assertTrue(F.preferredFloatBits() <= 8 * F.maxVectorSize(), F.describe());
  }

  @Test
  void registerCountFollowsTheInstructionSet() {
    if (x86()) {
      assertEquals(F.useAvx() >= 3 ? 32 : 16, F.vectorRegisters(), F.describe());
    } else if (F.osArch().equals("aarch64")) {
      assertEquals(32, F.vectorRegisters(), F.describe());
    }
    assertTrue(F.describe().startsWith(F.osArch()), F.describe());
    assertTrue(F.describe().contains("UseFMA=" + F.fastFma()), F.describe());
  }

  /** Vector compares are compiled off x86 and with AVX; unreadable flags fall back on the vector width. */
  @Test
  void vectorComparesNeedAvxOnX86() {
    assertTrue(new CpuFeatures("aarch64", true, true, -1, 16, 128, 32, true).vectorCompares());
    assertFalse(new CpuFeatures("amd64", true, false, 0, 16, 128, 16, true).vectorCompares());
    assertTrue(new CpuFeatures("amd64", true, false, 1, 16, 128, 16, true).vectorCompares());
    assertTrue(new CpuFeatures("amd64", true, true, 2, 32, 256, 16, true).vectorCompares());
    // jdk.management missing: UseAVX unknown; 256-bit preferred vectors need AVX2, 128-bit ones may be SSE.
    assertTrue(new CpuFeatures("amd64", false, false, -1, -1, 512, 16, true).vectorCompares());
    assertTrue(new CpuFeatures("amd64", false, false, -1, -1, 256, 16, true).vectorCompares());
    assertFalse(new CpuFeatures("amd64", false, false, -1, -1, 128, 16, true).vectorCompares());
  }

  /**
   * 256-bit float kernels on AVX without AVX2 only: UseAVX=1 with 32-byte vectors allowed, on x86.
   * Nowhere else does the kernels' width leave the preferred one.
   */
  @Test
  void wideFloatsOnlyOnAvxWithoutAvx2() {
    CpuFeatures avx1 = new CpuFeatures("amd64", true, false, 1, 32, 128, 16, true);
    assertTrue(avx1.avxWithoutAvx2());
    assertEquals(256, avx1.kernelFloatBits());
    // MaxVectorSize=16 keeps 128 bits; SSE, AVX2, AVX-512, aarch64 and unreadable flags keep the preferred.
    List.of(new CpuFeatures("amd64", true, false, 1, 16, 128, 16, true),
        new CpuFeatures("amd64", true, false, 0, 16, 128, 16, true),
        new CpuFeatures("amd64", true, true, 2, 32, 256, 16, true),
        new CpuFeatures("amd64", true, true, 3, 64, 512, 32, true),
        new CpuFeatures("aarch64", true, true, -1, 16, 128, 32, true),
        new CpuFeatures("amd64", false, false, -1, -1, 128, 16, true)).forEach(f -> {
          assertFalse(f.avxWithoutAvx2(), f.toString());
          assertEquals(f.preferredFloatBits(), f.kernelFloatBits(), f.toString());
        });
  }
}
