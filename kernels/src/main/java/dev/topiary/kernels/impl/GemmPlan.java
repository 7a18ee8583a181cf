package dev.topiary.kernels.impl;

import java.util.Optional;

/**
 * The register tile and cache blocking of the Vector API GEMM ({@link VectorGemm}) for one instruction
 * set. The tile is {@code rows} × two vectors of C, held in 2·rows vector registers while a packed panel of
 * A (rows × kc) meets a packed panel of B (kc × 2 vectors); the rest of the register file holds the two
 * vectors of B, the broadcast element of A and, without FMA, the product before it is added.
 *
 * <ul>
 *   <li>32 vector registers (AVX-512, NEON, SVE): 8 rows, 16 accumulators.
 *   <li>16 vector registers of 256 bits with FMA (AVX2): 5 rows, 10 accumulators. A block of mc rows
 *       is covered by 5-row tiles and then 4-row ones (128 = 24·5 + 2·4), so that no tile is partial
 *       ({@link VectorGemm#fiveRowTiles}).
 *   <li>16 vector registers otherwise: 4 rows, 8 accumulators. Without FMA (AVX, SSE) the multiply-add
 *       kernel also holds the products before they are added; at 128 bits with FMA (x86 under
 *       {@code MaxVectorSize=16}) the 4-row tile already runs at 1.4× OpenBLAS, and the 5-row one was
 *       not measured there.
 * </ul>
 *
 * <p>Why 5 rows on AVX2: an fma takes 4 cycles and a core issues two per cycle, so a tile needs 8
 * independent accumulators to keep both units busy, and gets no slack from them: a loop of independent
 * fmas ran at 87–94 GFLOPS with 8 chains, 97–104 with 10 and 100–107 with 12 under
 * {@code -XX:UseAVX=2} (JDK 17, one core of an AMD EPYC Zen 5). Against OpenBLAS HASWELL (NT, 3 JVMs
 * × 10 interleaved rounds, alternated with the 4-row tile): JDK 17 0.92 / 0.91 against 0.90 / 0.89
 * at 128×512×512 / 256×1024×1024, JDK 25 0.95 / 0.93 against 0.90 / 0.89 (docs/benchmarks.md,
 * 2026-12-02, 12:10). How the kernel reads its panel decides whether C2 keeps the ten accumulators in
 * registers in every JVM; see {@link VectorGemm} ({@code kernel5}).
 *
 * <p>Why not 6 rows on 16 registers: a 6×2V tile needs 12 accumulators, 2 vectors of B and a broadcast,
 * 15 of the 16, and C2 is free to issue several broadcasts ahead of their FMAs. JDK 25's C2 does (three
 * at once), keeps one accumulator on the stack and chains its store, reload and fma through memory at
 * every step of k: the 6-row kernel ran at half speed there (43 against 89 GFLOPS under
 * {@code -XX:UseAVX=2} on one host). JDK 17's C2 usually keeps the 12 accumulators in registers, but not
 * in every JVM: training Fashion-MNIST under {@code -XX:UseAVX=2} (JDK 17, one thread, 7 alternated
 * pairs of fresh JVMs) took 1.34–2.62 s per epoch with 6 rows, three JVMs at 2.48–2.62 s, against
 * 1.36–1.74 s with 4 rows. The 6-row kernel stays for benchmarks ({@value #ROWS_PROPERTY}{@code =6}).
 *
 * <p>On x86 with AVX but not AVX2 ({@code -XX:UseAVX=1}, Sandy Bridge and Ivy Bridge, or a virtual
 * CPU that hides AVX2) the preferred float species has 4 lanes, since AVX has no 256-bit integer
 * arithmetic; the kernels use 8 ({@link FloatLanes}), since C2 compiles 256-bit float loads,
 * broadcasts, multiplies and adds there. The GEMM went from 0.42× to 0.94–1.01× of OpenBLAS
 * SANDYBRIDGE on JDK 17, and from 0.54× to 0.92–1.00× on JDK 25 (NT, medians of 5 JVMs,
 * interleaved, two runs). The activations that need compares or integer bits run scalar there. A
 * first try that gave the GEMM alone 8 lanes left the other kernels at 4: one JVM then held float
 * vectors of two shapes, the Vector API methods both called got polluted type profiles and
 * allocated at every call, and one JDK 17 training run of two took 19.4 s per epoch instead of 1.9
 * (docs/benchmarks.md, 2026-12-01, 21:25, and 2026-12-02, 04:20).
 *
 * <p>Cache blocking, GotoBLAS-style: the kc × 2V panel of B stays in L1 while the tile sweeps the
 * mc × kc block of A in L2; the kc × nc block of B sits in L2/L3. Where Linux reports the caches'
 * size and associativity ({@link CpuCaches}), kc and mc follow from them ({@link #blocking}): a 32 KB
 * 8-way L1d, as on most AVX2 CPUs, gets kc = 256 at 256 bits, where the fixed kc of 512 would fill
 * it with the B panel alone. Elsewhere kc is fixed so that the B panel is 16–32 KB whatever the
 * vector width (narrower vectors get a deeper kc, which also halves the number of times C is read
 * and written).
 *
 * <p>Determinism: on a given plan, every element of C is computed by the same sequence of float
 * operations whatever the thread count and wherever it falls in the blocking: one fma (or one multiply
 * then one add, without FMA) per p, in order of p within a depth block of kc, the depth blocks added to
 * C in order. Two plans with a different kc or a different FMA setting round differently.
 *
 * @param name short description for logs and benchmark reports
 * @param rows rows of the register tile (8, 6, 5 or 4; 5 with fma only)
 * @param fma whether the micro-kernels use fused multiply-add (else a multiply and an add)
 * @param kc depth of a packed block
 * @param mc rows of a packed block of A (a multiple of rows, any count for 5 rows)
 * @param nc columns of a packed block of B (a multiple of the two-vector tile width)
 */
public record GemmPlan(String name, int rows, boolean fma, int kc, int mc, int nc) {

  /** Checks the invariants the micro-kernels rely on. */
  public GemmPlan {
    if (rows != 8 && rows != 6 && rows != 5 && rows != 4) {
      throw new IllegalArgumentException("the register tile has 8, 6, 5 or 4 rows, found " + rows);
    }
    if (rows == 5 && !fma) {
      throw new IllegalArgumentException("the 5-row tile has an fma kernel only");
    }
    if (kc < 1 || mc < rows || mc % rowUnit(rows) != 0 || nc < 1) {
      throw new IllegalArgumentException("bad blocking kc=" + kc + " mc=" + mc + " nc=" + nc);
    }
  }

  /**
   * What a row block must be a multiple of: the tile's rows, but for the 5-row tile, which covers any
   * block with 5- and 4-row tiles.
   */
  private static int rowUnit(int rows) {
    return rows == 5 ? 1 : rows;
  }

  /** The row block of a tile of {@code rows}: 128 rows, or the largest multiple of the tile below. */
  private static int rowBlock(int rows) {
    return 128 / rowUnit(rows) * rowUnit(rows);
  }

  /**
   * The plan for a register file of {@code registers} vectors of {@code vectorBits} bits, with or
   * without fused multiply-add, and the fixed blocking: kc = 512 below 512 bits and 256 at 512 (at
   * 256 and 512 bits what {@link #blocking} gives for a 48 KB 12-way L1d), with 128-row blocks of A.
   */
  public static GemmPlan of(int vectorBits, int registers, boolean fma) {
    return of(vectorBits, registers, fma, Optional.empty());
  }

  /**
   * The plan for a register file of {@code registers} vectors of {@code vectorBits} bits, with or
   * without fused multiply-add, blocked for {@code caches} where they are known ({@link #blocking}),
   * else with the fixed blocking of {@link #of(int, int, boolean)}.
   */
  public static GemmPlan of(int vectorBits, int registers, boolean fma, Optional<CpuCaches> caches) {
    int lanes = Math.max(4, vectorBits / 32);
    int rows = registers >= 32 ? 8 : fma && vectorBits == 256 ? 5 : 4;
    int nr = 2 * lanes;
    // The kc × 2V panel of B at 32 KB for 512-bit vectors, 32 KB for 256-bit, 16 KB for 128-bit.
    int kc = lanes >= 16 ? 256 : 512;
    int fixedMc = rowBlock(rows);
    int mc = fixedMc;
    String blockedFor = "";
    if (caches.isPresent()) {
      // The 5-row plan is blocked as the 4-row one: for 5 rows the model gives kc = 400 on a 48 KB
      // 12-way L1d, which ran no faster than the fixed 512 under -XX:UseAVX=2 (docs/benchmarks.md,
      // 2026-12-02, 13:08); on a 32 KB 8-way L1d both give 256.
      int[] km = blocking(caches.get(), rows == 5 ? 4 : rows, nr, mc);
      kc = km[0];
      mc = Math.max(rows, km[1]);
      blockedFor = ", blocked for " + caches.get().describe();
    }
    int nc = (1024 / nr) * nr;
    String name = vectorBits + "-bit, " + registers + " registers, " + rows + "x" + nr + " tile, "
        + (fma ? "fma" : "mul+add") + blockedFor + ", kc=" + kc
        + (mc != fixedMc ? ", mc=" + mc : "");
    return new GemmPlan(name, rows, fma, kc, mc, nc);
  }

  /**
   * The depth kc and row block mc for a {@code rows} × {@code nr} tile on caches of the given
   * geometry, after the analytical model of BLIS's blocking (Low, Igual, Smith and Quintana-Ortí,
   * "Analytical modeling is enough for high-performance BLIS", ACM TOMS 43(2), 2016). The kc × nr
   * panel of B stays in L1 while rows × kc panels of A stream through it, so of the L1d's W ways
   * one is left to C, the A panel gets ⌊(W − 1) / (1 + nr / rows)⌋ of them (at least one), and kc
   * fills those: kc = ways_A · (L1d / W) / (rows · 4 bytes), lowered if the B panel would not fit
   * in the ways left. With W ≤ 2 the two panels share half the L1d. kc is not taken below
   * {@value #MIN_MODELLED_KC}: at 512 bits the model gives 128 for a 32 KB 8-way L1d, and on a 48 KB
   * host under the same tile kc = 128 ran 2–3 % slower than 256 against OpenBLAS (both JDKs); BLIS's
   * own Skylake-X configuration also streams a panel larger than L1 (kc = 384). In L2, the mc × kc
   * block of A gets the ways the B panel and one more leave, with mc at most {@code maxMc}.
   *
   * <ul>
   *   <li>48 KB 12-way L1d (Zen 5, Ice Lake and later): kc = 512 for a 4 × 16 tile (AVX2), 256 for
   *       8 × 32 (AVX-512), the fixed blocking; on such a host under {@code -XX:UseAVX=2}, kc = 256 and
   *       384 were no faster than 512 (docs/benchmarks.md). At 128 bits 768 (4 × 8) or 640 (8 × 8),
   *       where the fixed kc is 512: under {@code -XX:MaxVectorSize=16} 768 and 512 ran alike.
   *   <li>32 KB 8-way (Haswell to Skylake, Zen 1 to 4): kc = 256 for 4 × 16, as BLIS's Haswell
   *       configuration has for its 6 × 16 tile, where the fixed kc of 512 would fill the whole L1d with
   *       the B panel; 256 for 8 × 32 (the floor).
   * </ul>
   *
   * @return {kc, mc}, kc a multiple of 16 in [{@value #MIN_MODELLED_KC}, 1024], mc a multiple of rows
   *     in [rows, maxMc]
   */
  static int[] blocking(CpuCaches caches, int rows, int nr, int maxMc) {
    int ways = caches.l1Ways();
    int way = caches.l1Bytes() / ways;
    int kc;
    if (ways <= 2) {
      kc = caches.l1Bytes() / 2 / ((rows + nr) * Float.BYTES);
    } else {
      int aWays = Math.max(1, (ways - 1) * rows / (rows + nr));
      kc = aWays * way / (rows * Float.BYTES);
      int bWays = ways - 1 - aWays;
      kc = Math.min(kc, Math.max(1, bWays) * way / (nr * Float.BYTES));
    }
    kc = Math.max(MIN_MODELLED_KC, Math.min(1024, kc / 16 * 16));
    int way2 = caches.l2Bytes() / caches.l2Ways();
    int bWays2 = (int) (((long) kc * nr * Float.BYTES + way2 - 1) / way2);
    int aWays2 = Math.max(1, caches.l2Ways() - 1 - bWays2);
    long mc = (long) aWays2 * way2 / ((long) kc * Float.BYTES);
    mc = Math.max(rows, Math.min(maxMc, mc / rows * rows));
    return new int[] {kc, (int) mc};
  }

  /** The shallowest depth block {@link #blocking} gives. */
  static final int MIN_MODELLED_KC = 256;

  /** System property that sets this JVM's tile rows (8, 6 or 4), for benchmarks. */
  public static final String ROWS_PROPERTY = "topiary.gemm.rows";
  /** System property that sets this JVM's depth block kc, for benchmarks (see {@link #withBlocking}). */
  public static final String KC_PROPERTY = "topiary.gemm.kc";
  /** System property that sets this JVM's row block mc, a multiple of the tile's rows. */
  public static final String MC_PROPERTY = "topiary.gemm.mc";
  /** System property that sets this JVM's column block nc. */
  public static final String NC_PROPERTY = "topiary.gemm.nc";

  /**
   * The plan for this JVM: the vector width of the Vector API's preferred species, the registers the
   * JIT allocates from and whether HotSpot executes FMA in hardware, as {@link CpuFeatures} reads them,
   * with the blocking set by {@value #KC_PROPERTY}, {@value #MC_PROPERTY} and {@value #NC_PROPERTY}
   * where given.
   */
  static GemmPlan host(int vectorBits) {
    CpuFeatures cpu = CpuFeatures.current();
    GemmPlan plan = of(vectorBits, cpu.vectorRegisters(), cpu.fastFma(), CpuCaches.current());
    String rows = System.getProperty(ROWS_PROPERTY);
    if (rows != null && !rows.isBlank()) {
      int r = parse(ROWS_PROPERTY, rows, plan.rows());
      int mc = rowBlock(r);
      try {
        plan = new GemmPlan(plan.name().replaceFirst(", \\d+x", ", " + r + "x") + " (rows set by -D"
            + ROWS_PROPERTY + ")", r, plan.fma(), plan.kc(), mc, plan.nc());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("-D" + ROWS_PROPERTY + "=" + rows.trim() + " cannot run here: "
            + e.getMessage(), e);
      }
    }
    return withBlocking(plan,
        System.getProperty(KC_PROPERTY), System.getProperty(MC_PROPERTY), System.getProperty(NC_PROPERTY));
  }

  /**
   * The plan with its kc, mc and nc replaced by the given values (null keeps the plan's own). For
   * benchmarks that compare blockings on one host, through {@code -Dtopiary.gemm.kc=256} and its
   * siblings; a different kc rounds differently (see the determinism note above).
   *
   * @throws IllegalArgumentException naming the property, when a value is not a positive integer or mc
   *     is not a multiple of the tile's rows
   */
  public static GemmPlan withBlocking(GemmPlan plan, String kc, String mc, String nc) {
    int k = parse(KC_PROPERTY, kc, plan.kc());
    int m = parse(MC_PROPERTY, mc, plan.mc());
    int n = parse(NC_PROPERTY, nc, plan.nc());
    if (m % rowUnit(plan.rows()) != 0) {
      throw new IllegalArgumentException("-D" + MC_PROPERTY + " must be a multiple of the tile's "
          + plan.rows() + " rows, found " + m);
    }
    if (k == plan.kc() && m == plan.mc() && n == plan.nc()) {
      return plan;
    }
    String name = plan.name().replaceFirst(", kc=\\d+(, mc=\\d+)?$", "") + ", kc=" + k + ", mc=" + m + ", nc=" + n
        + " (set by -Dtopiary.gemm.*)";
    return new GemmPlan(name, plan.rows(), plan.fma(), k, m, n);
  }

  private static int parse(String property, String value, int otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      int v = Integer.parseInt(value.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + property + " must be a positive integer, found '" + value + "'");
  }
}
