/**
 * Lottery tickets: iterative magnitude pruning with weight rewinding to the initialisation or an early
 * iterate, and learning-rate rewinding ({@link dev.topiary.methods.lottery.LotteryTicket}); the listener
 * that stores the iterate during training ({@link dev.topiary.methods.lottery.WeightCapture}).
 */
package dev.topiary.methods.lottery;
