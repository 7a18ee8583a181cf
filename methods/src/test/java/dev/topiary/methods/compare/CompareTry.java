package dev.topiary.methods.compare;

import dev.topiary.core.data.DataSources;
import dev.topiary.core.data.Split;
import dev.topiary.methods.RecipeListener;
import java.time.Duration;
import java.util.List;

/** Hand-run: the full comparison with the small defaults, printing stages and the Markdown table. */
public final class CompareTry {
  public static void main(String[] args) throws Exception {
    String src = args.length > 0 ? args[0] : "builtin:iris";
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    double keep = args.length > 2 ? Double.parseDouble(args[2]) : 0.3;
    Split split = Split.of(DataSources.load(src).train(), 7);
    long t0 = System.nanoTime();
    ComparisonReport r = Comparison.run(split, Methods.all(), List.of(keep), seeds, Budget.small(),
        new RecipeListener() {
          @Override
          public void stageFinished(String stage, Duration took, String summary) {
            System.out.printf("%-20s %6.2fs  %s%n", stage, took.toNanos() / 1e9, summary);
          }
        });
    System.out.println(r.toMarkdown());
    System.out.printf("total %.1fs%n", (System.nanoTime() - t0) / 1e9);
  }
}
