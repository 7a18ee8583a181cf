/**
 * Pruning methods compared on equal terms ({@link dev.topiary.methods.compare.Comparison}): the same
 * trained network per seed, the same parameter budget, the same training budget after pruning; a method is
 * a {@link dev.topiary.methods.compare.PruningMethod}, and any unit criterion becomes one through
 * {@link dev.topiary.methods.compare.StructuredMethod}. The built-in methods are listed in
 * {@link dev.topiary.methods.compare.Methods}.
 */
package dev.topiary.methods.compare;
