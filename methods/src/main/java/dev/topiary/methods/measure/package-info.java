/**
 * Timing, the one way the project measures speed: {@link dev.topiary.methods.measure.Timer} times
 * operations side by side (warm-up until the JIT has settled, then interleaved rounds of samples), and
 * {@link dev.topiary.methods.measure.Latency} builds on it the inference latency, throughput and speed-up
 * of networks, for reports that claim a pruned model is faster.
 */
package dev.topiary.methods.measure;
