/** Recipes that interleave training and pruning: ODF2NNA, greedy selection, schedules, gates. */
module dev.topiary.methods {
  requires transitive dev.topiary.pruning;
  requires transitive dev.topiary.training;

  exports dev.topiary.methods;
  exports dev.topiary.methods.criteria;
  exports dev.topiary.methods.odf2nna;
  exports dev.topiary.methods.greedy;
  exports dev.topiary.methods.unstructured;
  exports dev.topiary.methods.lottery;
  exports dev.topiary.methods.penalty;
  exports dev.topiary.methods.compare;
  exports dev.topiary.methods.study;
  exports dev.topiary.methods.measure;
  exports dev.topiary.methods.complexity;
}
