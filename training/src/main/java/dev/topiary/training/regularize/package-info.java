/** Regularisation terms added to the loss: L1, L2 and group lasso over hidden units. */
package dev.topiary.training.regularize;
