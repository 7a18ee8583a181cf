package dev.topiary.bench;

/**
 * The sizes of one GEMM, C[m×n] = op(A)[m×k]·op(B)[k×n], written {@code MxNxK} in benchmark parameters
 * so that a list of shapes can be chosen without JMH running the full cross product of M, N and K.
 */
record GemmShape(int m, int n, int k) {

  GemmShape {
    if (m < 1 || n < 1 || k < 1) {
      throw new IllegalArgumentException("GEMM sizes must be >= 1, found " + m + "x" + n + "x" + k);
    }
  }

  /** Parses {@code "128x512x512"} as m=128, n=512, k=512. */
  static GemmShape parse(String s) {
    String[] parts = s.trim().split("x");
    if (parts.length != 3) {
      throw new IllegalArgumentException("shape must be MxNxK, e.g. 128x512x512, found '" + s + "'");
    }
    try {
      return new GemmShape(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shape must be MxNxK, e.g. 128x512x512, found '" + s + "'");
    }
  }

  /** Floating-point operations of one product: a multiply and an add per term, 2·m·n·k. */
  double flops() {
    return 2.0 * m * n * k;
  }

  @Override
  public String toString() {
    return m + "x" + n + "x" + k;
  }
}
