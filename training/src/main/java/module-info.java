/** Losses, back-propagation, optimisers, schedules, the training loop and its plug-in points. */
module dev.topiary.training {
  requires transitive dev.topiary.core;

  exports dev.topiary.training;
  exports dev.topiary.training.backprop;
  exports dev.topiary.training.gates;
  exports dev.topiary.training.loss;
  exports dev.topiary.training.mask;
  exports dev.topiary.training.optim;
  exports dev.topiary.training.regularize;
  exports dev.topiary.training.schedule;
}
