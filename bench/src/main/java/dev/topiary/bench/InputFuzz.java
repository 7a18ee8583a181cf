package dev.topiary.bench;

import dev.topiary.core.data.CsvLoader;
import dev.topiary.core.data.DataFormatException;
import dev.topiary.core.data.IdxLoader;
import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.io.ModelFormatException;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Random mutations of valid model files, CSV files and IDX files, fed to the readers: each must either
 * read or throw its documented exception ({@link ModelFormatException} for models,
 * {@link DataFormatException} for data), within a time limit, allocating no more than a fixed multiple of
 * the input's size (a reader that believed a corrupt length field would allocate far more).
 *
 * <p>Run {@code bench/run-input-fuzz.sh} for the large campaign; the test suite runs a small one through
 * {@link #run}. Every case is reproducible from the seed and its index.
 */
public final class InputFuzz {

  /** What is fed to the readers. */
  public enum Kind {
    /** safetensors model files, read by {@link ModelFiles#read}. */
    MODEL,
    /** CSV text, read by {@link CsvLoader#read}. */
    CSV,
    /** IDX image and label files, read by {@link IdxLoader#load(Path, Path, String)}. */
    IDX
  }

  /** Allocation allowed per input byte, beyond {@link #ALLOCATION_SLACK}. */
  public static final long ALLOCATION_PER_BYTE = 64;
  /** Allocation allowed whatever the input's size. */
  public static final long ALLOCATION_SLACK = 4L << 20;

  /**
   * The outcome of a campaign.
   *
   * @param tried mutations fed to the readers
   * @param outcomes count per outcome: {@code read}, or the simple name of the exception thrown
   * @param violations descriptions of the cases that broke the contract (undocumented exception, timeout,
   *     allocation beyond the bound), at most 20
   * @param maxAllocationRatio the largest allocation per input byte seen (for inputs of 1 KiB or more)
   */
  public record Report(long tried, Map<String, Long> outcomes, List<String> violations, double maxAllocationRatio) {}

  private InputFuzz() {}

  /** Runs {@code count} mutations of {@code kind}'s valid inputs from {@code seed}, files under {@code dir}. */
  public static Report run(Kind kind, int count, long seed, Path dir, long timeoutMillis) throws Exception {
    return run(kind, count, seed, dir, timeoutMillis, false);
  }

  private static Report run(Kind kind, int count, long seed, Path dir, long timeoutMillis, boolean progress)
      throws Exception {
    List<byte[][]> valid = valid(kind, dir);
    Random random = new Random(seed);
    Map<String, Long> outcomes = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    double maxRatio = 0;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-worker");
      t.setDaemon(true);
      return t;
    });
    Path a = dir.resolve("fuzz-a");
    Path b = dir.resolve("fuzz-b");
    try {
      for (int i = 0; i < count; i++) {
        if (progress && i > 0 && i % 10_000 == 0) {
          System.err.printf(Locale.ROOT, "%s: %d of %d%n", kind, i, count);
        }
        byte[][] base = valid.get(random.nextInt(valid.size()));
        int which = kind == Kind.IDX ? random.nextInt(2) : 0;
        byte[][] input = new byte[base.length][];
        for (int p = 0; p < base.length; p++) {
          input[p] = p == which ? mutate(base[p], random, kind) : base[p];
        }
        long size = 0;
        for (byte[] p : input) {
          size += p.length;
        }
        final long inputSize = size;
        Future<long[]> f = worker.submit(() -> {
          long tid = Thread.currentThread().getId();
          if (kind != Kind.CSV) {
            Files.write(a, input[0]);
            if (input.length > 1) {
              Files.write(b, input[1]);
            }
          }
          long before = threads.getThreadAllocatedBytes(tid);
          String outcome = readOnce(kind, input, a, b);
          long allocated = threads.getThreadAllocatedBytes(tid) - before;
          return new long[] {allocated, outcomeIndex(outcome)};
        });
        long[] result;
        try {
          result = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          violations.add(kind + " case " + i + " (seed " + seed + "): no answer within " + timeoutMillis + " ms");
          f.cancel(true);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable c = e.getCause();
          String name = c.getClass().getSimpleName();
          outcomes.merge("undocumented " + name, 1L, Long::sum);
          if (violations.size() < 20) {
            violations.add(kind + " case " + i + " (seed " + seed + "): " + c);
          }
          continue;
        }
        String outcome = OUTCOMES.get((int) result[1]);
        outcomes.merge(outcome, 1L, Long::sum);
        long allowed = ALLOCATION_PER_BYTE * inputSize + ALLOCATION_SLACK;
        if (result[0] > allowed && violations.size() < 20) {
          violations.add(kind + " case " + i + " (seed " + seed + "): allocated " + result[0] + " bytes for a "
              + inputSize + "-byte input (" + outcome + ")");
        }
        if (inputSize >= 1024) {
          maxRatio = Math.max(maxRatio, (double) result[0] / inputSize);
        }
      }
    } finally {
      worker.shutdownNow();
    }
    long tried = outcomes.values().stream().mapToLong(Long::longValue).sum();
    return new Report(tried, outcomes, violations, maxRatio);
  }

  private static final List<String> OUTCOMES = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static synchronized long outcomeIndex(String outcome) {
    int i = OUTCOMES.indexOf(outcome);
    if (i < 0) {
      OUTCOMES.add(outcome);
      i = OUTCOMES.size() - 1;
    }
    return i;
  }

  /** Reads one input; returns "read" or the documented exception's name, and lets anything else escape. */
  private static String readOnce(Kind kind, byte[][] input, Path a, Path b) throws IOException {
    try {
      switch (kind) {
        case MODEL -> ModelFiles.read(a);
        case CSV -> CsvLoader.read(new ByteArrayInputStream(input[0]), "fuzz.csv", LoadOptions.DEFAULTS);
        case IDX -> IdxLoader.load(a, b, "fuzz");
      }
      return "read";
    } catch (ModelFormatException e) {
      if (kind != Kind.MODEL) {
        throw e;
      }
      return "ModelFormatException";
    } catch (DataFormatException e) {
      if (kind == Kind.MODEL) {
        throw e;
      }
      return "DataFormatException";
    }
  }

  // ----- valid inputs

  private static List<byte[][]> valid(Kind kind, Path dir) throws IOException {
    List<byte[][]> v = new ArrayList<>();
    switch (kind) {
      case MODEL -> {
        Random r = new Random(1);
        int k = 0;
        for (Task task : List.of(Task.classification(List.of("a", "b", "c")), Task.regression(2))) {
          for (int[] hidden : new int[][] {{5}, {6, 4}}) {
            Network n = Network.mlp(4, hidden, Activation.RELU, task, k);
            float[] x = new float[40];
            for (int i = 0; i < x.length; i++) {
              x[i] = r.nextFloat() * 10 - 5;
            }
            Standardization s = Standardization.fit(x, 10, 4);
            n = n.withScaling(s, null);
            Path p = dir.resolve("valid-" + k++ + ".safetensors");
            ModelFiles.save(n, p, Map.of("topiary.data", "builtin:iris", Imputation.METADATA_KEY,
                "{\"kinds\":[\"mean\",\"mode\",\"mean\",\"mean\"],\"fill\":[0.5,1.0,2.5,-1.0]}"));
            v.add(new byte[][] {Files.readAllBytes(p)});
          }
        }
      }
      case CSV -> {
        v.add(new byte[][] {"a,b,y\n1,2,p\n3,4.5,q\n-1e3,.5,p\n7,8,q\n".getBytes(StandardCharsets.UTF_8)});
        v.add(new byte[][] {"\"x, 1\",y\n\"1\",0\n2,1\n\"3\",0\n4,1\n5,0\n".getBytes(StandardCharsets.UTF_8)});
        v.add(new byte[][] {"f1,f2,f3,t\r\n0.1,0.2,0.3,1.5\r\n0.4,0.5,0.6,2.5\r\n0.7,0.8,0.9,3.25\r\n"
            .getBytes(StandardCharsets.UTF_8)});
        v.add(new byte[][] {"\uFEFFspecies,w,h\nsetosa,1,2\nvirginica,3,4\nsetosa,5,6\ncaf\u00e9,7,8\n"
            .getBytes(StandardCharsets.UTF_8)});
      }
      case IDX -> {
        Random r = new Random(2);
        for (int n : new int[] {6, 9}) {
          byte[] px = new byte[n * 3 * 2];
          r.nextBytes(px);
          byte[] labels = new byte[n];
          for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 3);
          }
          v.add(new byte[][] {idx(0x00000803, new int[] {n, 3, 2}, px), idx(0x00000801, new int[] {n}, labels)});
        }
      }
    }
    return v;
  }

  private static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  // ----- mutations

  private static final long[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF_FFFFL, 0x8000_0000L,
      0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 40, 16L << 20};
  private static final String[] TOKENS = {"?", "NaN", "inf", "1e39", "-3e38", "\"", "\"\"", ",", "\n", "\r",
      "\u0000", "\u00ff", "999999999999", "-", "{", "}", "[", "]", ":", "\"F32\"", "\"F64\"", "null", "-1",
      "18446744073709551615", "2147483648", "1e308"};

  /** One to four random edits of {@code in}: flips, interesting values, insertions, deletions, splices. */
  static byte[] mutate(byte[] in, Random r, Kind kind) {
    byte[] b = in.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      if (b.length == 0) {
        b = new byte[] {(byte) r.nextInt(256)};
        continue;
      }
      // Bias toward the first bytes, where lengths and headers are.
      int pos = r.nextInt(4) == 0 ? r.nextInt(Math.min(b.length, 16)) : r.nextInt(b.length);
      switch (r.nextInt(8)) {
        case 0 -> b[pos] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[pos] = (byte) r.nextInt(256);
        case 2 -> {
          long v = INTERESTING[r.nextInt(INTERESTING.length)];
          int width = 1 << r.nextInt(4);
          boolean little = kind == Kind.MODEL ? r.nextInt(4) != 0 : r.nextInt(4) == 0;
          for (int k = 0; k < width && pos + k < b.length; k++) {
            int shift = 8 * (little ? k : width - 1 - k);
            b[pos + k] = (byte) (v >>> shift);
          }
        }
        case 3 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length)); // truncate
        case 4 -> { // delete a span
          int len = 1 + r.nextInt(Math.min(16, b.length - pos));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, pos);
          System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
          b = c;
        }
        case 5 -> b = insert(b, pos, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        case 6 -> { // duplicate a span
          int len = 1 + r.nextInt(Math.min(64, b.length - pos));
          byte[] span = java.util.Arrays.copyOfRange(b, pos, pos + len);
          b = insert(b, r.nextInt(b.length), span);
        }
        default -> { // replace a run of ASCII digits (a JSON number, a CSV cell) with another number
          int s = pos;
          while (s < b.length && !(b[s] >= '0' && b[s] <= '9')) {
            s++;
          }
          int t = s;
          while (t < b.length && b[t] >= '0' && b[t] <= '9') {
            t++;
          }
          if (s < b.length) {
            String n = r.nextBoolean() ? Long.toString(INTERESTING[r.nextInt(INTERESTING.length)])
                : Long.toString(r.nextInt(1 << 20));
            byte[] c = new byte[b.length - (t - s)];
            System.arraycopy(b, 0, c, 0, s);
            System.arraycopy(b, t, c, s, b.length - t);
            b = insert(c, s, n.getBytes(StandardCharsets.US_ASCII));
          }
        }
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int pos, byte[] what) {
    byte[] c = new byte[b.length + what.length];
    System.arraycopy(b, 0, c, 0, pos);
    System.arraycopy(what, 0, c, pos, what.length);
    System.arraycopy(b, pos, c, pos + what.length, b.length - pos);
    return c;
  }

  /**
   * Runs a campaign and prints its figures. Arguments: {@code --models N --csv N --idx N --seed S
   * --timeout-ms T}. Exits 1 when any case broke the contract.
   */
  public static void main(String[] args) throws Exception {
    Map<Kind, Integer> counts = new java.util.EnumMap<>(Kind.class);
    counts.put(Kind.MODEL, 100_000);
    counts.put(Kind.CSV, 50_000);
    counts.put(Kind.IDX, 20_000);
    long seed = 1;
    long timeout = 10_000;
    Path base = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--models" -> counts.put(Kind.MODEL, Integer.parseInt(args[i + 1]));
        case "--csv" -> counts.put(Kind.CSV, Integer.parseInt(args[i + 1]));
        case "--idx" -> counts.put(Kind.IDX, Integer.parseInt(args[i + 1]));
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--timeout-ms" -> timeout = Long.parseLong(args[i + 1]);
        case "--dir" -> base = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = base == null ? Files.createTempDirectory("topiary-fuzz")
        : Files.createTempDirectory(base, "topiary-fuzz");
    boolean ok = true;
    System.out.println("| input | mutations | outcomes | violations | max allocation / input byte |");
    System.out.println("|---|---:|---|---:|---:|");
    try {
      for (Map.Entry<Kind, Integer> e : counts.entrySet()) {
        long t0 = System.nanoTime();
        Report rep = run(e.getKey(), e.getValue(), seed, dir, timeout, true);
        StringBuilder o = new StringBuilder();
        rep.outcomes().forEach((k, v) -> o.append(o.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.1f |%n", e.getKey().name().toLowerCase(Locale.ROOT),
            rep.tried(), o, rep.violations().size(), rep.maxAllocationRatio());
        rep.violations().forEach(v -> System.out.println("  violation: " + v));
        System.err.printf(Locale.ROOT, "%s: %.1f s%n", e.getKey(), (System.nanoTime() - t0) / 1e9);
        ok &= rep.violations().isEmpty();
      }
    } finally {
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.exit(ok ? 0 : 1);
  }
}
