/** Recipes that interleave training and pruning: ODF2NNA, greedy selection, schedules, gates. */
module dev.topiary.methods {
  requires transitive dev.topiary.pruning;
  requires transitive dev.topiary.training;

  exports dev.topiary.methods;
  exports dev.topiary.methods.odf2nna;
  exports dev.topiary.methods.measure;
}
