/** Per-parameter gradient masks that keep pruned weights at zero and frozen parameters unchanged. */
package dev.topiary.training.mask;
