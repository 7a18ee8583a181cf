package dev.topiary.methods.odf2nna;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Split;
import dev.topiary.methods.RecipeListener;
import java.time.Duration;

/** Hand-run: the recipe on one data set, printing stages and the report. */
public final class Odf2nnaTry {
  public static void main(String[] args) throws Exception {
    String src = args.length > 0 ? args[0] : "builtin:digits";
    var loaded = DataSources.load(src);
    Split split = Split.of(loaded.train(), 7);
    Odf2nnaConfig cfg = Odf2nnaConfig.defaults().withCompareScratch(true);
    if (args.length > 1) {
      cfg = cfg.withArchitecture(Architecture.uniform(3, Integer.parseInt(args[1]), dev.topiary.kernels.Activation.RELU));
    }
    long t0 = System.nanoTime();
    var report = new Odf2nna(cfg).listener(new RecipeListener() {
      @Override public void stageFinished(String stage, Duration took, String summary) {
        System.out.printf("%-10s %6.2fs  %s%n", stage, took.toNanos() / 1e9, summary);
      }
    }).run(split);
    System.out.println(dev.topiary.core.json.Json.writePretty(report.toMap()));
    System.out.printf("total %.1fs%n", (System.nanoTime() - t0) / 1e9);
  }
}
