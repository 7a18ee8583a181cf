package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md names, for each case, the test that checks it: every such test must exist, so the
 * table cannot outlive what keeps it true.
 */
class ReliabilityDocTest {

  @Test
  void everyTestTheTableNamesExists() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("docs/reliability.md"))) {
      root = root.getParent();
      assertTrue(root != null, "docs/reliability.md not found above the working directory");
    }
    String doc = Files.readString(root.resolve("docs/reliability.md"));
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root, 12)) {
      s.filter(p -> p.toString().contains("/src/test/java/") && !p.toString().contains("/target/")
          && p.toString().endsWith(".java")).forEach(sources::add);
    }
    Matcher m = Pattern.compile("`(\\w+)#(\\w+)`").matcher(doc);
    int checked = 0;
    List<String> missing = new ArrayList<>();
    while (m.find()) {
      String cls = m.group(1);
      String method = m.group(2);
      boolean found = false;
      for (Path p : sources) {
        if (p.getFileName().toString().equals(cls + ".java")
            && Pattern.compile("void " + method + "\\(").matcher(Files.readString(p)).find()) {
          found = true;
          break;
        }
      }
      if (!found) {
        missing.add(cls + "#" + method);
      }
      checked++;
    }
    assertEquals(List.of(), missing, "tests named in docs/reliability.md that do not exist");
    assertTrue(checked >= 30, "the table names " + checked + " tests");
  }
}
