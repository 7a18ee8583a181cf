package dev.topiary.bench;

import dev.topiary.kernels.Kernels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Topiary's GEMM timed in short bursts on command, for {@code bench/interleaved_gemm.py}, which alternates
 * these bursts with OpenBLAS's on the same core. A shared host changes speed for seconds at a time; a
 * ratio taken between bursts a tenth of a second apart sees the same host on both sides, where a ratio
 * between two separate processes (JMH, then numpy) does not.
 *
 * <p>Arguments: {@code --shapes MxNxK,... --layout NT|NN|TN --threads N --warmup-ms MS}. The operands and
 * the check are {@link GemmProblem}'s, as in {@link GemmBenchmark}. After checking each product and
 * running each shape for the warm-up time, it prints {@code READY <kernels>, JDK <version>}, then reads
 * commands from standard input, one per line:
 *
 * <ul>
 *   <li>{@code burst I MS}: runs shape I (0-based) for at least MS milliseconds and at least 3 calls,
 *       timing each call, and prints {@code <median ns per call> <calls>};
 *   <li>{@code quit}: exits.
 * </ul>
 */
public final class GemmBursts {

  private GemmBursts() {}

  /** Calls timed in one burst at most; later calls run but are not recorded. */
  private static final int MAX_CALLS = 1 << 16;

  /**
   * Runs the protocol described above on standard input and output.
   *
   * @param args {@code --shapes}, {@code --layout}, {@code --threads}, {@code --warmup-ms}
   * @throws IOException if standard input fails
   */
  public static void main(String[] args) throws IOException {
    String shapes = "128x512x512";
    String layout = "NT";
    int threads = 1;
    long warmupMs = 3000;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--shapes" -> shapes = require(args[i], value);
        case "--layout" -> layout = require(args[i], value);
        case "--threads" -> threads = Integer.parseInt(require(args[i], value));
        case "--warmup-ms" -> warmupMs = Long.parseLong(require(args[i], value));
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "' (expected --shapes, --layout, --threads, --warmup-ms)");
      }
      i++;
    }
    Kernels.setThreads(threads);
    String[] names = shapes.split(",");
    GemmProblem[] problems = new GemmProblem[names.length];
    for (int s = 0; s < names.length; s++) {
      problems[s] = new GemmProblem(names[s].trim(), layout);
      run(problems[s]);
      problems[s].verify("Topiary " + Kernels.implementation());
    }
    long[] times = new long[MAX_CALLS];
    for (GemmProblem p : problems) {
      burst(p, warmupMs, times);
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("READY " + Kernels.implementation() + ", " + Kernels.vectorBitSize() + "-bit vectors, "
        + Kernels.threads() + " thread(s), JDK " + System.getProperty("java.version"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] cmd = line.trim().split("\\s+");
      if (cmd[0].equals("quit")) {
        return;
      }
      if (!cmd[0].equals("burst") || cmd.length != 3) {
        throw new IllegalArgumentException("expected 'burst I MS' or 'quit', found '" + line + "'");
      }
      GemmProblem p = problems[Integer.parseInt(cmd[1])];
      int calls = burst(p, Long.parseLong(cmd[2]), times);
      int recorded = Math.min(calls, MAX_CALLS);
      Arrays.sort(times, 0, recorded);
      out.println(times[recorded / 2] + " " + calls);
    }
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static void run(GemmProblem p) {
    p.layout.topiary(p.shape, p.a, p.b, p.c);
  }

  /** Runs p for at least millis ms and 3 calls; records each call's nanoseconds; returns the calls. */
  private static int burst(GemmProblem p, long millis, long[] times) {
    long end = System.nanoTime() + millis * 1_000_000L;
    int calls = 0;
    long now;
    do {
      long t0 = System.nanoTime();
      run(p);
      now = System.nanoTime();
      if (calls < times.length) {
        times[calls] = now - t0;
      }
      calls++;
    } while (now < end || calls < 3);
    return calls;
  }
}
