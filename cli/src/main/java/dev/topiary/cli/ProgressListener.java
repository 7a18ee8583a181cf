package dev.topiary.cli;

import dev.topiary.methods.RecipeListener;
import dev.topiary.training.EpochReport;
import dev.topiary.training.TrainingListener;
import java.time.Duration;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Shows a recipe's stages and its training progress: a line when each stage starts and ends, and while a
 * stage trains, a bar over its epochs and batches (live on a terminal) or, in a log, a line about every
 * tenth of the epochs.
 */
final class ProgressListener implements RecipeListener {

  private final Progress progress;
  private final ToIntFunction<String> maxEpochs;
  private final boolean lines;
  private final java.util.Map<String, Integer> epochsRun = new java.util.HashMap<>();

  /**
   * @param maxEpochs the most epochs each training stage may run (by stage name), for the bar's total
   */
  ProgressListener(Progress progress, ToIntFunction<String> maxEpochs) {
    this(progress, maxEpochs, true);
  }

  /**
   * @param lines print the stage lines (false: only the live bar, for a recipe run many times over)
   */
  ProgressListener(Progress progress, ToIntFunction<String> maxEpochs, boolean lines) {
    this.progress = progress;
    this.maxEpochs = maxEpochs;
    this.lines = lines;
  }

  @Override
  public void stageStarted(String stage, String detail) {
    if (lines) {
      progress.line(String.format(Locale.ROOT, "%-10s %s", stage, detail));
    } else {
      progress.update(stage, 0, 1, "");
    }
  }

  @Override
  public void stageFinished(String stage, Duration took, String summary) {
    if (lines) {
      progress.line(String.format(Locale.ROOT, "%-10s done in %s: %s", stage, Format.seconds(took), summary));
    }
  }

  @Override
  public TrainingListener training(String stage) {
    TrainingListener bar = epochs(progress, stage, maxEpochs.applyAsInt(stage), lines);
    return new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        bar.onBatchEnd(epoch, batch, batches, loss);
      }

      @Override
      public void onEpochEnd(EpochReport report) {
        epochsRun.put(stage, report.epoch());
        bar.onEpochEnd(report);
      }
    };
  }

  /** Epochs the last run of a training stage has completed so far (0 before it runs). */
  int epochsRun(String stage) {
    return epochsRun.getOrDefault(stage, 0);
  }

  /** A training listener that draws a bar over {@code epochs} epochs, labelled {@code label}. */
  static TrainingListener epochs(Progress progress, String label, int epochs) {
    return epochs(progress, label, epochs, true);
  }

  /** The same; in a log, a line about every tenth of the epochs only when {@code lines}. */
  static TrainingListener epochs(Progress progress, String label, int epochs, boolean lines) {
    return new TrainingListener() {
      private int logged;

      @Override
      public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        progress.update(label, (long) (epoch - 1) * batches + batch, (long) epochs * batches,
            String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs, loss));
      }

      @Override
      public void onEpochEnd(EpochReport r) {
        if (progress.live() || !lines) {
          return;
        }
        int step = Math.max(1, epochs / 10);
        if (r.epoch() == 1 || r.epoch() - logged >= step) {
          logged = r.epoch();
          progress.line(String.format(Locale.ROOT, "%-10s epoch %d/%d  loss %.4f%s", label, r.epoch(), epochs,
              r.trainLoss(), Double.isNaN(r.validationLoss()) ? ""
                  : String.format(Locale.ROOT, "  validation loss %.4f", r.validationLoss())));
        }
      }
    };
  }
}
