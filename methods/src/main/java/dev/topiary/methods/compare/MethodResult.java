package dev.topiary.methods.compare;

import dev.topiary.core.model.Network;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one method delivered from one trained network.
 *
 * @param network the final network, fine-tuned
 * @param structural true when units were removed for real (smaller matrices); false for masks
 * @param parameters parameters kept: the network's parameter count, or for masks its non-zero weights
 *     plus biases
 * @param flops FLOPs per example that dense inference executes (masks do not reduce them)
 * @param epochsAfterPruning epochs of training after (or, for pruning at initialisation, instead of)
 *     pruning
 * @param detail a one-line account of what was done
 * @param extras method-specific figures for the JSON report (e.g. the ν search of complexity-aware
 *     training); empty for most methods
 */
public record MethodResult(Network network, boolean structural, long parameters, long flops,
    int epochsAfterPruning, String detail, Map<String, Object> extras) {

  /** Copies the extras. */
  public MethodResult {
    extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
  }

  /** A result without extras. */
  public MethodResult(Network network, boolean structural, long parameters, long flops, int epochsAfterPruning,
      String detail) {
    this(network, structural, parameters, flops, epochsAfterPruning, detail, Map.of());
  }
}
