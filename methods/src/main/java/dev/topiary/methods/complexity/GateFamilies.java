package dev.topiary.methods.complexity;

/** Which gate families learn: both (the method), or one with the other frozen at 1 (the ablations). */
public enum GateFamilies {
  /** Unit and block gates learn together. */
  JOINT,
  /** Unit gates only; block gates stay at 1 (a block still goes if an inner layer loses every unit). */
  UNITS,
  /** Block gates only; unit gates stay at 1. */
  BLOCKS;

  /** Whether unit θ are updated. */
  public boolean units() {
    return this != BLOCKS;
  }

  /** Whether block θ are updated. */
  public boolean blocks() {
    return this != UNITS;
  }
}
