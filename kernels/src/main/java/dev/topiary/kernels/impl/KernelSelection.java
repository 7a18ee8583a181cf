package dev.topiary.kernels.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernel implementation once per JVM. The Vector API one is used only when every condition
 * for it to be fast holds: the {@code jdk.incubator.vector} module is in the boot layer, the VM is HotSpot
 * with C2 (not a client-emulating, C1-only or interpreter-only VM, where the Vector API falls back to
 * Java code much slower than plain loops; see {@link CpuFeatures#c2()}), and the preferred vector shape is at least 128 bits. The Vector classes
 * are loaded reflectively, after these checks, so a JVM without the module never touches them. Any
 * failure falls back to the plain-Java kernels. The system property {@value #PROPERTY} set to
 * {@code vector} or {@code scalar} forces the choice ({@code vector} fails loudly if it cannot be had).
 *
 * <p>Where HotSpot does not execute fused multiply-add in hardware ({@link CpuFeatures#fastFma()} false:
 * {@code -XX:-UseFMA}, {@code -XX:UseAVX=0}, a CPU without FMA), the Vector kernels compute every a·b + c
 * as a multiply and an add ({@link MulAdd}) instead of an emulated fma; the plain-Java kernels never
 * call {@code Math.fma}. The reason for the choice, with the features read, is logged once by the
 * facade.
 */
public final class KernelSelection {

  /** System property that forces an implementation: {@code vector}, {@code scalar} or {@code auto}. */
  public static final String PROPERTY = "topiary.kernels";

  private static final String VECTOR_CLASS = "dev.topiary.kernels.impl.VectorKernels";

  private KernelSelection() {}

  /** The outcome of a selection: the provider and, when it is the fallback, why. */
  public record Choice(KernelProvider provider, String reason) {}

  /** True when {@code -Dtopiary.kernels=scalar} forces the plain-Java kernels. */
  public static boolean isForcedScalar() {
    return System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT).equals("scalar");
  }

  /** Runs the selection; the facade calls this once and logs the reason. */
  public static Choice select() {
    String forced = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    // A bad -Dtopiary.gemm.* value fails here, with its own message, rather than in the Vector
    // kernels' class initialisation, where the fallback to scalar would hide it.
    CpuFeatures cpu = CpuFeatures.current();
    GemmPlan.withBlocking(GemmPlan.of(Math.max(128, cpu.kernelFloatBits()), cpu.vectorRegisters(),
        cpu.fastFma()), System.getProperty(GemmPlan.KC_PROPERTY),
        System.getProperty(GemmPlan.MC_PROPERTY), System.getProperty(GemmPlan.NC_PROPERTY));
    switch (forced) {
      case "scalar":
        return new Choice(new ScalarKernels(), "forced by -D" + PROPERTY + "=scalar");
      case "vector": {
        Choice c = tryVector();
        if (c.provider() == null) {
          throw new IllegalStateException(
              "-D" + PROPERTY + "=vector was requested but the Vector API kernels are unusable: "
                  + c.reason());
        }
        return c;
      }
      case "auto":
      case "": {
        Choice c = tryVector();
        return c.provider() != null ? c : new Choice(new ScalarKernels(), c.reason());
      }
      default:
        throw new IllegalArgumentException(
            "-D" + PROPERTY + " must be vector, scalar or auto, found '" + forced + "'");
    }
  }

  private static Choice tryVector() {
    String vmName = System.getProperty("java.vm.name", "");
    String vmInfo = System.getProperty("java.vm.info", "");
    if (!vmName.contains("HotSpot") && !vmName.contains("OpenJDK")) {
      return new Choice(null, "the VM is " + vmName + ", not HotSpot; the Vector API is slow there");
    }
    CpuFeatures cpu = CpuFeatures.current();
    if (!cpu.c2()) {
      return new Choice(null, "the VM runs without C2 (" + vmInfo + "; " + cpu.describe()
          + "); the Vector API is slow there");
    }
    Optional<Module> vectorModule =
        Optional.ofNullable(KernelSelection.class.getModule().getLayer())
            .orElse(ModuleLayer.boot())
            .findModule("jdk.incubator.vector");
    if (vectorModule.isEmpty()) {
      vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
    }
    if (vectorModule.isEmpty()) {
      return new Choice(null, "the jdk.incubator.vector module is not loaded; start the JVM with "
          + "--add-modules jdk.incubator.vector for the SIMD kernels");
    }
    KernelSelection.class.getModule().addReads(vectorModule.get());
    try {
      var lookup = MethodHandles.lookup();
      Class<?> cls = lookup.findClass(VECTOR_CLASS);
      KernelProvider p = (KernelProvider) lookup.findConstructor(cls, MethodType.methodType(void.class))
          .invoke();
      return new Choice(p, "Vector API, " + p.vectorBitSize() + "-bit float vectors, "
          + (cpu.fastFma() ? "fused multiply-add"
              : "multiply then add: HotSpot does not execute FMA in hardware here, and an emulated fma "
                  + "is a hundred times slower")
          + "; GEMM plan: " + p.gemmPlan() + "; " + cpu.describe());
    } catch (UnsupportedOperationException e) {
      return new Choice(null, e.getMessage());
    } catch (ExceptionInInitializerError e) {
      return new Choice(null, "the Vector API kernels failed to start: "
          + (e.getCause() != null ? e.getCause() : e));
    } catch (ClassNotFoundException | LinkageError e) {
      return new Choice(null, "the Vector API classes could not be loaded: " + e);
    } catch (Throwable e) {
      return new Choice(null, "the Vector API kernels failed to start: " + e);
    }
  }
}
