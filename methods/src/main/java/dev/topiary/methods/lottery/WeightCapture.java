package dev.topiary.methods.lottery;

import dev.topiary.core.model.Network;
import dev.topiary.training.TrainingListener;

/**
 * A training listener that stores a copy of the network being trained after a given number of optimiser
 * steps: the early iterate θ_k that lottery-ticket rewinding returns to (Frankle et al. 2020, "Linear
 * mode connectivity and the lottery ticket hypothesis"). Step 0 is the initialisation, stored at once.
 */
public final class WeightCapture implements TrainingListener {

  private final Network network;
  private final long step;
  private long steps;
  private Network stored;

  /**
   * Watches {@code network}, which must be the very network the trainer updates in place.
   *
   * @param step the optimiser step after which to store the weights; 0 stores them now
   */
  public WeightCapture(Network network, long step) {
    if (step < 0) {
      throw new IllegalArgumentException("the rewind step must be >= 0, found " + step);
    }
    this.network = network;
    this.step = step;
    if (step == 0) {
      stored = network.copy();
    }
  }

  @Override
  public void onBatchEnd(int epoch, int batch, int batches, double loss) {
    steps++;
    if (steps == step) {
      stored = network.copy();
    }
  }

  /** The step the capture waits for. */
  public long step() {
    return step;
  }

  /**
   * The stored copy (shares nothing with the trained network).
   *
   * @throws IllegalStateException if training has not reached the step
   */
  public Network stored() {
    if (stored == null) {
      throw new IllegalStateException("training ran " + steps + " steps, the capture waits for step " + step);
    }
    return stored;
  }

  /** True once the weights are stored. */
  public boolean captured() {
    return stored != null;
  }
}
