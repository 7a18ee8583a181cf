#!/usr/bin/env python3
"""Tables (and a chart) for the robustness, sensitivity-grid and wall-time runs of the complexity-aware
section of docs/results.md.

    bench/complexity_aware_more.py robust OUT_DIR     # run-complexity-aware.sh OUT_DIR robust
    bench/complexity_aware_more.py sensgrid OUT_DIR   # run-complexity-aware.sh OUT_DIR dense sensgrid
    bench/complexity_aware_more.py walltime OUT_DIR   # run-complexity-aware.sh OUT_DIR walltime

sensgrid also writes OUT_DIR/sensitivity-grid.svg (accuracy against FLOPs removed, one line per α and β
through the ν values), with the plain SVG writer of complexity_aware_tables.py.
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from complexity_aware_tables import find, svg_scatter  # noqa: E402


def load(path):
    with open(path) as f:
        return json.load(f)


def removed(d):
    return 1 - d["flops"] / d.get("initial_flops", d["flops"])


def robust(out):
    print("| start | seed | final widths | test accuracy | dense (same start, seed) | FLOPs removed | ν |")
    print("|---|---:|---|---:|---:|---:|---:|")
    finals = {}
    for start, dense_name in (("lenet300", "mlp300-dense"), ("lenet600", "mlp600-dense")):
        for p in sorted(glob.glob(os.path.join(out, start + "-s*.json"))):
            s = int(re.search(r"-s(\d+)\.json$", p).group(1))
            d = load(p)
            dp = os.path.join(out, f"{dense_name}-s{s}.json")
            dense = f"{load(dp)['test']['accuracy'] * 100:.2f}" if os.path.exists(dp) else ""
            widths = d["topology"].split("-")[1:-1]
            finals.setdefault(start, []).append([int(w) for w in widths])
            nu = d["training"]["complexity_aware"]["nu"]
            first = load(p)["training"]["hidden"]
            print(f"| 784-{'-'.join(map(str, first))}-10 | {s} | 784-**{'-'.join(widths)}**-10 | "
                  f"{d['test']['accuracy'] * 100:.2f} | {dense} | {removed(d) * 100:.1f} % | {nu:g} |")
    print()
    for start, ws in finals.items():
        cols = list(zip(*ws))
        print(start, "mean widths", [f"{statistics.mean(c):.1f} (sd {statistics.stdev(c) if len(c) > 1 else 0:.1f})"
                                     for c in cols])


def sensgrid(out):
    dense = [load(p)["test"]["accuracy"] for p in sorted(glob.glob(os.path.join(out, "dense-s*.json")))]
    rows = []
    for p in sorted(glob.glob(os.path.join(out, "sg-*.json"))):
        m = re.match(r"sg-nu([0-9.]+)-a([0-9.]+)-b([0-9.]+)-s(\d+)$", os.path.basename(p)[:-5])
        d = load(p)
        rows.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), int(m.group(4)), d))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    if dense:
        print(f"dense: {', '.join(f'{a * 100:.2f}' for a in dense)}")
    print("| ν | α | β | final topology | units removed | blocks removed | test accuracy | Δ vs dense | FLOPs removed |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for nu, a, b, s, d in rows:
        delta = f"{(d['test']['accuracy'] - dense[0]) * 100:+.2f}" if dense else ""
        print(f"| {nu:g} | {a:g} | {b:g} | {d['topology']} | {d.get('units_removed', 0)} | "
              f"{d.get('blocks_removed', 0)} | {d['test']['accuracy'] * 100:.2f} | {delta} | {removed(d) * 100:.1f} % |")
    colors = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b"]
    series = []
    for k, (a, b) in enumerate(sorted({(r[1], r[2]) for r in rows})):
        pts = [(removed(d) * 100, d["test"]["accuracy"]) for nu, aa, bb, s, d in rows if (aa, bb) == (a, b)]
        series.append((f"alpha {a:g}, beta {b:g}", pts, colors[k % len(colors)]))
    if series:
        svg_scatter(os.path.join(out, "sensitivity-grid.svg"), series,
                    "FLOPs removed (%); each line joins nu = 0.1, 0.3, 1", "test accuracy (%)",
                    hline=dense[0] if dense else None, xfmt=lambda x: f"{x:.0f}",
                    title="Sensitivity to nu, alpha, beta (new settle rule, 20,000-image subset, seed 1)")


def walltime(out):
    def timed(name):
        p = os.path.join(out, name + ".time")
        if not os.path.exists(p):
            return None
        wall, user = open(p).read().split()[-2:]
        return float(wall), float(user), load(os.path.join(out, name + ".json"))

    variants = {}
    for p in sorted(glob.glob(os.path.join(out, "wt-*-r*.time"))):
        name = os.path.basename(p)[:-5]
        m = re.match(r"wt-(.+)-r(\d+)$", name)
        if m and m.group(2) != "0":
            variants.setdefault(m.group(1), []).append(timed(name))
    print("| command | rounds | wall s (median, min..max) | user CPU s (median, min..max) | training s in JSON (median) "
          "| test accuracy | FLOPs removed |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    med, medu = {}, {}
    for v, rs in variants.items():
        walls = [r[0] for r in rs]
        users = [r[1] for r in rs]
        d = rs[0][2]
        secs = [r[2]["training"]["seconds"] if r[2].get("command") == "train" else None for r in rs]
        if d.get("command") == "train":
            acc, rem = d["test"]["accuracy"], removed(d)
        else:
            acc = find(d, "test_after") or find(d, "finetuned")
            if isinstance(acc, dict):
                acc = acc.get("accuracy")
            rem = 1 - find(d, "flops_after") / find(d, "flops_before")
        med[v] = statistics.median(walls)
        medu[v] = statistics.median(users)
        sec = f"{statistics.median(secs):.1f}" if None not in secs else ""
        print(f"| {v} | {len(rs)} | {med[v]:.1f} ({min(walls):.1f}..{max(walls):.1f}) | "
              f"{statistics.median(users):.1f} ({min(users):.1f}..{max(users):.1f}) | {sec} | "
              f"{acc * 100:.2f} | {rem * 100:.1f} % |")
    for name in ("wt-dense-r0", "wt-auto-r0", "wt-ca-search-auto"):
        r = timed(name)
        if r:
            print(name, "wall", r[0], "search" if "search" in name else "", json.dumps(find(r[2], "nu_search"))[:300])
    for pruned, ca in (("ratio", "ca-ratio"), ("auto", "ca-auto")):
        if {"dense", pruned, ca} <= med.keys():
            # Per round (the variants of a round ran one after another), then median and range.
            rounds = list(zip(variants["dense"], variants[pruned], variants[ca]))
            for i, label in ((0, "wall"), (1, "user CPU")):
                rs = [(d[i] + p[i]) / c[i] for d, p, c in rounds]
                print(f"dense + prune {pruned} / complexity-aware at its FLOPs, {label}: median "
                      f"{statistics.median(rs):.2f}x ({min(rs):.2f}..{max(rs):.2f})")


if __name__ == "__main__":
    {"robust": robust, "sensgrid": sensgrid, "walltime": walltime}[sys.argv[1]](sys.argv[2])
