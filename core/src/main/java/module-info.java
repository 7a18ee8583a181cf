/**
 * The model (network, dense layer, residual block), batched inference, data sets and their loaders,
 * standardisation, splits, metrics, parameter and FLOP counting, and model files.
 */
module dev.topiary.core {
  requires transitive dev.topiary.kernels;

  exports dev.topiary.core.model;
  exports dev.topiary.core.data;
  exports dev.topiary.core.io;
  exports dev.topiary.core.json;
  exports dev.topiary.core.metrics;
}
