package dev.topiary.kernels.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The size and associativity of the first two levels of data cache of one core, for the GEMM's cache
 * blocking ({@link GemmPlan#of(int, int, boolean, Optional)}). Read from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache/index*}; elsewhere, or where that directory is missing or
 * incomplete (some virtual machines and containers), the caches are unknown and the plan keeps its
 * fixed blocking.
 *
 * @param l1Bytes bytes of the level-1 data cache
 * @param l1Ways its associativity
 * @param l2Bytes bytes of the level-2 cache (data or unified)
 * @param l2Ways its associativity
 */
public record CpuCaches(int l1Bytes, int l1Ways, int l2Bytes, int l2Ways) {

  /** Where Linux describes the caches of the first CPU. */
  public static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

  private static final Optional<CpuCaches> CURRENT = read(SYSFS);

  /** Checks that each level has a positive size and associativity, and whole sets. */
  public CpuCaches {
    if (l1Bytes <= 0 || l1Ways <= 0 || l2Bytes <= 0 || l2Ways <= 0
        || l1Bytes % l1Ways != 0 || l2Bytes % l2Ways != 0) {
      throw new IllegalArgumentException("bad cache geometry: L1d " + l1Bytes + " bytes, " + l1Ways
          + " ways; L2 " + l2Bytes + " bytes, " + l2Ways + " ways");
    }
  }

  /** This host's caches, read once; empty when unknown. */
  public static Optional<CpuCaches> current() {
    return CURRENT;
  }

  /**
   * Reads the caches described under {@code dir} (the layout of {@link #SYSFS}: {@code index0},
   * {@code index1}, … each with {@code level}, {@code type}, {@code size} and
   * {@code ways_of_associativity}). Empty when the level-1 data cache or the level-2 cache is missing,
   * or a value cannot be read or parsed; never throws.
   */
  public static Optional<CpuCaches> read(Path dir) {
    try {
      long[] l1 = null;
      long[] l2 = null;
      for (int i = 0; i < 16; i++) {
        Path index = dir.resolve("index" + i);
        if (!Files.isDirectory(index)) {
          continue;
        }
        String type = text(index.resolve("type")).toLowerCase(Locale.ROOT);
        if (type.equals("instruction")) {
          continue;
        }
        int level = Integer.parseInt(text(index.resolve("level")));
        long[] geometry = {bytes(text(index.resolve("size"))),
            Long.parseLong(text(index.resolve("ways_of_associativity")))};
        if (level == 1) {
          l1 = geometry;
        } else if (level == 2) {
          l2 = geometry;
        }
      }
      if (l1 == null || l2 == null) {
        return Optional.empty();
      }
      // A size past int or an impossible geometry throws, and reads as unknown below.
      return Optional.of(new CpuCaches(Math.toIntExact(l1[0]), Math.toIntExact(l1[1]),
          Math.toIntExact(l2[0]), Math.toIntExact(l2[1])));
    } catch (IOException | RuntimeException e) {
      // unreadable, malformed or forbidden (a security manager): unknown
      return Optional.empty();
    }
  }

  /** One phrase for logs: {@code L1d 48 KB 12-way, L2 1024 KB 16-way}. */
  public String describe() {
    return "L1d " + l1Bytes / 1024 + " KB " + l1Ways + "-way, L2 " + l2Bytes / 1024 + " KB " + l2Ways
        + "-way";
  }

  private static String text(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
  }

  /** Parses sysfs sizes: {@code 48K}, {@code 1024K}, {@code 32M}, or a plain byte count. */
  static long bytes(String size) {
    String s = size.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (s.endsWith("K")) {
      unit = 1024;
    } else if (s.endsWith("M")) {
      unit = 1024 * 1024;
    } else if (s.endsWith("G")) {
      unit = 1024L * 1024 * 1024;
    }
    if (unit != 1) {
      s = s.substring(0, s.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(s), unit);
  }
}
