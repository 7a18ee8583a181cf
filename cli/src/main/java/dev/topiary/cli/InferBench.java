package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import dev.topiary.core.model.Standardization;
import dev.topiary.kernels.Kernels;
import dev.topiary.methods.measure.Latency;
import dev.topiary.methods.measure.LatencyResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code topiary bench infer}: latency and throughput of a model file's batched inference. */
@Command(name = "infer",
    header = "Latency and throughput of a model file.",
    mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Measure a model's inference: median time per call of the task's output (class "
          + "probabilities or values) for each batch size, after a warm-up, and the rows per second "
          + "that makes.",
      "",
      "Inputs are rows of --data when given, else random rows drawn around the model's own input "
          + "standardisation (the time of a dense network does not depend on the values)."
    })
public final class InferBench extends CommandBase {

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A .safetensors model file.")
  Path model;

  @Option(names = "--batch", paramLabel = "B,B,...", split = ",", defaultValue = "1,256",
      description = "Rows per call (default: ${DEFAULT-VALUE}).")
  int[] batches;

  @Option(names = "--data", paramLabel = "SRC", description = "Take the input rows from this data.")
  String data;

  @Option(names = "--millis", paramLabel = "MS", defaultValue = "1000",
      description = "Measuring time per batch size, a quarter of it warming up (default: ${DEFAULT-VALUE}).")
  long millis;

  @Option(names = "--threads", paramLabel = "T", description = "Threads for the kernels (default: all processors).")
  Integer threads;

  @Override
  void execute() throws Exception {
    for (int b : batches) {
      if (b < 1 || b > 1_000_000) {
        throw new InputException("--batch sizes must be between 1 and 1,000,000, found " + b);
      }
    }
    if (millis < 10) {
      throw new InputException("--millis must be at least 10, found " + millis);
    }
    if (threads != null && threads < 1) {
      throw new InputException("--threads must be at least 1, found " + threads);
    }
    Network net = ModelFiles.load(model);
    float[] rows;
    int count;
    if (data != null) {
      Loaded loaded = DataInput.load(data, null);
      Dataset d = DataInput.fitTo(net, loaded.train(), model.toString());
      rows = d.x();
      count = d.rows();
    } else {
      count = 1024;
      rows = synthetic(net, count);
    }
    int previous = Kernels.threads();
    if (threads != null) {
      Kernels.setThreads(threads);
    }
    List<LatencyResult> results = new ArrayList<>();
    try {
      Progress progress = progress();
      for (int i = 0; i < batches.length; i++) {
        progress.update("bench", i, batches.length, "batch " + batches[i]);
        results.add(Latency.measure(net, rows, count, batches[i], Duration.ofMillis(millis / 4),
            Duration.ofMillis(millis - millis / 4)));
      }
      progress.clear();
    } finally {
      Kernels.setThreads(previous);
    }
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command", "bench infer");
      m.put("model", model.toAbsolutePath().normalize().toString());
      m.put("topology", net.describe());
      m.put("parameters", net.parameterCount());
      m.put("flops", net.flops());
      m.put("kernels", Kernels.implementation());
      m.put("vector_bits", Kernels.vectorBitSize());
      m.put("inputs", data == null ? "synthetic" : DataInput.canonical(data));
      List<Object> l = new ArrayList<>();
      for (LatencyResult r : results) {
        Map<String, Object> e = r.toMap();
        e.put("gflops", gflops(net, r));
        l.add(e);
      }
      m.put("results", l);
      printJson(m);
      return;
    }
    var o = out();
    o.printf(Locale.ROOT, "Model %s: %s, %s parameters, %s FLOPs per row.%n", model, net.describe(),
        Format.grouped(net.parameterCount()), Format.grouped(net.flops()));
    o.printf(Locale.ROOT, "Kernels: %s%s, %d threads; %s inputs.%n%n", Kernels.implementation(),
        Kernels.vectorBitSize() > 0 ? " (" + Kernels.vectorBitSize() + "-bit)" : "",
        results.isEmpty() ? Kernels.threads() : results.get(0).threads(), data == null ? "synthetic" : data);
    TextTable t = new TextTable("batch", "median per call", "fastest", "90th percentile", "rows/s", "GFLOP/s");
    for (LatencyResult r : results) {
      t.row(r.batch(), Format.micros(r.microsPerCall()), Format.micros(r.minNanos() / 1e3),
          Format.micros(r.p90Nanos() / 1e3), Format.rate(r.rowsPerSecond()).replace(" rows/s", ""),
          String.format(Locale.ROOT, "%.2f", gflops(net, r)));
    }
    o.print(t.render());
  }

  private static double gflops(Network net, LatencyResult r) {
    return (double) net.flops() * r.batch() / r.medianNanos();
  }

  /** Rows drawn as mean + scale·N(0, 1) per input, from the model's standardisation when it has one. */
  static float[] synthetic(Network net, int count) {
    int in = net.inputSize();
    Standardization s = net.inputScaling();
    Random random = new Random(1);
    float[] x = new float[count * in];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < in; j++) {
        double z = random.nextGaussian();
        x[i * in + j] = s == null ? (float) z : (float) (s.mean()[j] + s.scale()[j] * z);
      }
    }
    return x;
  }
}
