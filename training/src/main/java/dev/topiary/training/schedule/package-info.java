/** Learning-rate schedules: constant, step decay, cosine and linear warm-up. */
package dev.topiary.training.schedule;
