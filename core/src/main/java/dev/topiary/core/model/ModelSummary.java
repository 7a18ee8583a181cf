package dev.topiary.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parameter and FLOP counts of a network, per layer and in total, for {@code inspect} and for
 * before/after pruning reports.
 *
 * <p>The rows are flat: every dense layer in order (those inside a residual block included) and, after
 * the layers of each residual block, one {@link LayerSummary.Kind#SKIP} row for its h + f(h) addition.
 * So the rows sum exactly to the totals, which equal {@link Network#parameterCount()} and
 * {@link Network#flops()}.
 *
 * @param inputSize raw input width
 * @param inputStandardised whether the network carries an input standardisation
 * @param task the task
 * @param layers one row per dense layer or skip addition
 * @param parameters total weights plus biases
 * @param flops total floating-point operations per example
 * @param hiddenUnits the outputs of every dense layer but the last: the units pruning may remove
 */
public record ModelSummary(int inputSize, boolean inputStandardised, Task task, List<LayerSummary> layers,
    long parameters, long flops, long hiddenUnits) {

  /** Copies the row list. */
  public ModelSummary {
    layers = List.copyOf(layers);
  }

  /** The summary of a network. */
  public static ModelSummary of(Network network) {
    List<LayerSummary> rows = new ArrayList<>();
    List<Layer> layers = network.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String name = "layers." + i;
      if (l instanceof DenseLayer d) {
        rows.add(LayerSummary.of(name, d));
      } else {
        ResidualBlock b = (ResidualBlock) l;
        for (int j = 0; j < b.layers().size(); j++) {
          rows.add(LayerSummary.of(name + ".f." + j, b.layers().get(j)));
        }
        rows.add(LayerSummary.skip(name, b));
      }
    }
    long params = 0;
    long flops = 0;
    long hidden = 0;
    for (LayerSummary r : rows) {
      params += r.parameters();
      flops += r.flops();
      if (r.kind() == LayerSummary.Kind.DENSE) {
        hidden += r.out();
      }
    }
    hidden -= network.outputSize();
    return new ModelSummary(network.inputSize(), network.inputScaling() != null, network.task(), rows,
        params, flops, hidden);
  }

  /**
   * A human-readable table: the task, the input, one line per row (name, kind, in, out, activation,
   * parameters, FLOPs) and the totals. Ends with a newline.
   */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("task:   ").append(describeTask()).append('\n');
    sb.append("input:  ").append(inputSize).append(inputSize == 1 ? " feature" : " features")
        .append(inputStandardised ? ", standardised" : "").append('\n');
    sb.append("hidden units: ").append(grouped(hiddenUnits)).append('\n');
    String[] head = {"layer", "kind", "in", "out", "activation", "parameters", "FLOPs"};
    List<String[]> cells = new ArrayList<>();
    for (LayerSummary r : layers) {
      boolean dense = r.kind() == LayerSummary.Kind.DENSE;
      cells.add(new String[] {
          r.name(), dense ? "dense" : "skip (h + f(h))", Integer.toString(r.in()), Integer.toString(r.out()),
          dense ? r.activation().name().toLowerCase(Locale.ROOT) : "-", grouped(r.parameters()),
          grouped(r.flops())});
    }
    String[] total = {"total", "", "", "", "", grouped(parameters), grouped(flops)};
    int[] w = new int[head.length];
    for (int c = 0; c < head.length; c++) {
      w[c] = Math.max(head[c].length(), total[c].length());
      for (String[] row : cells) {
        w[c] = Math.max(w[c], row[c].length());
      }
    }
    appendRow(sb, head, w);
    int ruleWidth = head.length * 2 - 2;
    for (int x : w) {
      ruleWidth += x;
    }
    String rule = "-".repeat(ruleWidth) + "\n";
    sb.append(rule);
    for (String[] row : cells) {
      appendRow(sb, row, w);
    }
    sb.append(rule);
    appendRow(sb, total, w);
    return sb.toString();
  }

  /** This summary as a JSON-ready map (see {@link dev.topiary.core.json.Json#write}). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task.kind().name().toLowerCase(Locale.ROOT));
    if (task.isClassification()) {
      m.put("classes", task.classLabels());
    } else {
      m.put("outputs", task.outputs());
    }
    m.put("input_size", inputSize);
    m.put("input_standardised", inputStandardised);
    m.put("hidden_units", hiddenUnits);
    m.put("parameters", parameters);
    m.put("flops", flops);
    List<Object> rows = new ArrayList<>();
    for (LayerSummary r : layers) {
      rows.add(r.toJson());
    }
    m.put("layers", rows);
    return m;
  }

  private String describeTask() {
    if (!task.isClassification()) {
      return "regression, " + task.outputs() + (task.outputs() == 1 ? " output" : " outputs");
    }
    List<String> labels = task.classLabels();
    int shown = Math.min(labels.size(), 10);
    String list = String.join(", ", labels.subList(0, shown)) + (shown < labels.size() ? ", …" : "");
    return "classification, " + labels.size() + " classes (" + list + ")";
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] w) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      // Text columns are left-aligned, numbers right-aligned.
      boolean left = c == 0 || c == 1 || c == 4;
      String pad = " ".repeat(w[c] - row[c].length());
      line.append(left ? row[c] + pad : pad + row[c]);
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  private static String grouped(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
