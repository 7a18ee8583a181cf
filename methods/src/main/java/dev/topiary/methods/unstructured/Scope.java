package dev.topiary.methods.unstructured;

/** Where unstructured magnitude pruning compares weights. */
public enum Scope {
  /** One ranking over the weights of every dense layer: layers of smaller weights lose more. */
  GLOBAL,
  /** Each dense layer loses the same fraction of its own weights. */
  PER_LAYER
}
