package dev.topiary.core.data;

import dev.topiary.core.model.Standardization;

/**
 * A split whose parts are standardised with maps fitted on the training part only, so that nothing about
 * the validation or test rows leaks into training. Keep the maps: a model carries them (its input and
 * output scaling) so that it can be fed raw inputs and give outputs in raw units.
 *
 * @param split standardised copies of the parts (the raw data is untouched)
 * @param inputs the per-feature map fitted on the raw training inputs
 * @param targets for regression, the per-output map fitted on the raw training targets; null for
 *     classification
 */
public record StandardizedSplit(Split split, Standardization inputs, Standardization targets) {

  /** Fits the maps on {@code raw.train()} (which must have rows) and applies them to all three parts. */
  public static StandardizedSplit fit(Split raw) {
    Dataset train = raw.train();
    Standardization in = Standardization.fit(train.x(), train.rows(), train.features());
    Standardization out = null;
    if (!train.task().isClassification()) {
      out = Standardization.fit(train.targets(), train.rows(), train.task().outputs());
    }
    return new StandardizedSplit(
        new Split(apply(raw.train(), in, out), apply(raw.validation(), in, out), apply(raw.test(), in, out)),
        in, out);
  }

  /**
   * A copy of {@code data} with its inputs mapped by {@code inputs} and, when {@code targets} is not null,
   * its regression targets mapped by {@code targets}.
   */
  public static Dataset apply(Dataset data, Standardization inputs, Standardization targets) {
    if (inputs.columns() != data.features()) {
      throw new IllegalArgumentException("the input standardisation has " + inputs.columns()
          + " columns, the data set " + data.features() + " features");
    }
    float[] x = new float[data.x().length];
    inputs.apply(data.x(), 0, x, 0, data.rows());
    if (targets == null) {
      return data.withInputs(x);
    }
    if (data.task().isClassification() || targets.columns() != data.task().outputs()) {
      throw new IllegalArgumentException("a target standardisation with " + targets.columns()
          + " columns does not fit " + data);
    }
    float[] t = new float[data.targets().length];
    targets.apply(data.targets(), 0, t, 0, data.rows());
    return new Dataset(data.name(), data.rows(), data.features(), x, data.task(), null, t, data.featureNames());
  }
}
