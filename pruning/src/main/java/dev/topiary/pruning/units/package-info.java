/**
 * Where the hidden units of a network are ({@link dev.topiary.pruning.units.UnitLayout}, addressed by
 * {@link dev.topiary.pruning.units.LayerAddress}), which of them may be removed, and the forward pass that
 * shows each hidden layer's output ({@link dev.topiary.pruning.units.ForwardPass}).
 */
package dev.topiary.pruning.units;
