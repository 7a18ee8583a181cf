package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.DataFormatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** How failures become a status and a line: input errors 2, bugs 1, traces only when asked for. */
class FailuresTest {

  private static String[] report(Throwable t, boolean verbose, int[] status) {
    StringWriter w = new StringWriter();
    status[0] = Failures.report(t, new PrintWriter(w), verbose);
    return w.toString().split("\\R");
  }

  @Test
  void inputErrorsAreOneLineWithStatusTwo() {
    int[] status = new int[1];
    String[] l = report(new DataFormatException("d.csv", 4, 2, "b", "expected a number, found 'x'"), false, status);
    assertEquals(2, status[0]);
    assertEquals(1, l.length);
    assertEquals("topiary: d.csv, line 4, column 2 (b): expected a number, found 'x'", l[0]);

    l = report(new UncheckedIOException(new NoSuchFileException("/data/x.csv")), false, status);
    assertEquals(2, status[0]);
    assertEquals("topiary: no such file or directory: /data/x.csv", l[0]);

    l = report(new InputException("two\nlines"), false, status);
    assertEquals("topiary: two lines", l[0]);
  }

  @Test
  void bugsAreStatusOneAndShowTheirTraceOnlyWhenVerbose() {
    int[] status = new int[1];
    String[] quiet = report(new NullPointerException("boom"), false, status);
    assertEquals(1, status[0]);
    assertEquals(1, quiet.length);
    assertTrue(quiet[0].startsWith("topiary: internal error: java.lang.NullPointerException: boom")
        && quiet[0].contains("--verbose"), quiet[0]);
    String[] verbose = report(new NullPointerException("boom"), true, status);
    assertEquals(1, status[0]);
    assertTrue(verbose.length > 1 && verbose[1].contains("NullPointerException"), String.join("\n", verbose));
  }
}
