#!/usr/bin/env python3
"""Turns the reports of bench/run-odf2nna-selection.sh into the Markdown tables of docs/results.md.

    python3 bench/odf2nna_selection_tables.py OUT
"""
import glob
import json
import os
import re
import statistics
import sys


def load(path):
    """The report, or None while its run is still writing it."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def mean_sd(xs):
    if not xs:
        return float("nan"), float("nan")
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def main(out):
    runs = {}
    for p in sorted(glob.glob(os.path.join(out, "*-s*.train.json"))):
        m = re.match(r"(.*)-s(\d+)\.train\.json$", os.path.basename(p))
        name, seed = m.group(1), int(m.group(2))
        entry = {"train": load(p)}
        if entry["train"] is None:
            continue
        for v in ("default", "one-shot", "l2-both"):
            f = os.path.join(out, f"{name}-s{seed}.{v}.json")
            if os.path.exists(f) and load(f) is not None:
                entry[v] = load(f)
        runs.setdefault(name, {})[seed] = entry

    scale = lambda metric: 100.0 if metric == "accuracy" else 1.0
    print("| data set | training rows | test rows | metric | seeds | params removed (mean ± sd) | original | fine-tuned | "
          "mean change | worst run | speed-up b256 (lowest seed) | targets |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, seeds in runs.items():
        ok = [s for s in seeds.values() if "default" in s]
        if not ok:
            continue
        metric = ok[0]["default"]["metric"]
        rows = ok[0]["train"]["split"]["train"]
        removed = [100 * s["default"]["parameters_removed"] for s in ok]
        orig = [s["default"]["test"]["original"] for s in ok]
        tuned = [s["default"]["test"]["finetuned"] for s in ok]
        change = [t - o for o, t in zip(orig, tuned)]
        rm, rsd = mean_sd(removed)
        k = scale(metric)
        unit = " pts" if metric == "accuracy" else ""
        first = ok[0]["default"]
        speed = "—"
        for lat in first.get("latency", []):
            if lat["batch"] == 256:
                e = lat["speedup_estimate"]
                speed = ("no measurable change" if e["verdict"] == "no_measurable_change"
                         else f"{e['median']:.2f}× ({e['low']:.2f}–{e['high']:.2f})")
                if e.get("note"):
                    speed += f", beyond the {e['flops_ratio']:.1f}× FLOPs ratio (flagged)"
        limit_mean = 0.5 if metric == "accuracy" else 0.01
        limit_run = 2.0 if metric == "accuracy" else 0.02
        misses = []
        # 1e-9: a loss of exactly one row in 50 is 2 points, not more than 2.
        if statistics.mean(change) * k < -limit_mean - 1e-9:
            misses.append("mean loss")
        if min(change) * k < -limit_run - 1e-9:
            misses.append("run loss")
        if rm < 70:
            misses.append("< 70 % removed")
        if rows >= 1000 and len(removed) > 1 and rsd > 15:
            misses.append("sd > 15")
        guards = [s["default"].get("selection", {}).get("guard") for s in ok]
        if any(guards):
            misses.append("guard")
        test_rows = ok[0]["train"]["split"].get("test", 0)
        print(f"| {name} | {rows:,} | {test_rows:,} | {metric} | {len(ok)} | {rm:.1f} % ± {rsd:.1f} | "
              f"{statistics.mean(orig):.4f} | {statistics.mean(tuned):.4f} | {statistics.mean(change) * k:+.2f}{unit} | "
              f"{min(change) * k:+.2f}{unit} | {speed} | {'met' if not misses else 'missed: ' + ', '.join(misses)} |")

    print()
    print("| data set | iterative: removed / fine-tuned | one-shot: removed / fine-tuned | "
          "l2-both at the iterative run's kept share: removed / fine-tuned | original |")
    print("|---|---:|---:|---:|---:|")
    for name, seeds in runs.items():
        if not any(v in s for s in seeds.values() for v in ("default", "one-shot", "l2-both")):
            continue
        cols = []
        for v in ("default", "one-shot", "l2-both"):
            vals = [s[v] for s in seeds.values() if v in s]
            if not vals:
                cols.append("—")
                continue
            r = statistics.mean(100 * x["parameters_removed"] for x in vals)
            t = statistics.mean(x["test"]["finetuned"] for x in vals)
            cols.append(f"{r:.1f} % / {t:.4f} ({len(vals)})")
        orig = [s["default"]["test"]["original"] for s in seeds.values() if "default" in s]
        print(f"| {name} | {' | '.join(cols)} | {statistics.mean(orig):.4f} |" if orig else f"| {name} | {' | '.join(cols)} | — |")


if __name__ == "__main__":
    main(sys.argv[1])
