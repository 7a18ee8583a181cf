package dev.topiary.example;

import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code predict MODEL x1,x2,...}: prints the model's prediction for one row (class probabilities for a
 * classifier, values for a regression model), then the kernels in use. The two lines that matter are the
 * first two of {@link #main}.
 */
public final class Predict {

  private Predict() {}

  public static void main(String[] args) throws Exception {
    Network net = ModelFiles.load(Path.of(args[0]));
    float[] out = net.predict(parse(args[1]), 1);

    System.out.println(net.describe() + " " + Arrays.toString(out));
    System.out.println("kernels: " + dev.topiary.kernels.Kernels.implementation());
  }

  private static float[] parse(String csv) {
    String[] cells = csv.split(",");
    float[] x = new float[cells.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Float.parseFloat(cells[i].trim());
    }
    return x;
  }
}
