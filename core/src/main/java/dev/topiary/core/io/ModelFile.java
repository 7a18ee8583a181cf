package dev.topiary.core.io;

import dev.topiary.core.model.Network;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A model read from a file: the network and the file's whole {@code __metadata__} map.
 *
 * @param network the network, fully built and validated
 * @param metadata every metadata entry of the file, Topiary's own ({@link ModelFiles#RESERVED_KEYS})
 *     included, unmodifiable and sorted by key
 */
public record ModelFile(Network network, Map<String, String> metadata) {

  /** Copies the metadata into an unmodifiable sorted map. */
  public ModelFile {
    Objects.requireNonNull(network, "network");
    metadata = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
  }

  /**
   * The metadata other code added when saving (for example {@code topiary.pruning}), that is, every
   * entry but the keys Topiary uses to describe the model.
   */
  public Map<String, String> extraMetadata() {
    TreeMap<String, String> m = new TreeMap<>(metadata);
    m.keySet().removeAll(ModelFiles.RESERVED_KEYS);
    return java.util.Collections.unmodifiableSortedMap(m);
  }

  /** The provenance this file records ({@link Provenance#fromMetadata}); fields not recorded are null. */
  public Provenance provenance() {
    return Provenance.fromMetadata(metadata);
  }
}
