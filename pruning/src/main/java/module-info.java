/** Pure pruning logic: unit statistics, importance criteria, pruning plans and surgery. No training, no I/O. */
module dev.topiary.pruning {
  requires transitive dev.topiary.core;
}
