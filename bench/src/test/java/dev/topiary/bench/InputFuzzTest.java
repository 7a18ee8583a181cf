package dev.topiary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small campaign of {@link InputFuzz} in the suite: mutated model, CSV and IDX files give a model, a
 * data set or the documented exception, in time and within the allocation bound. The large campaign is
 * {@code bench/run-input-fuzz.sh}.
 */
class InputFuzzTest {

  @TempDir Path dir;

  private static void check(InputFuzz.Report r, int count, String documented) {
    assertEquals(count, r.tried(), r.toString());
    assertTrue(r.violations().isEmpty(), () -> String.join("\n", r.violations()));
    assertEquals(count, r.outcomes().getOrDefault("read", 0L) + r.outcomes().getOrDefault(documented, 0L),
        r.outcomes().toString());
    // The mutations reach both sides: some inputs still read, most are refused.
    assertTrue(r.outcomes().getOrDefault(documented, 0L) > count / 4, r.outcomes().toString());
  }

  @Test
  void mutatedModelFiles() throws Exception {
    check(InputFuzz.run(InputFuzz.Kind.MODEL, 1_200, 7, dir, 20_000), 1_200, "ModelFormatException");
  }

  @Test
  void mutatedCsvFiles() throws Exception {
    check(InputFuzz.run(InputFuzz.Kind.CSV, 1_500, 7, dir, 20_000), 1_500, "DataFormatException");
  }

  @Test
  void mutatedIdxFiles() throws Exception {
    check(InputFuzz.run(InputFuzz.Kind.IDX, 600, 7, dir, 20_000), 600, "DataFormatException");
  }
}
