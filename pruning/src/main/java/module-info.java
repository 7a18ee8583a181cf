/** Pure pruning logic: unit statistics, importance criteria, pruning plans and surgery. No training, no I/O. */
module dev.topiary.pruning {
  requires transitive dev.topiary.core;

  exports dev.topiary.pruning;
  exports dev.topiary.pruning.units;
  exports dev.topiary.pruning.stats;
  exports dev.topiary.pruning.criteria;
  exports dev.topiary.pruning.plan;
  exports dev.topiary.pruning.surgery;
  exports dev.topiary.pruning.pruner;
}
