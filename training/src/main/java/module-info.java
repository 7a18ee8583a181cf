/** Losses, back-propagation, optimisers, schedules, the training loop and its plug-in points. */
module dev.topiary.training {
  requires transitive dev.topiary.core;
}
