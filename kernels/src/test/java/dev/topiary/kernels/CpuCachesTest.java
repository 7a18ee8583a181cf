package dev.topiary.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.topiary.kernels.impl.CpuCaches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the caches' geometry from a directory laid out as Linux's sysfs lays it out. */
class CpuCachesTest {

  @TempDir
  Path dir;

  private void index(int i, int level, String type, String size, String ways) throws IOException {
    Path d = Files.createDirectories(dir.resolve("index" + i));
    Files.writeString(d.resolve("level"), level + "\n");
    Files.writeString(d.resolve("type"), type + "\n");
    Files.writeString(d.resolve("size"), size + "\n");
    if (ways != null) {
      Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
    }
  }

  /** A Zen 3 core: 32 KB 8-way L1d and L1i, 512 KB 8-way L2, 32 MB 16-way L3. */
  private void zen3() throws IOException {
    index(0, 1, "Data", "32K", "8");
    index(1, 1, "Instruction", "32K", "8");
    index(2, 2, "Unified", "512K", "8");
    index(3, 3, "Unified", "32768K", "16");
  }

  @Test
  void readsTheDataCachesAndSkipsTheInstructionCache() throws IOException {
    zen3();
    assertEquals(Optional.of(new CpuCaches(32 * 1024, 8, 512 * 1024, 8)), CpuCaches.read(dir));
    assertEquals("L1d 32 KB 8-way, L2 512 KB 8-way", CpuCaches.read(dir).orElseThrow().describe());
  }

  @Test
  void theInstructionCacheIsNotTakenForTheDataCache() throws IOException {
    // index0 the instruction cache, listed before the data cache
    index(0, 1, "Instruction", "64K", "4");
    index(1, 1, "Data", "48K", "12");
    index(2, 2, "Unified", "1M", "16");
    assertEquals(Optional.of(new CpuCaches(48 * 1024, 12, 1024 * 1024, 16)), CpuCaches.read(dir));
  }

  @Test
  void missingOrMalformedDescriptionsAreUnknown() throws IOException {
    assertEquals(Optional.empty(), CpuCaches.read(dir.resolve("absent")));
    assertEquals(Optional.empty(), CpuCaches.read(dir), "an empty directory");
    index(0, 1, "Data", "32K", "8");
    assertEquals(Optional.empty(), CpuCaches.read(dir), "no L2");
    index(2, 2, "Unified", "512K", null);
    assertEquals(Optional.empty(), CpuCaches.read(dir), "L2 without its associativity");
    index(2, 2, "Unified", "512K", "0");
    assertEquals(Optional.empty(), CpuCaches.read(dir), "associativity 0");
    index(2, 2, "Unified", "lots", "8");
    assertEquals(Optional.empty(), CpuCaches.read(dir), "a size that is not a number");
    index(2, 2, "Unified", "4096G", "8");
    assertEquals(Optional.empty(), CpuCaches.read(dir), "a size past int");
    index(2, 2, "Unified", "500K", "7");
    assertEquals(Optional.empty(), CpuCaches.read(dir), "ways that do not divide the size");
    index(2, 2, "Unified", "2M", "16");
    assertEquals(Optional.of(new CpuCaches(32 * 1024, 8, 2 * 1024 * 1024, 16)), CpuCaches.read(dir));
  }

  @Test
  void impossibleGeometriesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CpuCaches(0, 8, 1 << 20, 16));
    assertThrows(IllegalArgumentException.class, () -> new CpuCaches(32 * 1024, 0, 1 << 20, 16));
    assertThrows(IllegalArgumentException.class, () -> new CpuCaches(32 * 1024, 7, 1 << 20, 16));
    assertThrows(IllegalArgumentException.class, () -> new CpuCaches(32 * 1024, 8, 1 << 20, -1));
  }
}
