package dev.topiary.core.model;

import dev.topiary.kernels.Activation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a {@link ModelSummary}: a dense layer (top-level or inside a residual block) or the skip
 * addition that closes a residual block.
 *
 * @param name the layer's path in the model file, e.g. {@code layers.0} or {@code layers.2.f.1} for a
 *     dense layer, {@code layers.2} for the skip addition of block 2
 * @param kind dense layer or skip addition
 * @param in input width
 * @param out output width
 * @param activation the dense layer's activation; {@link Activation#IDENTITY} for a skip addition
 * @param parameters weights plus biases (in·out + out for a dense layer, 0 for a skip)
 * @param flops floating-point operations per example, as {@link Layer#flops()} counts them: for a
 *     dense layer 2·in·out + out, plus out when the activation is not the identity; width for a skip
 */
public record LayerSummary(String name, Kind kind, int in, int out, Activation activation, long parameters,
    long flops) {

  /** What a row describes. */
  public enum Kind {
    /** A dense layer act(W·x + b). */
    DENSE,
    /** The h + f(h) addition of a residual block. */
    SKIP
  }

  /** Checks that nothing is null. */
  public LayerSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(activation, "activation");
  }

  /** The row for a dense layer at path {@code name}. */
  public static LayerSummary of(String name, DenseLayer d) {
    return new LayerSummary(name, Kind.DENSE, d.inputSize(), d.outputSize(), d.activation(),
        d.parameterCount(), d.flops());
  }

  /** The row for the skip addition of a residual block at path {@code name}. */
  public static LayerSummary skip(String name, ResidualBlock b) {
    // ResidualBlock#flops() = Σ dense flops + width; the width is this row's share.
    return new LayerSummary(name, Kind.SKIP, b.width(), b.width(), Activation.IDENTITY, 0, b.width());
  }

  /** This row as a JSON-ready map (see {@link dev.topiary.core.json.Json#write}). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("kind", kind.name().toLowerCase(Locale.ROOT));
    m.put("in", in);
    m.put("out", out);
    m.put("activation", activation.name().toLowerCase(Locale.ROOT));
    m.put("parameters", parameters);
    m.put("flops", flops);
    return m;
  }
}
