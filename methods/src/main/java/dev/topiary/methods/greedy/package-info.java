/**
 * Greedy forward selection of hidden units (Ye et al. 2020), with the subnetwork's outgoing weights
 * scaled by n/|S| or the unselected units replaced by their means, candidates judged incrementally on a
 * mini-batch; entry point {@link dev.topiary.methods.greedy.GreedySelection}.
 */
package dev.topiary.methods.greedy;
