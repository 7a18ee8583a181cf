package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topiary.kernels.impl.KernelProvider;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * GEMM in its three layouts against a double-precision reference, for both implementations. The
 * tolerance is the classical forward error bound of a dot product, |ĉ − c| ≤ γ·Σ_p|a_ip·b_pj| with
 * γ = c₀·k·ε, plus the rounding of the final addition to C when accumulating.
 */
class GemmTest {

  enum Layout { NT, NN, TN }

  record Case(Layout layout, int m, int n, int k, int padA, int padB, int padC, int aOff, int bOff,
      int cOff, boolean accumulate, int threads, long seed) {
    @Override
    public String toString() {
      return layout + " m=" + m + " n=" + n + " k=" + k + " pads=" + padA + "/" + padB + "/" + padC
          + " offs=" + aOff + "/" + bOff + "/" + cOff + " acc=" + accumulate + " threads=" + threads;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> dim = Providers.size(1031);
    Arbitrary<Integer> pad = Arbitraries.of(0, 0, 1, 3, 17);
    Arbitrary<Integer> off = Arbitraries.of(0, 0, 1, 5);
    return Combinators.combine(
        Combinators.combine(Arbitraries.of(Layout.values()), dim, dim, dim).as((l, m, n, k) -> new Object[] {l, m, n, k}),
        Combinators.combine(pad, pad, pad, off, off, off).as((p1, p2, p3, o1, o2, o3) -> new Object[] {p1, p2, p3, o1, o2, o3}),
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(1, 1, 2, 3),
            Arbitraries.longs()).as((acc, t, seed) -> new Object[] {acc, t, seed}))
        .as((s, p, o) -> new Case((Layout) s[0], (Integer) s[1], (Integer) s[2], (Integer) s[3],
            (Integer) p[0], (Integer) p[1], (Integer) p[2], (Integer) p[3], (Integer) p[4], (Integer) p[5],
            (Boolean) o[0], (Integer) o[1], (Long) o[2]))
        // Keep the double reference cheap: at most ~2.5M multiply-adds per case.
        .filter(c -> (long) c.m() * c.n() * c.k() <= 2_500_000L);
  }

  @Property(tries = 600, seed = "20240611")
  void matchesDoubleReference(@ForAll("cases") Case c, @ForAll("providers") KernelProvider impl) {
    Operands o = new Operands(c);
    float[] before = o.c.clone();
    o.run(impl, c.threads());
    o.check(before, impl.name());
  }

  @Provide
  Arbitrary<KernelProvider> providers() {
    return Providers.providers();
  }

  /** Large enough to be split across threads, in every layout and on both paths. */
  @Test
  void threadCountDoesNotChangeTheResult() {
    int[][] shapes = {{130, 200, 300}, {257, 97, 513}, {9, 1100, 300}, {1, 3000, 1000}, {3, 700, 900},
        {200, 33, 700}};
    for (KernelProvider impl : Providers.all()) {
      for (Layout layout : Layout.values()) {
        for (int[] s : shapes) {
          for (boolean acc : new boolean[] {false, true}) {
            Case c = new Case(layout, s[0], s[1], s[2], 3, 1, 2, 1, 2, 3, acc, 1, 42);
            Operands one = new Operands(c);
            one.run(impl, 1);
            for (int t = 2; t <= 4; t++) {
              Operands many = new Operands(c);
              many.run(impl, t);
              assertArrayEquals(one.c, many.c, impl.name() + " " + c + " with " + t + " threads");
            }
          }
        }
      }
    }
  }

  @Test
  void emptyDepthClearsOrKeepsC() {
    for (KernelProvider impl : Providers.all()) {
      for (Layout layout : Layout.values()) {
        Case c = new Case(layout, 5, 7, 0, 0, 0, 1, 0, 0, 0, false, 1, 7);
        Operands o = new Operands(c);
        float[] before = o.c.clone();
        o.run(impl, 1);
        o.check(before, impl.name());
        Case acc = new Case(layout, 5, 7, 0, 0, 0, 1, 0, 0, 0, true, 1, 7);
        Operands p = new Operands(acc);
        float[] keep = p.c.clone();
        p.run(impl, 1);
        assertArrayEquals(keep, p.c, impl.name() + " " + acc);
      }
    }
  }

  /** The operands of one case, with everything outside the matrices filled with sentinels. */
  static final class Operands {
    final Case cs;
    final float[] a;
    final float[] b;
    final float[] c;
    final int lda;
    final int ldb;
    final int ldc;

    Operands(Case cs) {
      this.cs = cs;
      Random rnd = new Random(cs.seed());
      int aRows = cs.layout() == Layout.TN ? cs.k() : cs.m();
      int aCols = cs.layout() == Layout.TN ? cs.m() : cs.k();
      int bRows = cs.layout() == Layout.NT ? cs.n() : cs.k();
      int bCols = cs.layout() == Layout.NT ? cs.k() : cs.n();
      lda = aCols + cs.padA();
      ldb = bCols + cs.padB();
      ldc = cs.n() + cs.padC();
      a = Providers.random(rnd, cs.aOff() + aRows * lda + 3, -1f, 1f);
      b = Providers.random(rnd, cs.bOff() + bRows * ldb + 3, -1f, 1f);
      c = Providers.random(rnd, cs.cOff() + cs.m() * ldc + 3, -1f, 1f);
    }

    double opA(int i, int p) {
      return cs.layout() == Layout.TN ? a[cs.aOff() + p * lda + i] : a[cs.aOff() + i * lda + p];
    }

    double opB(int p, int j) {
      return cs.layout() == Layout.NT ? b[cs.bOff() + j * ldb + p] : b[cs.bOff() + p * ldb + j];
    }

    void run(KernelProvider impl, int threads) {
      run(impl, Providers.threads(threads));
    }

    void run(KernelProvider impl, Parallelism threads) {
      switch (cs.layout()) {
        case NT:
          impl.gemmNT(cs.m(), cs.n(), cs.k(), a, cs.aOff(), lda, b, cs.bOff(), ldb, c, cs.cOff(), ldc,
              cs.accumulate(), threads);
          break;
        case NN:
          impl.gemmNN(cs.m(), cs.n(), cs.k(), a, cs.aOff(), lda, b, cs.bOff(), ldb, c, cs.cOff(), ldc,
              cs.accumulate(), threads);
          break;
        default:
          impl.gemmTN(cs.m(), cs.n(), cs.k(), a, cs.aOff(), lda, b, cs.bOff(), ldb, c, cs.cOff(), ldc,
              cs.accumulate(), threads);
      }
    }

    void check(float[] before, String name) {
      double gamma = 2.0 * (cs.k() + 2) * Providers.EPS;
      boolean[] inside = new boolean[c.length];
      for (int i = 0; i < cs.m(); i++) {
        for (int j = 0; j < cs.n(); j++) {
          int idx = cs.cOff() + i * ldc + j;
          inside[idx] = true;
          double ref = cs.accumulate() ? before[idx] : 0.0;
          double mag = Math.abs(ref);
          for (int p = 0; p < cs.k(); p++) {
            double t = opA(i, p) * opB(p, j);
            ref += t;
            mag += Math.abs(t);
          }
          double err = Math.abs(c[idx] - ref);
          if (!(err <= gamma * mag + Float.MIN_NORMAL)) {
            fail(name + " " + cs + ": C[" + i + "," + j + "] = " + c[idx] + ", reference " + ref
                + ", error " + err + " > " + gamma * mag);
          }
        }
      }
      for (int idx = 0; idx < c.length; idx++) {
        if (!inside[idx]) {
          assertEquals(before[idx], c[idx], name + " " + cs + ": wrote outside C at " + idx);
        }
      }
    }
  }
}
