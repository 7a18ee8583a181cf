package dev.topiary.cli;

import dev.topiary.core.data.Dataset;
import dev.topiary.core.model.Network;
import dev.topiary.methods.measure.Latency;
import dev.topiary.methods.measure.LatencyResult;
import dev.topiary.methods.measure.SpeedupEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference latency of a model before and after pruning at one batch size, measured in interleaved
 * rounds (see {@link Latency}) on real input rows.
 */
record LatencyPair(int batch, LatencyResult before, LatencyResult after, SpeedupEstimate estimate) {

  /** The batch sizes reports quote: one request at a time, and a full batch. */
  static final int[] BATCHES = {1, 256};

  /** Speed-up: time per call before over after. */
  double speedup() {
    return before.medianNanos() / after.medianNanos();
  }

  /**
   * Measures both networks at each of {@link #BATCHES}, spending about {@code millis} in all (a third
   * warming up): half on each network's latency, half on the speed-up with its interval (interleaved
   * rounds, {@link Latency#estimate}); empty when {@code millis} is 0.
   */
  static List<LatencyPair> measure(Network before, Network after, Dataset rows, long millis, Progress progress) {
    List<LatencyPair> out = new ArrayList<>();
    if (millis <= 0) {
      return out;
    }
    long each = Math.max(2, millis / BATCHES.length);
    Duration warm = Duration.ofMillis(Math.max(1, each / 6));
    Duration budget = Duration.ofMillis(Math.max(1, (each - 2 * (each / 6)) / 2));
    for (int b : BATCHES) {
      progress.update("latency", out.size(), BATCHES.length, "batch " + b);
      List<LatencyResult> r = Latency.compare(List.of(before, after), rows.x(), rows.rows(), b, warm, budget);
      SpeedupEstimate e = Latency.estimate(before, after, rows.x(), rows.rows(), b, warm, budget, 0.95);
      out.add(new LatencyPair(b, r.get(0), r.get(1), e));
    }
    progress.clear();
    return out;
  }

  /** JSON-ready: one entry per batch size with both results and the speed-up. */
  static List<Object> toList(List<LatencyPair> pairs) {
    List<Object> l = new ArrayList<>();
    for (LatencyPair p : pairs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("batch", p.batch());
      m.put("before", p.before().toMap());
      m.put("after", p.after().toMap());
      m.put("speedup", p.speedup());
      m.put("speedup_estimate", p.estimate().toMap());
      l.add(m);
    }
    return l;
  }
}
