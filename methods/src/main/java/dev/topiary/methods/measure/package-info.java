/**
 * Measured inference latency and throughput of networks, for reports that claim a pruned model is
 * faster: medians of repeated timed calls after a warm-up, with several networks measured in interleaved
 * rounds so that they see the same machine.
 */
package dev.topiary.methods.measure;
