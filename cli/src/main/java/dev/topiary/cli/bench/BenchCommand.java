package dev.topiary.cli.bench;

import dev.topiary.cli.Format;
import dev.topiary.cli.InferBench;
import dev.topiary.core.json.Json;
import dev.topiary.kernels.ColumnMoments;
import dev.topiary.kernels.Kernels;
import dev.topiary.methods.measure.Timer;
import dev.topiary.methods.measure.Timing;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench}: quick, careful measurements of the kernels on this machine, for a user who
 * wants a figure without setting up JMH (the JMH benchmarks and the peers are in the {@code bench}
 * module). Every figure comes with what produced it: the kernel implementation, the vector width, the
 * JDK and the thread count.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the kernels on this machine.",
    subcommands = {BenchCommand.GemmBench.class, BenchCommand.StatsBench.class, InferBench.class})
public final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "bench needs a subcommand: gemm, stats or infer");
  }

  /** Options every bench subcommand shares: how to time, and how to print. */
  static final class TimingOptions {
    @Option(names = "--iterations", paramLabel = "I", defaultValue = "10",
        description = "Timed runs; the best and the median are reported (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "500",
        description = "Minimum warm-up before timing, in ms; it goes on until the JIT has settled "
            + "(default: ${DEFAULT-VALUE}).")
    int warmupMs;

    @Option(names = "--min-run-ms", paramLabel = "MS", defaultValue = "50",
        description = "Minimum length of one timed run, in ms (default: ${DEFAULT-VALUE}).")
    int minRunMs;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    void check(CommandLine cl) {
      positive(cl, "--iterations", iterations);
      nonNegative(cl, "--warmup-ms", warmupMs);
      nonNegative(cl, "--min-run-ms", minRunMs);
    }

    /** Times the operations side by side: {@link Timer} with exactly {@code --iterations} rounds. */
    List<Timing> time(List<Runnable> ops) {
      return Timer.time(ops, Duration.ofMillis(warmupMs), Duration.ofMillis(minRunMs), iterations, Duration.ZERO);
    }
  }

  /** The GEMM layouts a dense layer needs; see {@link Kernels#gemmNT}, {@code gemmNN}, {@code gemmTN}. */
  enum Layout {
    NT("C[m×n] = A[m×k]·B[n×k]ᵀ (forward, Y = X·Wᵀ)"),
    NN("C[m×n] = A[m×k]·B[k×n] (input gradient, dX = dY·W)"),
    TN("C[m×n] = A[k×m]ᵀ·B[k×n] (weight gradient, dW = dYᵀ·X)");

    final String formula;

    Layout(String formula) {
      this.formula = formula;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Accepts nt, nn, tn in any case. */
  static final class LayoutConverter implements CommandLine.ITypeConverter<Layout> {
    @Override
    public Layout convert(String value) {
      try {
        return Layout.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected nt, nn or tn, found '" + value + "'");
      }
    }
  }

  @Command(
      name = "gemm",
      mixinStandardHelpOptions = true,
      description = "GFLOPS of one single-precision matrix product, C = op(A)·op(B), 2·m·n·k flops.")
  static final class GemmBench implements Runnable {

    @Spec CommandSpec spec;

    @Option(names = "--m", paramLabel = "M", defaultValue = "256",
        description = "Rows of C: the batch (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1024",
        description = "Columns of C: the layer's outputs (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--k", paramLabel = "K", defaultValue = "1024",
        description = "The summed dimension: the layer's inputs (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--layout", paramLabel = "nt|nn|tn", defaultValue = "nt",
        converter = LayoutConverter.class,
        description = "nt: A·Bᵀ (forward), nn: A·B (input gradient), tn: Aᵀ·B (weight gradient); "
            + "default: ${DEFAULT-VALUE}.")
    Layout layout;

    @Option(names = "--threads", paramLabel = "T",
        description = "Threads the GEMM may use (default: the library's, -Dtopiary.threads or the "
            + "processor count).")
    Integer threads;

    @Mixin TimingOptions timing;

    @Override
    public void run() {
      CommandLine cl = spec.commandLine();
      positive(cl, "--m", m);
      positive(cl, "--n", n);
      positive(cl, "--k", k);
      if (threads != null) {
        positive(cl, "--threads", threads);
      }
      timing.check(cl);
      long aLen = (long) m * k;
      long bLen = (long) n * k;
      long cLen = (long) m * n;
      checkArray(cl, "A", layout == Layout.TN ? "k×m" : "m×k", aLen);
      checkArray(cl, "B", layout == Layout.NT ? "n×k" : "k×n", bLen);
      checkArray(cl, "C", "m×n", cLen);
      checkHeap(cl, 4 * (aLen + bLen + cLen));

      if (threads != null) {
        Kernels.setThreads(threads);
      }
      SplittableRandom rnd = new SplittableRandom(42);
      float[] a = random(rnd, (int) aLen, 0f, 1f);
      float[] b = random(rnd, (int) bLen, 0f, 1f);
      float[] c = new float[(int) cLen];
      Runnable op;
      switch (layout) {
        case NT:
          op = () -> Kernels.gemmNT(m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
          break;
        case NN:
          op = () -> Kernels.gemmNN(m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
          break;
        case TN:
          op = () -> Kernels.gemmTN(m, n, k, a, 0, m, b, 0, n, c, 0, n, false);
          break;
        default:
          throw new AssertionError(layout);
      }
      Timing t = timing.time(List.of(op)).get(0);
      double flops = 2.0 * m * n * k;
      double best = flops / bestSeconds(t) / 1e9;
      double median = flops / medianSeconds(t) / 1e9;

      PrintWriter out = cl.getOut();
      if (timing.json) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "gemm");
        figures.put("layout", layout.label());
        figures.put("m", m);
        figures.put("n", n);
        figures.put("k", k);
        figures.put("threads", Kernels.threads());
        environment(figures);
        timingFields(figures, t);
        figures.put("gflops", Format.finite(best));
        figures.put("gflopsMedian", Format.finite(median));
        out.println(Json.writePretty(figures));
      } else {
        out.printf(Locale.ROOT, "gemm %s  m=%d n=%d k=%d   %s%n", layout.label(), m, n, k, layout.formula);
        environmentText(out, Kernels.threads());
        timingText(out, t);
        out.printf(Locale.ROOT, "%-12s best %.2f, median %.2f%n", "GFLOPS", best, median);
      }
      out.flush();
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "GB/s of the per-column mean and variance of a [rows×cols] block "
          + "(ColumnMoments), beside a plain column sum over the same block.")
  static final class StatsBench implements Runnable {

    @Spec CommandSpec spec;

    @Option(names = "--rows", paramLabel = "R", defaultValue = "4096",
        description = "Rows of the block: examples (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", paramLabel = "C", defaultValue = "1024",
        description = "Columns of the block: units (default: ${DEFAULT-VALUE}).")
    int cols;

    @Mixin TimingOptions timing;

    @Override
    public void run() {
      CommandLine cl = spec.commandLine();
      positive(cl, "--rows", rows);
      positive(cl, "--cols", cols);
      timing.check(cl);
      long len = (long) rows * cols;
      checkArray(cl, "the block", "rows×cols", len);
      checkHeap(cl, 4 * len);

      // A large mean and a small spread: the case the shifted sums of ColumnMoments exist for.
      float[] data = random(new SplittableRandom(42), (int) len, 1000f, 0.01f);
      ColumnMoments moments = new ColumnMoments(cols);
      float[] sums = new float[cols];
      // Timed side by side, so the ratio of the two passes sees the same machine.
      List<Timing> both = timing.time(List.of(() -> {
        moments.reset();
        moments.accumulate(data, 0, rows, cols);
      }, () -> Kernels.sumColumns(rows, cols, data, 0, cols, sums, 0, false)));
      Timing tm = both.get(0);
      Timing ts = both.get(1);
      double bytes = 4.0 * len;
      double momentsGbs = bytes / bestSeconds(tm) / 1e9;
      double sumGbs = bytes / bestSeconds(ts) / 1e9;

      PrintWriter out = cl.getOut();
      if (timing.json) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("benchmark", "stats");
        figures.put("rows", rows);
        figures.put("cols", cols);
        figures.put("bytes", 4 * len);
        figures.put("threads", 1);
        environment(figures);
        figures.put("columnMoments", pass(tm, momentsGbs, bytes / medianSeconds(tm) / 1e9));
        figures.put("sumColumns", pass(ts, sumGbs, bytes / medianSeconds(ts) / 1e9));
        figures.put("ratio", Format.finite(momentsGbs / sumGbs));
        out.println(Json.writePretty(figures));
      } else {
        out.printf(Locale.ROOT, "stats  rows=%d cols=%d   %.1f MB read per pass%n", rows, cols, bytes / 1e6);
        environmentText(out, 1);
        out.println("ColumnMoments.accumulate (mean and variance):");
        timingText(out, tm);
        out.printf(Locale.ROOT, "%-12s best %.2f, median %.2f%n", "GB/s", momentsGbs,
            bytes / medianSeconds(tm) / 1e9);
        out.println("Kernels.sumColumns (plain column sum, same block):");
        timingText(out, ts);
        out.printf(Locale.ROOT, "%-12s best %.2f, median %.2f%n", "GB/s", sumGbs,
            bytes / medianSeconds(ts) / 1e9);
        out.printf(Locale.ROOT, "%-12s %.2f of the plain pass's speed%n", "moments", momentsGbs / sumGbs);
      }
      out.flush();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Shared by the subcommands.

  private static void positive(CommandLine cl, String option, int value) {
    if (value < 1) {
      throw new ParameterException(cl, option + " must be a positive integer, found " + value);
    }
  }

  private static void nonNegative(CommandLine cl, String option, int value) {
    if (value < 0) {
      throw new ParameterException(cl, option + " must be >= 0, found " + value);
    }
  }

  /** Java arrays hold at most about 2³¹ elements. */
  private static void checkArray(CommandLine cl, String name, String dims, long length) {
    if (length > Integer.MAX_VALUE - 8) {
      throw new ParameterException(cl, name + " would hold " + dims + " = " + length
          + " floats, more than a Java array can (" + (Integer.MAX_VALUE - 8) + ")");
    }
  }

  /** Refuses, with a way out, what the heap cannot hold, rather than dying of OutOfMemoryError. */
  private static void checkHeap(CommandLine cl, long bytes) {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes > free * 0.9) {
      throw new ParameterException(cl, String.format(Locale.ROOT,
          "the operands need %.0f MB but the heap has about %.0f MB free; choose smaller sizes or "
              + "raise the heap (TOPIARY_JAVA_OPTS=-Xmx8g)", bytes / 1e6, free / 1e6));
    }
  }

  private static float[] random(SplittableRandom rnd, int n, float mean, float halfWidth) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = mean + halfWidth * (float) (rnd.nextDouble() * 2.0 - 1.0);
    }
    return x;
  }

  private static void environment(Map<String, Object> m) {
    m.put("implementation", Kernels.implementation());
    m.put("vectorBitSize", Kernels.vectorBitSize());
    m.put("gemmPlan", Kernels.gemmPlan());
    Map<String, Object> jdk = new LinkedHashMap<>();
    jdk.put("version", System.getProperty("java.version"));
    jdk.put("vendor", System.getProperty("java.vendor"));
    jdk.put("vm", System.getProperty("java.vm.name"));
    m.put("jdk", jdk);
  }

  private static void environmentText(PrintWriter out, int threads) {
    int bits = Kernels.vectorBitSize();
    out.printf(Locale.ROOT, "%-12s %s%s%n", "kernels", Kernels.implementation(),
        bits > 0 ? " (" + bits + "-bit vectors)" : "");
    if (!Kernels.gemmPlan().isEmpty()) {
      out.printf(Locale.ROOT, "%-12s %s%n", "gemm plan", Kernels.gemmPlan());
    }
    out.printf(Locale.ROOT, "%-12s %d%n", "threads", threads);
    out.printf(Locale.ROOT, "%-12s %s (%s, %s)%n", "jdk", System.getProperty("java.version"),
        System.getProperty("java.vendor"), System.getProperty("java.vm.name"));
  }

  private static void timingFields(Map<String, Object> m, Timing t) {
    m.put("runs", t.samples());
    m.put("repsPerRun", t.callsPerSample());
    m.put("warmupSeconds", t.warmupNanos() / 1e9);
    m.put("bestSeconds", bestSeconds(t));
    m.put("medianSeconds", medianSeconds(t));
  }

  /** One timed pass of the stats benchmark: its timing and its throughput, best and median. */
  private static Map<String, Object> pass(Timing t, double gbPerSecond, double gbPerSecondMedian) {
    Map<String, Object> m = new LinkedHashMap<>();
    timingFields(m, t);
    m.put("gbPerSecond", Format.finite(gbPerSecond));
    m.put("gbPerSecondMedian", Format.finite(gbPerSecondMedian));
    return m;
  }

  private static void timingText(PrintWriter out, Timing t) {
    out.printf(Locale.ROOT, "%-12s %d × %d calls, after %.2f s of warm-up%n", "runs", t.samples(),
        t.callsPerSample(), t.warmupNanos() / 1e9);
    out.printf(Locale.ROOT, "%-12s best %s, median %s per call%n", "time", duration(bestSeconds(t)),
        duration(medianSeconds(t)));
  }

  private static double bestSeconds(Timing t) {
    return t.minNanos() / 1e9;
  }

  private static double medianSeconds(Timing t) {
    return t.medianNanos() / 1e9;
  }

  private static String duration(double seconds) {
    if (seconds >= 1) {
      return String.format(Locale.ROOT, "%.3f s", seconds);
    } else if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, "%.3f ms", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.3f µs", seconds * 1e6);
  }
}
