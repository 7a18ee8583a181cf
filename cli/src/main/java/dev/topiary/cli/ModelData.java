package dev.topiary.cli;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.data.LoadOptions;
import dev.topiary.core.data.Loaded;
import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved model with the data a command scores or prunes it on: the data read with the target column the
 * model records for that same source (unless one is given), checked against the model's inputs and task,
 * and the split to recreate ({@link Provenance#splitFor}).
 *
 * @param file the model file
 * @param canonical the data source in canonical form ({@link DataInput#canonical})
 * @param target the CSV target column used: the one given, else the one the model records for this data,
 *     else null (the last column)
 * @param loaded the data as read
 * @param plan which split of the data to use
 */
record ModelData(ModelFile file, String canonical, String target, Loaded loaded, Provenance.SplitPlan plan) {

  /**
   * Reads {@code model} and {@code data}.
   *
   * @param data the {@code --data} and {@code --target} options; no target means the recorded (else the
   *     last) column
   * @param seed the {@code --seed} option, or null
   */
  static ModelData load(Path model, DataOptions data, Long seed) throws IOException {
    ModelFile mf = ModelFiles.read(model);
    Map<String, String> md = mf.metadata();
    String canonical = data.canonical();
    String col = data.target();
    String recordedTarget = Provenance.target(md);
    if (col == null && canonical.equals(Provenance.data(md))) {
      col = recordedTarget;
    }
    Imputation imputation;
    try {
      imputation = Imputation.fromMetadata(md);
    } catch (IllegalArgumentException e) {
      throw new InputException(model + ": " + e.getMessage(), e);
    }
    Network network = mf.network();
    LoadOptions.TaskChoice task = network.task().isClassification() ? LoadOptions.TaskChoice.CLASSIFICATION
        : LoadOptions.TaskChoice.REGRESSION;
    LoadOptions.Missing missingDefault = imputation != null ? LoadOptions.Missing.MEAN : LoadOptions.Missing.ERROR;
    Loaded loaded;
    boolean hint = col == null && recordedTarget != null;
    try {
      loaded = DataInput.loadWith(data.data, data.options(col, DataInput.isCsv(data.data) ? task : null, missingDefault));
      if (loaded.missingCells() > 0) {
        if (imputation == null) {
          throw new InputException(data.data + " has " + loaded.missingCells() + " missing cells, but the model "
              + model + " records no values to fill them with (it was not trained with --missing mean); "
              + "pass --missing drop to leave those rows out");
        }
        if (imputation.columns() != loaded.train().features()) {
          DataInput.fitTo(network, loaded.train(), model.toString());
        }
        loaded = imputation.apply(loaded);
      }
      DataInput.fitTo(network, loaded.train(), model.toString());
    } catch (IOException | InputException e) {
      if (!hint) {
        throw e;
      }
      throw new InputException(e.getMessage() + " (the model was trained with --target " + recordedTarget
          + "; pass --target " + recordedTarget + " if this file has that column)", e);
    }
    return new ModelData(mf, canonical, col, loaded, Provenance.splitFor(md, canonical, seed, SeedOption.DEFAULT));
  }

  /** The model. */
  Network network() {
    return file.network();
  }

  /** The model file's metadata. */
  Map<String, String> metadata() {
    return file.metadata();
  }
}
