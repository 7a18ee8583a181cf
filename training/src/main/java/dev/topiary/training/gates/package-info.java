/** Multiplicative unit and residual-block gates: the plug-in point for complexity-aware training. */
package dev.topiary.training.gates;
