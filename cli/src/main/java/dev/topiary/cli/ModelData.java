package dev.topiary.cli;

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

  /** The split seed when neither the model nor {@code --seed} gives one. */
  static final long DEFAULT_SEED = 42L;

  /**
   * Reads {@code model} and {@code data}.
   *
   * @param target the {@code --target} option, or null for the recorded (else the last) column
   * @param seed the {@code --seed} option, or null
   */
  static ModelData load(Path model, String data, String target, Long seed) throws IOException {
    ModelFile mf = ModelFiles.read(model);
    Map<String, String> md = mf.metadata();
    String canonical = DataInput.canonical(data);
    String col = target;
    if (col == null && canonical.equals(Provenance.data(md))) {
      col = Provenance.target(md);
    }
    Loaded loaded = DataInput.load(data, col);
    DataInput.fitTo(mf.network(), loaded.train(), model.toString());
    dev.topiary.core.io.Provenance.checkFeatures(Provenance.featureNames(md), loaded.train().featureNames(),
        loaded.train().name());
    return new ModelData(mf, canonical, col, loaded, Provenance.splitFor(md, canonical, seed, DEFAULT_SEED));
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
