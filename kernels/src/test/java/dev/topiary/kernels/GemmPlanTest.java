package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.kernels.GemmTest.Case;
import dev.topiary.kernels.GemmTest.Layout;
import dev.topiary.kernels.GemmTest.Operands;
import dev.topiary.kernels.impl.CpuCaches;
import dev.topiary.kernels.impl.CpuFeatures;
import dev.topiary.kernels.impl.GemmPlan;
import dev.topiary.kernels.impl.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every GEMM plan of the Vector API kernels (8-, 6- and 4-row register tiles, fused multiply-add and
 * multiply-then-add, the blocking of each vector width and a deliberately tiny blocking), selected
 * explicitly so that all of them run on whatever host runs the tests, not only the one its ISA picks.
 * Each is checked against the double-precision reference of {@link GemmTest}, and the determinism
 * contract of a plan is checked as stated: the tile, the blocking and the thread count do not change a
 * single bit; only the depth block and the FMA setting may.
 */
class GemmPlanTest {

  private static final int BITS = vectorBits();

  private static int vectorBits() {
    assertNotNull(Providers.VECTOR, "the Vector API kernels are not available to the tests");
    return Providers.VECTOR.vectorBitSize();
  }

  /**
   * Whether the fma plans run here at hardware speed. Where HotSpot does not execute FMA in hardware
   * ({@code -XX:-UseFMA}, {@code -XX:UseAVX=0}, a CPU without FMA), {@code FloatVector.fma} and
   * {@code Math.fma} are emulated in software, a hundred times slower: the selection never picks an
   * fma plan there, and checking one would take minutes. Those JVMs check the multiply-add plans only;
   * the fma plans are checked by every JVM that has FMA (the default run of {@code .ci/run}).
   */
  private static final boolean FMA_IN_HARDWARE = CpuFeatures.current().fastFma();

  /**
   * A 32 KB 8-way L1d (Haswell's, Zen 3's) with a 128 KB 4-way L2, smaller than current x86 cores have,
   * so that the modelled blocking has kc = 256 and mc = 64 at 256 and 512 bits.
   */
  private static final CpuCaches SMALL_CACHES = new CpuCaches(32 * 1024, 8, 128 * 1024, 4);

  /** Width of the register tile in floats: two vectors. */
  private static final int NR = 2 * BITS / 32;

  /**
   * The plans of both register files and FMA settings, at this host's vector width (the 16-register fma
   * plan has 5 rows at 256 bits), the 4- and 5-row fma tiles whichever it is, and the 6-row tile that
   * {@code -Dtopiary.gemm.rows=6} selects, with the blocking of the 16-register plan.
   */
  static List<GemmPlan> standardPlans() {
    List<GemmPlan> plans = new ArrayList<>();
    for (boolean fma : fmaSettings()) {
      plans.add(GemmPlan.of(BITS, 32, fma));
      GemmPlan sixteen = GemmPlan.of(BITS, 16, fma);
      plans.add(sixteen);
      if (fma) {
        plans.add(new GemmPlan(sixteen.rows() == 5 ? "4 rows" : "5 rows", sixteen.rows() == 5 ? 4 : 5, true,
            sixteen.kc(), 128, sixteen.nc()));
      }
      plans.add(new GemmPlan("6 rows", 6, fma, sixteen.kc(), 126, sixteen.nc()));
      // The modelled blocking of small caches, at both register files.
      plans.add(GemmPlan.of(BITS, 32, fma, Optional.of(SMALL_CACHES)));
      plans.add(GemmPlan.of(BITS, 16, fma, Optional.of(SMALL_CACHES)));
    }
    return plans;
  }

  /** The FMA settings whose plans run at hardware speed in this JVM: both, or multiply-add alone. */
  static boolean[] fmaSettings() {
    if (FMA_IN_HARDWARE) {
      return new boolean[] {true, false};
    }
    System.out.println("GemmPlanTest: fma plans skipped, HotSpot does not execute FMA in hardware here ("
        + CpuFeatures.current().describe() + "); their fma would be emulated");
    return new boolean[] {false};
  }

  /** The same tiles with blocks so small that every loop of the blocking runs many times. */
  static List<GemmPlan> tinyBlockingPlans() {
    List<GemmPlan> plans = new ArrayList<>();
    for (GemmPlan p : standardPlans()) {
      plans.add(new GemmPlan(p.name() + ", tiny blocks", p.rows(), p.fma(), 19, 2 * p.rows(), 3 * NR));
    }
    return plans;
  }

  private static KernelProvider provider(GemmPlan plan) {
    try {
      return (KernelProvider) Class.forName("dev.topiary.kernels.impl.VectorKernels")
          .getConstructor(GemmPlan.class).newInstance(plan);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Provide
  Arbitrary<GemmPlan> plans() {
    List<GemmPlan> all = new ArrayList<>(standardPlans());
    all.addAll(tinyBlockingPlans());
    return Arbitraries.of(all);
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> dim = Providers.size(600);
    Arbitrary<Integer> pad = Arbitraries.of(0, 1, 17);
    Arbitrary<Integer> off = Arbitraries.of(0, 3);
    return Combinators.combine(Arbitraries.of(Layout.values()), dim, dim, dim, pad, off,
            Arbitraries.of(true, false), Arbitraries.of(1, 2, 3))
        .as((l, m, n, k, p, o, acc, t) -> new Case(l, m, n, k, p, p + 2, p, o, o + 1, o, acc, t, 31L * m + n))
        .filter(c -> (long) c.m() * c.n() * c.k() <= 1_500_000L);
  }

  @Property(tries = 300, seed = "20261201")
  void everyPlanMatchesTheDoubleReference(@ForAll("plans") GemmPlan plan, @ForAll("cases") Case c) {
    KernelProvider impl = provider(plan);
    Operands o = new Operands(c);
    float[] before = o.c.clone();
    o.run(impl, c.threads());
    o.check(before, "vector " + plan.name());
  }

  /**
   * With the depth block and the FMA setting fixed, the 8-, 6-, 5- and 4-row tiles, the standard and the
   * tiny row and column blocks, and one to four threads give the same bits, on shapes that take the
   * packed path in every layout. The 5-row blocks of 13 and 7 rows end in a whole and a partial 4-row
   * tile.
   */
  @Test
  void tileBlockingAndThreadsDoNotChangeTheResult() {
    int[][] shapes = {{131, 201, 300}, {67, 97, 513}, {9, 530, 61}};
    for (boolean fma : fmaSettings()) {
      GemmPlan eight = GemmPlan.of(BITS, 32, fma);
      GemmPlan sixteen = GemmPlan.of(BITS, 16, fma);
      assertEquals(eight.kc(), sixteen.kc());
      List<GemmPlan> variants = new ArrayList<>(List.of(sixteen,
          new GemmPlan("6 rows", 6, fma, eight.kc(), 126, sixteen.nc()),
          new GemmPlan("8 rows, small blocks", 8, fma, eight.kc(), 16, 2 * NR),
          new GemmPlan("6 rows, small blocks", 6, fma, eight.kc(), 12, 3 * NR),
          new GemmPlan("4 rows, small blocks", 4, fma, eight.kc(), 12, 3 * NR)));
      if (fma) {
        variants.add(new GemmPlan("4 rows", 4, true, eight.kc(), 128, sixteen.nc()));
        variants.add(new GemmPlan("5 rows", 5, true, eight.kc(), 128, sixteen.nc()));
        variants.add(new GemmPlan("5 rows, small blocks", 5, true, eight.kc(), 13, 3 * NR));
        variants.add(new GemmPlan("5 rows, smaller blocks", 5, true, eight.kc(), 7, 2 * NR));
      }
      for (Layout layout : Layout.values()) {
        for (int[] s : shapes) {
          Case c = new Case(layout, s[0], s[1], s[2], 1, 2, 3, 1, 0, 2, true, 1, 5);
          Operands reference = new Operands(c);
          reference.run(provider(eight), 1);
          for (GemmPlan p : variants) {
            for (int t = 1; t <= 4; t++) {
              Operands o = new Operands(c);
              o.run(provider(p), t);
              assertArrayEquals(reference.c, o.c, p.name() + " " + c + " on " + t + " threads");
            }
          }
        }
      }
    }
  }

  /** -Dtopiary.gemm.kc/mc/nc replace the blocking of this JVM's plan; bad values name the property. */
  @Test
  void blockingPropertiesReplaceTheBlockingOrFailClearly() {
    GemmPlan avx2 = GemmPlan.of(256, 16, true);
    assertEquals(avx2, GemmPlan.withBlocking(avx2, null, null, " "));
    GemmPlan set = GemmPlan.withBlocking(avx2, "256", "144", "2048");
    assertEquals(List.of(5, true, 256, 144, 2048),
        List.of(set.rows(), set.fma(), set.kc(), set.mc(), set.nc()));
    assertEquals(true, set.name().contains("kc=256, mc=144, nc=2048"), set.name());
    GemmPlan kcOnly = GemmPlan.withBlocking(avx2, "128", null, null);
    assertEquals(List.of(128, avx2.mc(), avx2.nc()), List.of(kcOnly.kc(), kcOnly.mc(), kcOnly.nc()));
    // The 4-row tile of AVX without FMA needs mc a multiple of 4; the 5-row one takes any mc from 5.
    GemmPlan avx = GemmPlan.of(256, 16, false);
    assertEquals(102, GemmPlan.withBlocking(avx2, null, "102", null).mc());
    for (String[] bad : new String[][] {{"0", null, null}, {"-5", null, null}, {"x", null, null},
        {null, "102", null}, {null, "0", null}, {null, null, "1e3"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GemmPlan.withBlocking(avx, bad[0], bad[1], bad[2]));
      String property = bad[0] != null ? GemmPlan.KC_PROPERTY
          : bad[1] != null ? GemmPlan.MC_PROPERTY : GemmPlan.NC_PROPERTY;
      assertEquals(true, e.getMessage().contains("-D" + property), e.getMessage());
    }
  }

  @Test
  void planChoosesTheTileForTheRegisterFile() {
    assertEquals(8, GemmPlan.of(512, 32, true).rows());
    assertEquals(5, GemmPlan.of(256, 16, true).rows());
    assertEquals(4, GemmPlan.of(256, 16, false).rows());
    assertEquals(8, GemmPlan.of(128, 32, false).rows());
    assertEquals(4, GemmPlan.of(128, 16, true).rows());
    assertEquals(4, GemmPlan.of(128, 16, false).rows());
    assertEquals(128, GemmPlan.of(256, 16, true).mc());
    // The B panel (kc × two vectors) stays within 32 KB of L1 at every width.
    for (int bits : new int[] {128, 256, 512}) {
      GemmPlan p = GemmPlan.of(bits, 16, true);
      int panelBytes = p.kc() * 2 * (bits / 32) * Float.BYTES;
      assertEquals(true, panelBytes <= 32 * 1024, p.name());
    }
    assertEquals(7, new GemmPlan("x", 5, true, 256, 7, 1024).mc());
    assertThrows(IllegalArgumentException.class, () -> new GemmPlan("x", 5, false, 256, 125, 1024));
    assertThrows(IllegalArgumentException.class, () -> new GemmPlan("x", 5, true, 256, 4, 1024));
    assertThrows(IllegalArgumentException.class, () -> new GemmPlan("x", 3, true, 256, 6, 1024));
    assertThrows(IllegalArgumentException.class, () -> new GemmPlan("x", 6, true, 256, 100, 1024));
    assertThrows(IllegalArgumentException.class, () -> new GemmPlan("x", 4, true, 256, 102, 1024));
  }

  /** The blocking BLIS's analytical model gives for well-known L1d and L2 geometries. */
  @Test
  void blockingFollowsTheCaches() {
    CpuCaches zen5 = new CpuCaches(48 * 1024, 12, 1024 * 1024, 16);
    CpuCaches zen3 = new CpuCaches(32 * 1024, 8, 512 * 1024, 8);
    for (boolean fma : new boolean[] {true, false}) {
      // At 256 and 512 bits, a 48 KB 12-way L1d gets the fixed blocking.
      for (int[] br : new int[][] {{256, 16}, {512, 32}}) {
        GemmPlan fixed = GemmPlan.of(br[0], br[1], fma);
        GemmPlan modelled = GemmPlan.of(br[0], br[1], fma, Optional.of(zen5));
        assertEquals(List.of(fixed.kc(), fixed.mc(), fixed.nc()),
            List.of(modelled.kc(), modelled.mc(), modelled.nc()), modelled.name());
      }
      assertEquals(256, GemmPlan.of(256, 16, fma, Optional.of(zen3)).kc());
      assertEquals(256, GemmPlan.of(512, 32, fma, Optional.of(zen3)).kc(), "the floor; the model says 128");
      assertEquals(512, GemmPlan.of(128, 16, fma, Optional.of(zen3)).kc());
      assertEquals(384, GemmPlan.of(128, 32, fma, Optional.of(zen3)).kc());
    }
    GemmPlan small = GemmPlan.of(256, 16, true, Optional.of(SMALL_CACHES));
    assertEquals(List.of(256, 64), List.of(small.kc(), small.mc()), small.name());
    GemmPlan p = GemmPlan.of(256, 16, true, Optional.of(zen3));
    assertEquals(true, p.name().contains("blocked for L1d 32 KB 8-way, L2 512 KB 8-way, kc=256"), p.name());
    // -Dtopiary.gemm.* still replaces a modelled blocking, and names it once.
    GemmPlan set = GemmPlan.withBlocking(GemmPlan.of(256, 16, true, Optional.of(SMALL_CACHES)), "300", null, null);
    assertEquals(300, set.kc());
    assertEquals(1, set.name().split("kc=", -1).length - 1, set.name());
  }

  /**
   * Over L1d of 8–256 KB with 1–16 ways and L2 of 128 KB–4 MB, on every register file: kc is a multiple
   * of 16 in [256, 1024] and mc a multiple of the tile's rows (of 4 for the 5-row tile, blocked as the
   * 4-row one) in [rows, 128]; the A and B panels fit
   * together in the L1d's ways but one (half of it with two ways or fewer) unless kc is at its floor of
   * 256; the A block and the B panel fit in L2 unless mc is down to one tile; and a larger L1d with the
   * same ways never gives a shallower kc.
   */
  @Test
  void modelledBlockingFitsTheCaches() {
    int[][] files = {{128, 16}, {128, 32}, {256, 16}, {512, 32}};
    int checked = 0;
    for (int l1Kb : new int[] {8, 16, 24, 32, 48, 64, 128, 192, 256}) {
      for (int ways : new int[] {1, 2, 3, 4, 6, 8, 12, 16}) {
        if (l1Kb * 1024 % ways != 0) {
          continue;
        }
        for (int l2Kb : new int[] {128, 256, 512, 1024, 2048, 4096}) {
          for (int l2Ways : new int[] {4, 8, 16}) {
            CpuCaches caches = new CpuCaches(l1Kb * 1024, ways, l2Kb * 1024, l2Ways);
            for (int[] f : files) {
              GemmPlan p = GemmPlan.of(f[0], f[1], true, Optional.of(caches));
              int nr = 2 * f[0] / 32;
              String what = p.name();
              assertEquals(0, p.kc() % 16, what);
              assertEquals(true, p.kc() >= 256 && p.kc() <= 1024, what);
              // The 5-row plan is blocked as the 4-row one (GemmPlan.of).
              int rows = p.rows() == 5 ? 4 : p.rows();
              assertEquals(0, p.mc() % rows, what);
              assertEquals(true, p.mc() >= p.rows() && p.mc() <= 128, what);
              long panels = (long) (rows + nr) * p.kc() * Float.BYTES;
              long room = ways <= 2 ? l1Kb * 1024L / 2 : l1Kb * 1024L / ways * (ways - 1);
              assertEquals(true, panels <= room || p.kc() == 256, what + ": panels of " + panels + " B");
              long inL2 = ((long) p.mc() + nr) * p.kc() * Float.BYTES;
              assertEquals(true, inL2 <= l2Kb * 1024L || p.mc() <= p.rows(), what + ": " + inL2 + " B in L2");
              if (l1Kb > 8 && (l1Kb / 2) * 1024 % ways == 0) {
                CpuCaches half = new CpuCaches(l1Kb / 2 * 1024, ways, l2Kb * 1024, l2Ways);
                assertEquals(true, GemmPlan.of(f[0], f[1], true, Optional.of(half)).kc() <= p.kc(), what);
              }
              checked++;
            }
          }
        }
      }
    }
    assertEquals(true, checked > 1000, "geometries checked: " + checked);
  }

  /**
   * The determinism contract, element by element: in NN and TN with k within one depth block, every
   * element of C is exactly (bit for bit) the float sum from zero of one fma per p in order of p (or
   * one rounded product then one rounded add, on a multiply-add plan), then added to C when
   * accumulating. Single rows (the direct path's row blocks), groups of four (its tile), and packed
   * shapes on one to three threads.
   */
  @Test
  void eachElementIsTheSumInOrderOfP() {
    int[][] shapes = {{1, 37, 5}, {1, 130, 64}, {1, 1031, 300}, {2, 70, 33}, {3, 9, 200}, {5, 61, 17},
        {9, 130, 129}, {40, 150, 100}};
    for (GemmPlan plan : standardPlans()) {
      KernelProvider impl = provider(plan);
      for (Layout layout : new Layout[] {Layout.NN, Layout.TN}) {
        for (int[] sh : shapes) {
          if (sh[2] > plan.kc()) {
            continue;
          }
          for (boolean acc : new boolean[] {false, true}) {
            for (int threads = 1; threads <= 3; threads++) {
              Case c = new Case(layout, sh[0], sh[1], sh[2], 3, 1, 2, 1, 2, 0, acc, threads, 7L * sh[1]);
              Operands o = new Operands(c);
              float[] expected = o.c.clone();
              for (int i = 0; i < c.m(); i++) {
                for (int j = 0; j < c.n(); j++) {
                  float sum = 0f;
                  for (int p = 0; p < c.k(); p++) {
                    float x = (float) o.opA(i, p);
                    float y = (float) o.opB(p, j);
                    sum = plan.fma() ? Math.fma(x, y, sum) : x * y + sum;
                  }
                  int at = c.cOff() + i * o.ldc + j;
                  expected[at] = acc ? expected[at] + sum : sum;
                }
              }
              o.run(impl, threads);
              assertArrayEquals(expected, o.c, plan.name() + " " + c);
            }
          }
        }
      }
    }
  }
}
