package dev.topiary.cli;

import dev.topiary.core.model.Task;
import dev.topiary.kernels.Activation;
import dev.topiary.methods.odf2nna.Architecture;
import dev.topiary.training.DefaultRecipe;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hidden widths and activation {@code train} uses: what the options give, else ODF2NNA's sizing rule
 * when {@code --size-rule examples} asks for it ({@link Architecture#sizedToData}), else the library's
 * {@link DefaultRecipe} for the data's size.
 *
 * @param hidden the hidden widths
 * @param activation the hidden activation
 * @param rule how they were chosen, recorded in the model file
 */
record NetworkChoice(int[] hidden, Activation activation, String rule) {

  /** Hidden layers of {@code --size-rule} without {@code --depth}: the depth of ODF2NNA's default network. */
  static final int DEFAULT_DEPTH = 3;

  /** Narrowest and widest layers the sizing rule may choose. */
  static final int MIN_WIDTH = 4;
  static final int MAX_WIDTH = 4096;

  /** The sizing rules {@code --size-rule} names. */
  enum SizeRule {
    /** Equal widths, parameters ≈ training rows (ODF2NNA, seed paper §3.1). */
    EXAMPLES
  }

  /** Chooses; {@code hidden}, {@code activation}, {@code sizeRule} and {@code depth} may be null. */
  static NetworkChoice of(Task task, int rows, int features, int[] hidden, Activation activation,
      SizeRule sizeRule, Integer depth) {
    DefaultRecipe defaults = DefaultRecipe.forData(task, rows, features);
    Activation act = activation != null ? activation : defaults.activation();
    String actName = act.name().toLowerCase(Locale.ROOT);
    if (sizeRule == SizeRule.EXAMPLES) {
      int d = depth != null ? depth : DEFAULT_DEPTH;
      Architecture a = Architecture.sizedToData(d, act, MIN_WIDTH, MAX_WIDTH);
      int w = a.widthFor(features, task.outputs(), rows);
      int[] widths = new int[d];
      Arrays.fill(widths, w);
      return new NetworkChoice(widths, act, String.format(Locale.ROOT,
          "size rule examples: %d x %d %s, %,d parameters for %,d training rows", d, w, actName,
          a.parameters(features, task.outputs(), w), rows));
    }
    if (hidden == null && activation == null) {
      return new NetworkChoice(defaults.hidden(), act, "default: " + defaults.rule());
    }
    int[] widths = hidden != null ? hidden.clone() : defaults.hidden();
    return new NetworkChoice(widths, act, (hidden != null ? "--hidden" : "default widths")
        + (activation != null ? ", --activation" : ", default activation"));
  }
}
