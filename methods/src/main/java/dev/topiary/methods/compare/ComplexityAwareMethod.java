package dev.topiary.methods.compare;

import dev.topiary.core.data.Split;
import dev.topiary.core.model.Network;
import dev.topiary.methods.complexity.ComplexityAware;
import dev.topiary.methods.complexity.ComplexityAwareConfig;
import dev.topiary.methods.complexity.ComplexityAwareResult;
import dev.topiary.methods.complexity.NuSearch;
import dev.topiary.training.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Complexity-aware training as a contender of a {@link Comparison}, at the FLOPs the other structured
 * methods kept. It starts from the dense run's initialisation and recipe and trains for as many epochs as
 * the others spent in all (training plus fine-tuning): the fine-tuning epochs become its settle epochs
 * (gates gone, learning rate restarted), the rest learn θ. ν is found by {@link NuSearch}: at most
 * {@code maxTrainings} trainings, stopping at the first that keeps the target fraction of the dense FLOPs
 * within {@code tolerance}; the run nearest the target is the one reported, with every attempt in the
 * entry's extras.
 *
 * @param maxTrainings the search's bound, ≥ 1
 * @param tolerance accepted |FLOPs kept − target| as a fraction of the dense network's FLOPs, &gt; 0
 */
public record ComplexityAwareMethod(int maxTrainings, double tolerance) implements FlopsMatched {

  /** Default bound on the trainings of one search. */
  public static final int MAX_TRAININGS = 5;
  /** Default tolerance, as a fraction of the dense FLOPs. */
  public static final double TOLERANCE = 0.03;

  /** Checks the ranges. */
  public ComplexityAwareMethod {
    if (maxTrainings < 1) {
      throw new IllegalArgumentException("the ν search needs at least one training, found " + maxTrainings);
    }
    if (!(tolerance > 0 && tolerance < 1)) {
      throw new IllegalArgumentException("the FLOPs tolerance must be in (0, 1), found " + tolerance);
    }
  }

  /** The defaults: {@value #MAX_TRAININGS} trainings, ±{@value #TOLERANCE} of the dense FLOPs. */
  public static ComplexityAwareMethod defaults() {
    return new ComplexityAwareMethod(MAX_TRAININGS, TOLERANCE);
  }

  @Override
  public String name() {
    return "complexity-aware";
  }

  @Override
  public String description() {
    return "complexity-aware training (Bernoulli gates) from the same initialisation, ν searched to the "
        + "others' FLOPs";
  }

  @Override
  public MethodResult apply(TrainedNetwork trained, Split split, double keepFraction, Budget budget,
      long targetFlops) {
    Network dense = trained.network();
    double target = Math.min(1, Math.max(1e-6, targetFlops / (double) dense.flops()));
    int epochs = budget.trainEpochs() + budget.finetuneEpochs();
    TrainingConfig tc = trained.training().withEpochs(epochs);
    ComplexityAwareConfig base = ComplexityAwareConfig.defaults(tc);
    int warmup = Math.min(base.warmupEpochs(), Math.max(0, budget.trainEpochs() - 1));
    ComplexityAwareConfig cfg = base.withRemovalRule(warmup, base.persistence(), base.checkEvery())
        .withSettleEpochs(budget.finetuneEpochs()).withSettleRestart(true);
    NuSearch.Outcome<ComplexityAwareResult> o = NuSearch.search(
        nu -> ComplexityAware.train(trained.initial(), split.train(), cfg.withCost(nu, cfg.alpha(), cfg.beta()),
            null),
        r -> r.network().flops() / (double) r.initialFlops(), target, tolerance, cfg.nu(), maxTrainings);
    ComplexityAwareResult r = o.best().result();
    Network net = r.network();
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("nu", o.best().nu());
    x.put("trainings", o.attempts().size());
    x.put("target_flops_fraction", target);
    x.put("tolerance", tolerance);
    x.put("flops_fraction", o.best().keptFraction());
    x.put("hit", o.hit());
    List<Map<String, Object>> tried = new ArrayList<>();
    for (NuSearch.Attempt<ComplexityAwareResult> a : o.attempts()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("nu", a.nu());
      t.put("flops_fraction", a.keptFraction());
      tried.add(t);
    }
    x.put("attempts", tried);
    String detail = String.format(Locale.ROOT, "ν=%.4g after %d training(s), FLOPs %.3f of dense (target %.3f "
        + "± %.3f%s), %d units and %d blocks removed", o.best().nu(), o.attempts().size(), o.best().keptFraction(),
        target, tolerance, o.hit() ? "" : ", missed", r.unitsRemoved(), r.blocksRemoved());
    return new MethodResult(net, true, net.parameterCount(), net.flops(), budget.finetuneEpochs(), detail, x);
  }
}
