/** The training loop ({@link dev.topiary.training.Trainer}), its configuration and default recipe, early stopping, progress listeners, evaluation and standardisation helpers. */
package dev.topiary.training;
