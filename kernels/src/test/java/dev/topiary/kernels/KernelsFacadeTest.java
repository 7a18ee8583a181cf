package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.kernels.impl.KernelSelection;
import org.junit.jupiter.api.Test;

/** The facade: which implementation is active, how it is forced, and what bad arguments are told. */
class KernelsFacadeTest {

  /** True when every condition for the Vector kernels holds on this JVM. */
  private static boolean vectorShouldBeUsable() throws Exception {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    String vm = System.getProperty("java.vm.name", "");
    String info = System.getProperty("java.vm.info", "");
    if (!(vm.contains("HotSpot") || vm.contains("OpenJDK")) || info.contains("emulated-client")
        || info.contains("interpreted mode")) {
      return false;
    }
    Class<?> shape = Class.forName("jdk.incubator.vector.VectorShape");
    Object preferred = shape.getMethod("preferredShape").invoke(null);
    int bits = (Integer) shape.getMethod("vectorBitSize").invoke(preferred);
    return bits >= 128;
  }

  @Test
  void vectorImplementationIsActiveWhereItCanBe() throws Exception {
    String forced = System.getProperty(KernelSelection.PROPERTY, "auto");
    if (vectorShouldBeUsable() && forced.equals("auto")) {
      assertEquals("vector", Kernels.implementation(),
          "the JVM can run the Vector API kernels, so a fallback to scalar is a bug");
      assertTrue(Kernels.vectorBitSize() >= 128);
    } else if (!vectorShouldBeUsable()) {
      assertEquals("scalar", Kernels.implementation());
    }
  }

  @Test
  void propertySelectsTheImplementation() throws Exception {
    String saved = System.getProperty(KernelSelection.PROPERTY);
    try {
      System.setProperty(KernelSelection.PROPERTY, "scalar");
      assertEquals("scalar", KernelSelection.select().provider().name());
      System.setProperty(KernelSelection.PROPERTY, "auto");
      assertEquals(vectorShouldBeUsable() ? "vector" : "scalar", KernelSelection.select().provider().name());
      if (vectorShouldBeUsable()) {
        System.setProperty(KernelSelection.PROPERTY, "vector");
        assertEquals("vector", KernelSelection.select().provider().name());
      }
      System.setProperty(KernelSelection.PROPERTY, "fastest");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KernelSelection::select);
      assertTrue(e.getMessage().contains("fastest"), e.getMessage());
    } finally {
      if (saved == null) {
        System.clearProperty(KernelSelection.PROPERTY);
      } else {
        System.setProperty(KernelSelection.PROPERTY, saved);
      }
    }
  }

  @Test
  void badOffsetsAndSizesAreReportedClearly() {
    float[] a = new float[10];
    float[] b = new float[10];
    IndexOutOfBoundsException oob =
        assertThrows(IndexOutOfBoundsException.class, () -> Kernels.dot(5, a, 6, b, 0));
    assertEquals("a: range [6, 11) outside array of length 10", oob.getMessage());
    IllegalArgumentException neg =
        assertThrows(IllegalArgumentException.class, () -> Kernels.sum(-1, a, 0));
    assertEquals("a: length must be >= 0, found -1", neg.getMessage());
    IllegalArgumentException nul =
        assertThrows(IllegalArgumentException.class, () -> Kernels.axpy(1, 1f, null, 0, b, 0));
    assertEquals("x is null", nul.getMessage());

    float[] c = new float[12];
    IndexOutOfBoundsException gemm = assertThrows(IndexOutOfBoundsException.class,
        () -> Kernels.gemmNT(3, 4, 3, a, 0, 3, new float[12], 0, 3, c, 1, 4, false));
    assertEquals("C: 3x4 matrix at offset 1 with leading dimension 4 needs 13 elements, array has 12",
        gemm.getMessage());
    IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
        () -> Kernels.gemmNN(2, 2, 2, a, 0, 1, b, 0, 2, c, 0, 2, false));
    assertEquals("A: leading dimension 1 is smaller than the row length 2", ld.getMessage());
    IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
        () -> Kernels.gemmTN(2, -1, 2, a, 0, 2, b, 0, 2, c, 0, 2, false));
    assertEquals("GEMM sizes must be >= 0, found m=2 n=-1 k=2", dims.getMessage());
    IllegalArgumentException norm = assertThrows(IllegalArgumentException.class,
        () -> Kernels.rowNorms(3, 1, 1, a, 0, 1, b, 0));
    assertEquals("norm order must be 1 or 2, found 3", norm.getMessage());
    IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
        () -> Kernels.adam(1, a, 0, a, 0, a, 0, a, 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, true, 0));
    assertEquals("Adam step must be >= 1, found 0", step.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Kernels.setThreads(0));
  }

  @Test
  void standardizeChecksItsArguments() {
    float[] x = {3f, 5f, 7f, 9f};
    float[] out = new float[4];
    Kernels.standardize(2, x, 0, new float[] {1f, 1f}, new float[] {2f, 4f}, out, 0);
    assertArrayEquals(new float[] {1f, 1f, 3f, 2f}, out);
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> Kernels.standardize(1, x, 0, new float[2], new float[3], out, 0));
    assertEquals("mean and scale differ in length: 2 and 3", lengths.getMessage());
    IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
        () -> Kernels.standardize(2, x, 1, new float[2], new float[2], out, 0));
    assertTrue(past.getMessage().startsWith("src: 2x2 matrix at offset 1"), past.getMessage());
  }

  @Test
  void denseIsGemmThenBiasAndActivation() {
    float[] x = {1f, 2f, 3f, -1f, 0f, 2f};
    float[] w = {1f, 0f, -1f, 0.5f, 0.5f, 0.5f};
    float[] bias = {0.5f, -10f};
    float[] y = new float[4];
    Kernels.dense(2, 3, 2, x, 0, w, 0, bias, 0, Activation.RELU, y, 0);
    // X·Wᵀ = [[−2, 3], [−3, 0.5]]; + bias → [[−1.5, −7], [−2.5, −9.5]]; ReLU → all 0.
    assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, y);
    float[] y2 = new float[4];
    Kernels.dense(2, 3, 2, x, 0, w, 0, null, 0, Activation.IDENTITY, y2, 0);
    assertEquals(-2f, y2[0]);
    assertEquals(3f, y2[1]);
    assertEquals(-3f, y2[2]);
    assertEquals(0.5f, y2[3]);
  }
}
