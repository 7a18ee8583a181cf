package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in-process with captured output, for tests. */
final class Cli {

  /** What one run printed and returned. */
  record Result(int code, String out, String err) {

    /** Standard output parsed as one JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      assertEquals(0, code, () -> "exit status; stderr: " + err);
      Object v = Json.parse(out);
      assertInstanceOf(Map.class, v, out);
      return (Map<String, Object>) v;
    }

    /** Asserts a failure with one line on stderr, starting "topiary: ", and returns that line. */
    String errorLine(int expectedCode) {
      assertEquals(expectedCode, code, () -> "exit status; stdout: " + out + "; stderr: " + err);
      String e = err.strip();
      assertTrue(e.startsWith("topiary: "), e);
      assertEquals(1, e.lines().count(), () -> "one line expected: " + e);
      return e;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A number from a JSON map by path, e.g. {@code num(m, "test", "accuracy")}. */
  static double num(Map<String, Object> m, String... path) {
    Object v = get(m, path);
    assertInstanceOf(Number.class, v, () -> String.join(".", path) + " in " + m);
    return ((Number) v).doubleValue();
  }

  /** A JSON object held in a metadata string. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> pruningSummary(String jsonText) {
    Object v = Json.parse(jsonText);
    assertInstanceOf(Map.class, v, jsonText);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static Object get(Map<String, Object> m, String... path) {
    Object v = m;
    for (String p : path) {
      assertInstanceOf(Map.class, v, () -> "at " + p + " in " + m);
      v = ((Map<String, Object>) v).get(p);
    }
    return v;
  }
}
