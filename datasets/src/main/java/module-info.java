/**
 * The small permissively licensed data sets Topiary embeds, as resources under
 * {@code dev/topiary/datasets/}, with their attribution in {@code NOTICE-datasets.md}. Loaded by name
 * ({@code builtin:iris}) through the core module's loaders; this module has no code dependency.
 */
module dev.topiary.datasets {
  exports dev.topiary.datasets;
  opens dev.topiary.datasets;
}
