/** Training losses: softmax and binary cross-entropy from logits, MSE and Huber. */
package dev.topiary.training.loss;
