/**
 * Surgery: building the smaller network a plan describes, with the removed units' means folded into the
 * next layer's bias ({@link dev.topiary.pruning.surgery.Surgery}), and the before/after size report.
 */
package dev.topiary.pruning.surgery;
