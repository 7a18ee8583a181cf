package dev.topiary.kernels.impl;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * What the JIT will really do with vector and fused multiply-add code on this JVM, read once from
 * HotSpot's own flags rather than guessed from the CPU model.
 *
 * <p>The CPU may have FMA and wide vectors while HotSpot does not use them ({@code -XX:-UseFMA},
 * {@code -XX:UseAVX=0}, {@code -XX:MaxVectorSize=16}, a virtual CPU whose model hides FMA), and then
 * {@code Math.fma} and {@code FloatVector.fma} are emulated in software, hundreds of times slower than a
 * multiply and an add. So the flags are read through {@code com.sun.management.HotSpotDiagnosticMXBean}
 * (module {@code jdk.management}), as Apache Lucene does to decide whether FMA is fast. That module is
 * optional: it is reached reflectively, and where it is missing (a trimmed runtime image, a VM other than
 * HotSpot) every flag reads as unknown and the conservative answers below apply.
 *
 * <ul>
 *   <li>{@link #fastFma()}: true only when HotSpot reports {@code UseFMA=true}, which it sets only when
 *       the CPU has FMA and (on x86) AVX is enabled. Unknown counts as false: a multiply and an add cost
 *       one extra instruction where FMA was in fact fast; an emulated FMA costs a factor of a hundred.
 *   <li>{@link #useAvx()}: HotSpot's {@code UseAVX} (0 = SSE only, 1 = AVX, 2 = AVX2, 3 = AVX-512), or
 *       −1 off x86 or when unknown.
 *   <li>{@link #maxVectorSize()}: HotSpot's {@code MaxVectorSize} in bytes, −1 when unknown (no C2).
 *   <li>{@link #preferredFloatBits()}: the bit size of the Vector API's preferred float species, 0 when
 *       the {@code jdk.incubator.vector} module is not loaded.
 *   <li>{@link #vectorRegisters()}: the vector registers the JIT allocates from: 32 with AVX-512
 *       ({@code UseAVX=3}; below that HotSpot uses only xmm0–15 even on an AVX-512 CPU), 16 with
 *       AVX2/AVX/SSE, 32 on aarch64 (NEON and SVE) and riscv64, 8 on 32-bit x86, 16 elsewhere.
 *   <li>{@link #c2()}: the optimising compiler C2 is present and used ({@code java.vm.info} does not say
 *       interpreted or emulated-client, {@code TieredStopAtLevel} is 4 when tiered, no JVMCI compiler
 *       replaces C2): without it the Vector API runs as plain Java objects, far slower than scalar code.
 * </ul>
 *
 * @param osArch {@code os.arch}, lower case ({@code amd64}, {@code aarch64}, …)
 * @param flagsReadable whether HotSpot's flags could be read at all
 * @param fastFma whether fused multiply-add is executed by the hardware
 * @param useAvx HotSpot's {@code UseAVX}, −1 when not on x86 or unknown
 * @param maxVectorSize HotSpot's {@code MaxVectorSize} in bytes, −1 when unknown
 * @param preferredFloatBits bit size of the preferred float vector, 0 without the Vector API module
 * @param vectorRegisters vector registers the JIT allocates from
 * @param c2 whether C2 compiles the hot code
 */
public record CpuFeatures(String osArch, boolean flagsReadable, boolean fastFma, int useAvx,
    int maxVectorSize, int preferredFloatBits, int vectorRegisters, boolean c2) {

  private static final CpuFeatures CURRENT = detect();

  /** The features of this JVM, detected once. */
  public static CpuFeatures current() {
    return CURRENT;
  }

  /** Reads the features afresh (for tests; use {@link #current()}). */
  public static CpuFeatures detect() {
    String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
    VmOptions flags = VmOptions.open();
    boolean fma = flags.flag("UseFMA").orElse(false);
    int avx = isX86(arch) ? flags.integer("UseAVX").orElse(-1) : -1;
    int maxVector = flags.integer("MaxVectorSize").orElse(-1);
    return new CpuFeatures(arch, flags.readable(), fma, avx, maxVector, preferredFloatBitsOrZero(),
        registers(arch, avx), c2(flags));
  }

  /** Vector registers the JIT allocates from on {@code arch} with HotSpot's {@code UseAVX} level. */
  static int registers(String arch, int useAvx) {
    switch (arch) {
      case "amd64":
      case "x86_64":
        return useAvx >= 3 ? 32 : 16;
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return 8;
      case "aarch64":
      case "riscv64":
        return 32;
      default:
        return 16;
    }
  }

  private static boolean isX86(String arch) {
    return arch.equals("amd64") || arch.equals("x86_64") || registers(arch, 0) == 8;
  }

  private static boolean c2(VmOptions flags) {
    String info = System.getProperty("java.vm.info", "");
    if (info.contains("emulated-client") || info.contains("interpreted mode")) {
      return false;
    }
    if (flags.flag("TieredCompilation").orElse(true)
        && flags.integer("TieredStopAtLevel").orElse(4) < 4) {
      return false;
    }
    return !flags.flag("UseJVMCICompiler").orElse(false);
  }

  /** The Vector API's preferred shape, read reflectively so this class never links against it. */
  private static int preferredFloatBitsOrZero() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return 0;
    }
    try {
      Class<?> species = Class.forName("jdk.incubator.vector.FloatVector");
      Object preferred = species.getField("SPECIES_PREFERRED").get(null);
      Method bits = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize");
      return (Integer) bits.invoke(preferred);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Whether C2 compiles float vector comparisons, min, max, max-reductions and square roots to vector
   * instructions. Not on x86 without AVX ({@code UseAVX=0}, SSE only): HotSpot 17 to 25 implements
   * them there only for AVX encodings, so at 128 bits on SSE they run the Vector API's Java fallback,
   * lane by lane on heap objects, far slower than a plain loop. Where {@code UseAVX} cannot be read
   * on x86 (no {@code jdk.management}), a preferred float vector of 256 bits or more says AVX2 is in
   * use; a 128-bit one could be SSE, and counts as without.
   */
  public boolean vectorCompares() {
    return !isX86(osArch) || useAvx >= 1 || (useAvx < 0 && preferredFloatBits >= 256);
  }

  /**
   * Whether this is x86 with AVX but not AVX2 as HotSpot runs it ({@code UseAVX=1}: Sandy Bridge, Ivy
   * Bridge, or a virtual CPU that hides AVX2), with 256-bit vectors allowed ({@code MaxVectorSize} ≥ 32).
   * The Vector API's preferred shape is then 128 bits, the narrowest over all lane types, because AVX
   * has no 256-bit integer arithmetic. Its float arithmetic, loads, stores and broadcasts are 256 bits
   * wide, and C2 compiles them so; 256-bit float compares and blends it does not compile there (JDK 17
   * and 25), since x86 holds their masks as integer vectors.
   */
  public boolean avxWithoutAvx2() {
    return isX86(osArch) && useAvx == 1 && maxVectorSize >= 32 && preferredFloatBits == 128;
  }

  /**
   * The width of the float vectors the kernels use: 256 bits where {@link #avxWithoutAvx2()}, else the
   * preferred width ({@link #preferredFloatBits()}).
   */
  public int kernelFloatBits() {
    return avxWithoutAvx2() ? 256 : preferredFloatBits;
  }

  /** One line for logs: {@code amd64, UseAVX=3, UseFMA=true, MaxVectorSize=64, …}. */
  public String describe() {
    if (!flagsReadable) {
      return osArch + ", HotSpot flags unreadable (FMA assumed slow), " + preferredFloatBits
          + "-bit preferred float vectors, " + vectorRegisters + " vector registers";
    }
    return osArch + (useAvx >= 0 ? ", UseAVX=" + useAvx : "") + ", UseFMA=" + fastFma
        + ", MaxVectorSize=" + maxVectorSize + ", " + preferredFloatBits + "-bit preferred float vectors, "
        + vectorRegisters + " vector registers" + (c2 ? "" : ", no C2");
  }

  /** HotSpot's VM options through {@code HotSpotDiagnosticMXBean}, or nothing when it is missing. */
  private static final class VmOptions {
    private final Object bean;
    private final Method getVmOption;

    private VmOptions(Object bean, Method getVmOption) {
      this.bean = bean;
      this.getVmOption = getVmOption;
    }

    static VmOptions open() {
      try {
        Class<?> beanClass = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
        Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanClass);
        if (bean != null) {
          return new VmOptions(bean, beanClass.getMethod("getVMOption", String.class));
        }
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        // no jdk.management, or a VM without the HotSpot bean: every flag is unknown
      }
      return new VmOptions(null, null);
    }

    boolean readable() {
      return bean != null;
    }

    Optional<String> value(String name) {
      if (bean == null) {
        return Optional.empty();
      }
      try {
        Object option = getVmOption.invoke(bean, name);
        return Optional.of(String.valueOf(option.getClass().getMethod("getValue").invoke(option)));
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return Optional.empty(); // an option this VM does not have (UseAVX off x86, MaxVectorSize without C2)
      }
    }

    Optional<Boolean> flag(String name) {
      return value(name).filter(v -> v.equals("true") || v.equals("false")).map(Boolean::valueOf);
    }

    Optional<Integer> integer(String name) {
      try {
        return value(name).map(v -> Integer.valueOf(v.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }
}
