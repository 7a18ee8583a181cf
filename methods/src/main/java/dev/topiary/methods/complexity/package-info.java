/**
 * Complexity-aware training: Bernoulli unit and block gates learned with the weights, an expected-cost
 * regulariser with automatic per-structure coefficients, and removal of structures during training.
 */
package dev.topiary.methods.complexity;
