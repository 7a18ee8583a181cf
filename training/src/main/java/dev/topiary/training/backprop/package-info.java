/** Forward and backward passes with cached activations over reusable per-shape buffers, and parameter gradients. */
package dev.topiary.training.backprop;
