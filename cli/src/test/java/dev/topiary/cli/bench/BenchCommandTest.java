package dev.topiary.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.cli.Main;
import dev.topiary.core.json.Json;
import dev.topiary.kernels.Kernels;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The bench commands' output structure and exit codes, on tiny sizes. Never asserts a timing. */
class BenchCommandTest {

  /** Keeps every run short: the figures are not the point here. */
  private static final String[] FAST = {"--iterations", "3", "--warmup-ms", "1", "--min-run-ms", "1"};

  private record Result(int exitCode, String out, String err) {}

  private int threadsBefore;

  @BeforeEach
  void rememberThreads() {
    threadsBefore = Kernels.threads();
  }

  @AfterEach
  void restoreThreads() {
    Kernels.setThreads(threadsBefore);
  }

  private static Result run(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Main.run(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), args);
    return new Result(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String[] fast(String... args) {
    String[] all = new String[args.length + FAST.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(FAST, 0, all, args.length, FAST.length);
    return all;
  }

  private static double number(Map<String, Object> json, String field) {
    Object v = json.get(field);
    assertTrue(v instanceof Number, field + " should be a number in " + json);
    return ((Number) v).doubleValue();
  }

  /** Standard output as one JSON object, and nothing else. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String out) {
    Object v = Json.parse(out);
    assertTrue(v instanceof Map, "expected one JSON object, got:\n" + out);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> json, String field) {
    Object v = json.get(field);
    assertTrue(v instanceof Map, field + " should be an object in " + json);
    return (Map<String, Object>) v;
  }

  private static void assertEnvironment(Map<String, Object> json) {
    assertEquals(Kernels.implementation(), json.get("implementation"));
    assertEquals(Kernels.vectorBitSize(), number(json, "vectorBitSize"));
    Map<String, Object> jdk = object(json, "jdk");
    assertEquals(System.getProperty("java.version"), jdk.get("version"));
    assertEquals(System.getProperty("java.vendor"), jdk.get("vendor"));
    assertEquals(System.getProperty("java.vm.name"), jdk.get("vm"));
  }

  /** Structure of the timing fields, and the invariants that hold whatever the machine's speed. */
  private static void assertTiming(Map<String, Object> json) {
    assertEquals(3.0, number(json, "runs"));
    assertTrue(number(json, "repsPerRun") >= 1);
    assertTrue(number(json, "warmupSeconds") >= 0);
    double best = number(json, "bestSeconds");
    assertTrue(best > 0 && Double.isFinite(best), "bestSeconds " + best);
    assertTrue(number(json, "medianSeconds") >= best, "median below best in " + json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nt", "NN", "tn"})
  void gemmPrintsOneJsonObjectWithShapeEnvironmentAndGflops(String layout) {
    Result r = run(fast("bench", "gemm", "--m", "3", "--n", "5", "--k", "7", "--layout", layout,
        "--threads", "1", "--json"));
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Object> json = object(r.out());
    assertEquals("gemm", json.get("benchmark"));
    assertEquals(layout.toLowerCase(), json.get("layout"));
    assertEquals(3.0, number(json, "m"));
    assertEquals(5.0, number(json, "n"));
    assertEquals(7.0, number(json, "k"));
    assertEquals(1.0, number(json, "threads"));
    assertEnvironment(json);
    assertTiming(json);
    assertTrue(number(json, "gflops") > 0);
    assertTrue(number(json, "gflops") >= number(json, "gflopsMedian"));
  }

  @Test
  void gemmTextNamesKernelsJdkShapeAndGflops() {
    Result r = run(fast("bench", "gemm", "--m", "2", "--n", "3", "--k", "4"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("gemm nt  m=2 n=3 k=4"), r.out());
    assertTrue(r.out().contains("kernels      " + Kernels.implementation()), r.out());
    assertTrue(r.out().contains("jdk          " + System.getProperty("java.version")), r.out());
    assertTrue(r.out().contains("GFLOPS"), r.out());
  }

  @Test
  void statsPrintsBothPassesAndTheirRatio() {
    Result r = run(fast("bench", "stats", "--rows", "5", "--cols", "3", "--json"));
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Object> json = object(r.out());
    assertEquals("stats", json.get("benchmark"));
    assertEquals(5.0, number(json, "rows"));
    assertEquals(3.0, number(json, "cols"));
    assertEquals(4.0 * 5 * 3, number(json, "bytes"));
    assertEquals(1.0, number(json, "threads"));
    assertEnvironment(json);
    for (String pass : new String[] {"columnMoments", "sumColumns"}) {
      Map<String, Object> p = object(json, pass);
      assertTiming(p);
      assertTrue(number(p, "gbPerSecond") > 0);
    }
    double ratio = number(json, "ratio");
    assertEquals(number(object(json, "columnMoments"), "gbPerSecond")
        / number(object(json, "sumColumns"), "gbPerSecond"), ratio, 1e-9 * ratio);
  }

  @Test
  void statsTextNamesBothPasses() {
    Result r = run(fast("bench", "stats", "--rows", "4", "--cols", "2"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("ColumnMoments.accumulate"), r.out());
    assertTrue(r.out().contains("Kernels.sumColumns"), r.out());
    assertTrue(r.out().contains("GB/s"), r.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bench gemm --m 0            | --m",
      "bench gemm --n -4           | --n",
      "bench gemm --k 0 --json     | --k",
      "bench gemm --threads 0      | --threads",
      "bench gemm --iterations 0   | --iterations",
      "bench gemm --layout xt      | --layout",
      "bench gemm --m twelve       | --m",
      "bench gemm --m 70000 --k 70000 | floats",
      "bench stats --rows 0        | --rows",
      "bench stats --cols -1 --json | --cols",
      "bench gemm --nonsense       | --nonsense",
      "bench                       | subcommand",
  })
  void badInputGivesOneLineOnStderrAndExitCode2(String args, String mentioned) {
    Result r = run(args.trim().split("\\s+"));
    assertEquals(2, r.exitCode());
    assertEquals("", r.out());
    String err = r.err().strip();
    assertTrue(!err.isEmpty() && !err.contains("\n"), "expected one line, got:\n" + r.err());
    assertTrue(err.contains(mentioned), err);
    assertTrue(!err.contains("Exception") && !err.contains("\tat "), err);
  }

  @Test
  void helpShowsTheDefaults() {
    Result r = run("bench", "gemm", "--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("default: 256"), r.out());
    assertTrue(r.out().contains("default: 1024"), r.out());
  }
}
