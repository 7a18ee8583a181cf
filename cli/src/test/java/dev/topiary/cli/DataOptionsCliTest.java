package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topiary.core.data.Imputation;
import dev.topiary.core.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The data options end to end: task, target, missing cells, widths, large values, and the hints. */
class DataOptionsCliTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** 120 rows: x1, x2, and an integer quantity 1..38 that depends on them. */
  private Path integerRegression() throws IOException {
    Random r = new Random(5);
    StringBuilder b = new StringBuilder("x1,x2,age\n");
    for (int i = 0; i < 120; i++) {
      double a = r.nextDouble();
      double c = r.nextDouble();
      b.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d%n", a, c, 1 + (int) Math.round(37 * (a + c) / 2)));
    }
    return write("ages.csv", b.toString());
  }

  /** 60 rows of two classes, with '?' in some feature cells. */
  private Path withQuestionMarks(String name, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("a,b,c,y\n");
    for (int i = 0; i < 60; i++) {
      int y = i % 2;
      String a = i % 7 == 3 ? "?" : String.format(java.util.Locale.ROOT, "%.3f", y + r.nextGaussian() * 0.3);
      String c = i % 11 == 5 ? "?" : Integer.toString(r.nextInt(3));
      b.append(a).append(',').append(r.nextInt(5)).append(',').append(c).append(',').append(y == 0 ? "no" : "yes")
          .append('\n');
    }
    return write(name, b.toString());
  }

  @Test
  void taskRegressionTrainsAnIntegerQuantityAndInferenceWarns() throws IOException {
    Path csv = integerRegression();
    Path m = dir.resolve("m.safetensors");
    Cli.Result inferred = Cli.run("train", "--data", csv.toString(), "--out", m.toString(), "--hidden", "8",
        "--epochs", "2", "--json");
    assertEquals("classification", inferred.json().get("task"));
    assertTrue(inferred.err().contains("topiary: warning: the target 'age' holds")
        && inferred.err().contains("pass --task regression"), inferred.err());
    Cli.Result forced = Cli.run("train", "--data", csv.toString(), "--out", m.toString(), "--hidden", "8",
        "--epochs", "2", "--task", "regression", "--json");
    assertEquals("regression", forced.json().get("task"));
    assertFalse(forced.err().contains("warning"), forced.err());
    // eval reads the data with the model's task, so the integer target stays a number
    Cli.Result eval = Cli.run("eval", "--model", m.toString(), "--data", csv.toString(), "--json");
    assertTrue(((Map<?, ?>) eval.json().get("metrics")).containsKey("r2"), eval.out());
    String wrong = Cli.run("train", "--data", "builtin:iris", "--out", m.toString(), "--task", "regression")
        .errorLine(2);
    assertTrue(wrong.contains("--task regression does not apply to builtin:iris"), wrong);
  }

  @Test
  void plainOutputNamesTheTargetColumnAndWhy() throws IOException {
    Path csv = write("first.csv", "label,a,b\n0,1.5,2\n1,2.5,3\n0,3.5,4\n1,4.5,5\n0,1.2,2\n1,2.2,3\n0,3.2,4\n"
        + "1,4.2,5\n0,1.1,2\n1,2.1,3\n0,3.1,4\n1,4.1,5\n");
    Cli.Result r = Cli.run("train", "--data", csv.toString(), "--out", dir.resolve("m.safetensors").toString(),
        "--hidden", "4", "--epochs", "1", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Target: column 3 of 3, 'b' (the last column, the default; --target chooses "
        + "another)."), r.out());
    assertTrue(r.err().contains("column 1 is named 'label'") && r.err().contains("--target label"), r.err());
  }

  @Test
  void missingMeanIsRecordedAndAppliedByEvalAndPrune() throws IOException {
    Path csv = withQuestionMarks("q.csv", 1);
    Path m = dir.resolve("m.safetensors");
    String refused = Cli.run("train", "--data", csv.toString(), "--out", m.toString()).errorLine(2);
    assertTrue(refused.contains("missing value '?'") && refused.contains("--missing"), refused);
    Cli.Result t = Cli.run("train", "--data", csv.toString(), "--out", m.toString(), "--hidden", "6", "--epochs",
        "3", "--missing", "mean", "--json");
    Map<String, Object> j = t.json();
    assertTrue(((Number) j.get("imputed_cells")).intValue() > 0, t.out());
    Imputation imp = Imputation.fromMetadata(ModelFiles.read(m).metadata());
    assertNotNull(imp);
    assertEquals(List.of("mean", "mode", "mode"), imp.kinds());
    // Another file with '?' cells: eval fills them with the recorded values without being told.
    Path other = withQuestionMarks("other.csv", 2);
    Cli.Result e = Cli.run("eval", "--model", m.toString(), "--data", other.toString(), "--json");
    assertEquals(60, ((Number) e.json().get("rows")).intValue());
    Path pruned = dir.resolve("p.safetensors");
    Cli.Result p = Cli.run("prune", "--model", m.toString(), "--data", other.toString(), "--out", pruned.toString(),
        "--ratio", "0.3", "--latency-ms", "0", "--finetune", "0", "--quiet");
    assertEquals(0, p.code(), p.err());
    assertEquals(imp, Imputation.fromMetadata(ModelFiles.read(pruned).metadata()), "pruning carries it");
    // --missing drop leaves the rows out instead.
    Cli.Result d = Cli.run("eval", "--model", m.toString(), "--data", other.toString(), "--missing", "drop",
        "--split", "all", "--json");
    int kept = ((Number) d.json().get("rows")).intValue();
    assertTrue(kept < 60, d.out());
    int dropped = ((Number) d.json().get("dropped_rows")).intValue();
    assertEquals(60, kept + dropped, d.out());
    assertTrue(d.err().contains(other + ": " + dropped + " row" + (dropped == 1 ? "" : "s")
        + " with missing cells dropped (--missing drop)"), d.err());
    // prune says so too, for --data and for --test-data.
    Cli.Result pd = Cli.run("prune", "--model", m.toString(), "--data", other.toString(), "--test-data",
        other.toString(), "--missing", "drop", "--out", dir.resolve("pd.safetensors").toString(), "--ratio",
        "0.3", "--latency-ms", "0", "--finetune", "0", "--quiet");
    assertEquals(0, pd.code(), pd.err());
    assertEquals(2, pd.err().lines().filter(l -> l.contains("with missing cells dropped (--missing drop)")).count(),
        pd.err());
    // A model trained without imputation says what to do.
    Path clean = write("clean.csv", Files.readString(csv).replace("?", "0.5"));
    Path m2 = dir.resolve("m2.safetensors");
    assertEquals(0, Cli.run("train", "--data", clean.toString(), "--out", m2.toString(), "--hidden", "4",
        "--epochs", "1", "--quiet").code());
    String noImp = Cli.run("eval", "--model", m2.toString(), "--data", other.toString(), "--missing", "mean")
        .errorLine(2);
    assertTrue(noImp.contains("records no values to fill them with") && noImp.contains("--missing drop"), noImp);
  }

  @Test
  void widthsBeyondJavaOrTheHeapFailAtOnceNamingTheWidth() {
    String huge = Cli.run("train", "--data", "builtin:iris", "--out", dir.resolve("m").toString(), "--hidden",
        "100000000").errorLine(2);
    assertTrue(huge.contains("--hidden 100000000") && huge.contains("training needs about"), huge);
    String pair = Cli.run("train", "--data", "builtin:iris", "--out", dir.resolve("m").toString(), "--hidden",
        "100000,100000").errorLine(2);
    assertTrue(pair.contains("layer 2 (100,000 -> 100,000) would hold 10,000,000,000 weights, more than a Java array"),
        pair);
    assertFalse(pair.contains("-Xmx"), pair);
    String wide = Cli.run("train", "--data", "builtin:digits", "--out", dir.resolve("m").toString(), "--hidden",
        "40000000").errorLine(2);
    assertTrue(wide.contains("--hidden 40000000: training needs about") && wide.contains("40,000,000 units"), wide);
    String sweep = Cli.run("sweep", "--data", "builtin:iris", "--out", dir.resolve("s").toString(), "--width",
        "60000").errorLine(2);
    assertTrue(sweep.contains("--width 60000"), sweep);
    assertFalse(Files.exists(dir.resolve("m")));
  }

  @Test
  void columnsNearTheFloatLimitTrainAndEvalNeverPrintsADash() throws IOException {
    Random r = new Random(9);
    StringBuilder b = new StringBuilder("huge,big,plain,y\n");
    for (int i = 0; i < 80; i++) {
      int y = i % 2;
      b.append(r.nextBoolean() ? "3e38" : "-3e38").append(',').append(y == 1 ? "1e20" : "-1e20").append(',')
          .append(r.nextDouble()).append(',').append(y).append('\n');
    }
    Path csv = write("big.csv", b.toString());
    Path m = dir.resolve("m.safetensors");
    // ReLU, not the small-data default tanh: a bounded activation keeps every output finite far outside the range.
    Cli.Result t = Cli.run("train", "--data", csv.toString(), "--out", m.toString(), "--hidden", "8",
        "--activation", "relu", "--epochs", "5", "--json");
    assertEquals(0, t.code(), t.err());
    Cli.Result e = Cli.run("eval", "--model", m.toString(), "--data", csv.toString());
    assertEquals(0, e.code(), e.err());
    assertFalse(e.out().matches("(?s).*log-loss\\s+-\\s.*"), e.out());
    // Far outside the training range (the training column 'plain' spans [0, 1)): refused, not '-'.
    Path far = write("far.csv", "huge,big,plain,y\n3e38,1e20,3e38,0\n-3e38,-1e20,-3e38,1\n3e38,1e20,3e38,1\n"
        + "-3e38,-1e20,-3e38,0\n");
    String line = Cli.run("eval", "--model", m.toString(), "--data", far.toString()).errorLine(2);
    assertTrue(line.contains("outputs are not finite"), line);
  }

  @Test
  void aCopyOfTheDataAtAnotherPathGetsATargetHint() throws IOException {
    Path csv = write("a.csv", "y,p,q\nA,1,2\nB,2,3\nA,3,4\nB,4,5\nA,1,3\nB,2,4\nA,3,5\nB,4,6\nA,1,1\nB,2,2\n"
        + "A,3,3\nB,4,4\n");
    Path m = dir.resolve("m.safetensors");
    assertEquals(0, Cli.run("train", "--data", csv.toString(), "--target", "y", "--out", m.toString(), "--hidden",
        "4", "--epochs", "1", "--quiet").code());
    Path copy = Files.copy(csv, dir.resolve("copy.csv"));
    String e = Cli.run("eval", "--model", m.toString(), "--data", copy.toString()).errorLine(2);
    assertTrue(e.contains("pass --target y"), e);
  }

  /** Every option an error message suggests ("pass --x", "use --x", "with --x") exists. */
  @Test
  void everyHintNamesAnOptionThatExists() throws IOException {
    Set<String> known = new TreeSet<>();
    collect(Main.commandLine(false), known);
    Path ages = integerRegression();
    Path q = withQuestionMarks("q.csv", 3);
    Path typo = write("typo.csv", "x,y\n1,1.5\n2,2.5\n3,3.5\n4,4.5\n5,5.5\n6,6.5\n7,7.5\n8,8.5\n9,9.5\n10,x\n");
    Path utf16 = Files.write(dir.resolve("u16.csv"), "a,y\n1,x\n".getBytes(java.nio.charset.StandardCharsets.UTF_16));
    Path bad = Files.write(dir.resolve("bad.csv"), new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xC3, '\n'});
    List<String> messages = new ArrayList<>();
    messages.add(Cli.run("train", "--data", q.toString(), "--out", dir.resolve("m").toString()).errorLine(2));
    messages.add(Cli.run("train", "--data", typo.toString(), "--out", dir.resolve("m").toString()).errorLine(2));
    messages.add(Cli.run("train", "--data", utf16.toString(), "--out", dir.resolve("m").toString()).errorLine(2));
    messages.add(Cli.run("train", "--data", bad.toString(), "--out", dir.resolve("m").toString()).errorLine(2));
    messages.add(Cli.run("train", "--data", ages.toString(), "--out", dir.resolve("m.safetensors").toString(),
        "--hidden", "4", "--epochs", "1", "--quiet").err());
    messages.add(Cli.run("train", "--data", "builtin:iris", "--out", dir.resolve("m").toString(), "--hidden",
        "100000000").errorLine(2));
    messages.add(Failures.describe(new dev.topiary.training.TrainingDivergedException(3, 4, 5, Double.NaN, 1e30)));
    Pattern option = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
    int seen = 0;
    for (String m : messages) {
      Matcher mt = option.matcher(m);
      while (mt.find()) {
        seen++;
        assertTrue(known.contains(mt.group(1)), "'" + mt.group(1) + "' in: " + m);
      }
    }
    assertTrue(seen >= 8, "the messages name options: " + messages);
  }

  private static void collect(CommandLine cl, Set<String> into) {
    for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      for (String n : o.names()) {
        into.add(n);
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, into);
    }
  }
}
