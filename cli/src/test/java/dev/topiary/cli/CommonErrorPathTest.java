package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command reports bad input the same way: exit status 2 and one line on the command line's own
 * standard error starting "topiary: ", nothing written; and the shared options come from one place.
 */
class CommonErrorPathTest {

  @TempDir Path dir;

  private Path csvWithQuestionMark() throws IOException {
    Path csv = dir.resolve("q.csv");
    StringBuilder b = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 30; i++) {
      b.append(i).append(',').append(i % 3 == 0 && i == 9 ? "?" : Integer.toString(i * 2)).append(',')
          .append(i % 2 == 0 ? "x" : "z").append('\n');
    }
    Files.writeString(csv, b);
    return csv;
  }

  @Test
  void compareReportsBadInputThroughTheCommonPath() throws IOException {
    Path out = dir.resolve("cmp");
    List<List<String>> cases = List.of(
        List.of("--data", dir.resolve("missing.csv").toString()),
        List.of("--data", csvWithQuestionMark().toString()),
        List.of("--data", "builtin:iris", "--keep", "0,2"),
        List.of("--data", "builtin:iris", "--seeds", "0"),
        List.of("--data", "builtin:iris", "--methods", "nonsense"));
    for (List<String> c : cases) {
      String[] args = new String[c.size() + 5];
      args[0] = "compare";
      for (int i = 0; i < c.size(); i++) {
        args[i + 1] = c.get(i);
      }
      args[c.size() + 1] = "--out";
      args[c.size() + 2] = out.toString();
      args[c.size() + 3] = "--epochs";
      args[c.size() + 4] = "1";
      Cli.Result r = Cli.run(args);
      String line = r.errorLine(2);
      assertFalse(line.contains("internal error"), line);
      assertEquals("", r.out(), String.join(" ", c));
      assertFalse(Files.exists(out), "nothing is written for " + c);
    }
  }

  @Test
  void compareNamesTheCauses() throws IOException {
    String missing = Cli.run("compare", "--data", dir.resolve("missing.csv").toString(), "--out",
        dir.resolve("o").toString()).errorLine(2);
    assertTrue(missing.contains("missing.csv"), missing);
    String seeds = Cli.run("compare", "--data", "builtin:iris", "--seeds", "0", "--out",
        dir.resolve("o").toString()).errorLine(2);
    assertTrue(seeds.contains("--seeds"), seeds);
    String keep = Cli.run("compare", "--data", "builtin:iris", "--keep", "0,2", "--out",
        dir.resolve("o").toString()).errorLine(2);
    assertTrue(keep.contains("--keep"), keep);
  }

  @Test
  void studyReportsBadInputThroughTheCommonPath() throws IOException {
    Path out = dir.resolve("study");
    for (String[] c : new String[][] {
        {"--data", dir.resolve("missing.csv").toString()},
        {"--data", csvWithQuestionMark().toString()},
        {"--data", "builtin:iris", "--methods", "nonsense"},
        {"--data", "builtin:iris", "--keep", "0"}}) {
      String[] args = new String[c.length + 4];
      args[0] = "study";
      args[1] = "pretraining";
      System.arraycopy(c, 0, args, 2, c.length);
      args[c.length + 2] = "--out";
      args[c.length + 3] = out.toString();
      Cli.Result r = Cli.run(args);
      String line = r.errorLine(2);
      assertFalse(line.contains("internal error"), line);
      assertFalse(Files.exists(out), "nothing is written for " + String.join(" ", c));
    }
  }

  @Test
  void everyDataCommandTakesTheSharedOptions() {
    CommandLine root = Main.commandLine(false);
    for (String name : List.of("train", "eval", "prune", "sweep", "compare")) {
      var spec = root.getSubcommands().get(name).getCommandSpec();
      for (String opt : List.of("--data", "--target", "--json", "--quiet")) {
        assertTrue(spec.findOption(opt) != null, name + " lacks " + opt);
      }
      assertTrue(spec.mixins().containsKey("input") || spec.mixins().containsKey("dataOptions"),
          name + " takes --data from its own copy instead of DataOptions: " + spec.mixins().keySet());
    }
    var study = root.getSubcommands().get("study").getSubcommands().get("pretraining").getCommandSpec();
    assertTrue(study.mixins().containsKey("input"), study.mixins().keySet().toString());
    for (String name : List.of("train", "eval", "prune", "sweep", "demo")) {
      var spec = root.getSubcommands().get(name).getCommandSpec();
      assertTrue(spec.mixins().containsKey("seedOption"), name + ": " + spec.mixins().keySet());
    }
  }
}
