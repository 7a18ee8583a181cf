package dev.topiary.methods;

import dev.topiary.training.TrainingListener;
import java.time.Duration;

/**
 * Progress of a recipe: its stages (train, statistics, search, fine-tune, …) and, inside the stages that
 * train, the trainer's own epoch and batch events. Every method defaults to doing nothing; all are called
 * on the thread that runs the recipe.
 */
public interface RecipeListener {

  /** A stage begins. */
  default void stageStarted(String stage, String detail) {}

  /** A stage ended after {@code took}, with a one-line summary of what it produced. */
  default void stageFinished(String stage, Duration took, String summary) {}

  /** The listener the trainer reports to during a training stage; by default one that ignores events. */
  default TrainingListener training(String stage) {
    return new TrainingListener() {};
  }

  /** A listener that ignores everything. */
  static RecipeListener none() {
    return new RecipeListener() {};
  }
}
