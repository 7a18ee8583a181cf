/**
 * How much pre-training a good subnetwork needs: subnetwork quality after pruning at checkpoints of one
 * training run and after training on growing subsets of the data ({@link
 * dev.topiary.methods.study.PretrainingStudy}).
 */
package dev.topiary.methods.study;
