package dev.topiary.cli;

import dev.topiary.methods.odf2nna.EpsilonChoice;
import dev.topiary.methods.odf2nna.Odf2nnaReport;
import dev.topiary.methods.odf2nna.PairedComparison;
import dev.topiary.methods.odf2nna.Selection;
import dev.topiary.pruning.plan.ThresholdRule;
import dev.topiary.pruning.surgery.LayerSize;
import dev.topiary.pruning.units.LayerAddress;
import java.util.List;
import java.util.Locale;

/** The tables a person reads after pruning: sizes and speed before and after, scores, units per layer. */
final class PruneSummary {

  private PruneSummary() {}

  /** Architecture, parameters, FLOPs and measured latency, original against pruned, with the ratios. */
  static String sizes(Odf2nnaReport r, List<LatencyPair> latency) {
    TextTable t = new TextTable("", "original", "pruned", "change");
    t.row("architecture", r.original().describe(), r.finetuned().describe(), "");
    long pb = r.sizes().parametersBefore();
    long pa = r.sizes().parametersAfter();
    t.row("parameters", Format.grouped(pb), Format.grouped(pa), fewer(pb, pa));
    long fb = r.sizes().flopsBefore();
    long fa = r.sizes().flopsAfter();
    t.row("FLOPs per row", Format.grouped(fb), Format.grouped(fa), fewer(fb, fa));
    for (LatencyPair p : latency) {
      t.row("latency, batch " + p.batch(), Format.micros(p.before().microsPerCall()),
          Format.micros(p.after().microsPerCall()), p.estimate().describe());
      if (p.batch() > 1) {
        t.row("throughput, batch " + p.batch(), Format.rate(p.before().rowsPerSecond()),
            Format.rate(p.after().rowsPerSecond()), "");
      }
    }
    return t.render();
  }

  /** Test and validation metric of each network the run produced. */
  static String scores(Odf2nnaReport r) {
    String m = Scores.label(r.metric());
    TextTable t = new TextTable("model", "test " + m, "validation " + m);
    t.row("original", Format.metric(r.test().original()), Format.metric(r.validation().original()));
    t.row("pruned, before fine-tuning", Format.metric(r.test().pruned()), Format.metric(r.validation().pruned()));
    t.row(r.finetuneTraining() != null && !r.finetuneKept()
            ? "pruned (fine-tuning did not help; kept as is)" : "pruned and fine-tuned (saved)",
        Format.metric(r.test().finetuned()), Format.metric(r.validation().finetuned()));
    if (r.scratch() != null) {
      t.row("same shape, trained from scratch", Format.metric(r.test().scratch()),
          Format.metric(r.validation().scratch()));
    }
    return t.render();
  }

  /** Units per layer, before and after. */
  static String units(Odf2nnaReport r) {
    TextTable t = new TextTable("layer", "units before", "units after", "removed");
    List<LayerSize> layers = r.sizes().layers();
    for (int i = 0; i < layers.size() - 1; i++) {
      LayerSize l = layers.get(i);
      t.row(name(l.layer()), l.unitsBefore(), l.unitsAfter(), l.unitsBefore() - l.unitsAfter());
    }
    return t.render();
  }

  /** One sentence: how much smaller and faster, and what happened to the test metric. */
  static String headline(Odf2nnaReport r, List<LatencyPair> latency) {
    StringBuilder sb = new StringBuilder();
    double ratio = (double) r.sizes().parametersBefore() / r.sizes().parametersAfter();
    sb.append(Format.times(ratio)).append(" fewer parameters");
    for (LatencyPair p : latency) {
      if (p.batch() == LatencyPair.BATCHES[LatencyPair.BATCHES.length - 1]) {
        sb.append(", ").append(p.estimate().describe()).append(" at batch ").append(p.batch());
      }
    }
    sb.append("; test ").append(Scores.label(r.metric())).append(' ').append(Format.metric(r.test().original()))
        .append(" → ").append(Format.metric(r.test().finetuned()));
    if (r.scratch() != null) {
      sb.append(" (the same shape trained from scratch: ").append(Format.metric(r.test().scratch())).append(')');
    }
    return sb.append('.').toString();
  }

  /** Notes on speed-ups beyond the FLOPs ratio, one per line; empty when there are none. */
  static String speedNotes(List<LatencyPair> latency) {
    StringBuilder sb = new StringBuilder();
    for (LatencyPair p : latency) {
      String n = p.estimate().note();
      if (n != null) {
        sb.append("Note: ").append(n).append(".\n");
      }
    }
    return sb.toString();
  }

  /** How ε was chosen and what it came to, in words. */
  static String epsilon(EpsilonChoice choice, Odf2nnaReport r) {
    double e = r.epsilonValue();
    if (choice instanceof EpsilonChoice.Tested t && r.selection() != null) {
      Selection s = r.selection();
      if (s.guard() != null) {
        return s.guard();
      }
      String rows = Format.grouped(s.heldOutRows()) + " held-out rows (validation"
          + (s.folds() > 0 ? " and " + s.folds() + "-fold cross-validation of the training rows" : "") + ")";
      if (s.chosen() < 0) {
        return "no candidate passed the no-loss rule on " + rows + "; nothing was removed";
      }
      PairedComparison c = s.chosenComparison();
      return String.format(Locale.ROOT, "%s, %s of the hidden units removed (σ ≤ %s at the last step), the most "
          + "that passes the no-loss rule on %s: %s change %+.4f, %d %% interval [%+.4f, %+.4f]; "
          + "tolerance %s", s.schedule(), Format.percent(s.levels().get(s.chosen()).unitsRemoved()), sig(e), rows,
          Scores.label(r.metric()), c.change(), Math.round(100 * c.confidence()), c.low(), c.high(),
          trim(s.tolerance()));
    }
    if (choice instanceof EpsilonChoice.Auto a) {
      String keeps = "keeps the original's validation " + Scores.label(r.metric())
          + (a.tolerance() > 0 ? " within " + trim(a.tolerance()) : "") + " (judged "
          + (a.afterFinetune() ? "after" : "before") + " fine-tuning; " + r.probes().size() + " trials)";
      if (!(e >= 0)) {
        return "no ε " + keeps + ", so nothing was removed";
      }
      return "ε = " + sig(e) + (a.relative() ? " × each layer's largest σ" : " (σ threshold)")
          + ", the largest that " + keeps;
    }
    ThresholdRule rule = ((EpsilonChoice.Fixed) choice).rule();
    if (rule instanceof ThresholdRule.Absolute abs) {
      return "ε = " + sig(abs.epsilon()) + " (σ threshold, given)";
    }
    if (rule instanceof ThresholdRule.RelativeToMax rel) {
      return "ε = " + sig(rel.ratio()) + " × each layer's largest σ (given)";
    }
    if (rule instanceof ThresholdRule.LayerFraction f) {
      return "the lowest-" + (r.criterion().equals(PruningMethods.VARIANCE) ? "σ " : "scoring ")
          + Format.percent(f.fraction()) + " of each layer's units (given)";
    }
    return rule.describe();
  }

  private static String sig(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  static String name(LayerAddress a) {
    return a.isInBlock() ? "layers." + a.layer() + ".f." + a.inner() : "layers." + a.layer();
  }

  private static String fewer(long before, long after) {
    if (after == before) {
      return "same";
    }
    return Format.times((double) before / after) + " fewer";
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
