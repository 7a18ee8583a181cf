/** Optimisers (SGD with momentum and Nesterov, Adam, AdamW) and their per-run state. */
package dev.topiary.training.optim;
