/**
 * Unstructured pruning: magnitude pruning per layer or global ({@link
 * dev.topiary.methods.unstructured.MagnitudePruning}), its one-shot, iterative and gradual (cubic)
 * schedules ({@link dev.topiary.methods.unstructured.UnstructuredPruning}), and pruning at
 * initialisation, random and SNIP ({@link dev.topiary.methods.unstructured.PruneAtInit}).
 *
 * <p><b>What it does not do.</b> Unstructured pruning produces masks, not smaller matrices: the pruned
 * weights are zeros inside dense arrays of the original shapes, kept at zero during fine-tuning by
 * {@link dev.topiary.training.mask.ParameterMasks}. Parameters are reported as non-zero weights plus
 * biases ({@link dev.topiary.methods.unstructured.Sparsity}), but Topiary's dense kernels multiply the
 * zeros like any other number, so it <em>does not speed up dense inference</em> and does not shrink a
 * saved model. Only the structured methods (variance, greedy, group lasso, the unit criteria) make the
 * network smaller and faster.
 */
package dev.topiary.methods.unstructured;
