package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

  @Test
  void writesTableAndPlots(@TempDir Path dir) throws Exception {
    int status = Main.run("compare", "--data", "builtin:iris", "--methods", "variance,greedy-mean,magnitude",
        "--keep", "0.5,0.3", "--hidden", "8,8", "--epochs", "4", "--finetune-epochs", "2", "--out",
        dir.toString(), "-q");
    assertEquals(0, status);
    for (String f : new String[] {"compare.csv", "compare.json", "compare.md", "compare.svg", "compare.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    // dense, then two keep fractions × three methods
    assertEquals(1 + 1 + 6, Files.readAllLines(dir.resolve("compare.csv")).size());
    assertTrue(Files.readString(dir.resolve("compare.svg")).contains("greedy-mean"));
  }

  @Test
  void unknownMethodFailsWithoutWritingAnything(@TempDir Path dir) {
    Path out = dir.resolve("out");
    assertEquals(2, Main.run("compare", "--data", "builtin:iris", "--methods", "nonsense", "--out", out.toString(),
        "-q"));
    assertFalse(Files.exists(out));
  }

  @Test
  void studyWritesCsvAndBothPlots(@TempDir Path dir) throws Exception {
    int status = Main.run("study", "pretraining", "--data", "builtin:iris", "--epochs", "2", "--methods",
        "greedy-scaled", "--out", dir.toString(), "-q");
    assertEquals(0, status);
    for (String f : new String[] {"study-pretraining.csv", "study-pretraining-iterations.svg",
        "study-pretraining-iterations.png", "study-pretraining-rows.svg", "study-pretraining-rows.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
  }
}
