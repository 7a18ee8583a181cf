#!/usr/bin/env python3
"""The FLOPs-matched table of the complexity-aware section of docs/results.md.

    bench/complexity_aware_matched.py OUT_DIR

Reads the dense-s*, dense7-s* and m-*-s* JSON files `bench/run-complexity-aware.sh OUT_DIR dense matched`
wrote, and prints one Markdown row per method (mean and sample standard deviation over the seeds of test
accuracy and FLOPs removed, the accuracy change against the dense network of the same seed trained for
EPOCHS and for EPOCHS+1) and one row per run.
"""
import glob
import json
import os
import re
import statistics
import sys


def find(o, k):
    if isinstance(o, dict):
        if k in o:
            return o[k]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v, k)
            if r is not None:
                return r
    return None


def run(path):
    d = json.load(open(path))
    if d.get("command") == "train":
        f0 = d.get("initial_flops", d["flops"])
        nu = find(d, "nu")
        search = find(d, "nu_search")
        return {"acc": d["test"]["accuracy"], "removed": 1 - d["flops"] / f0, "topology": d["topology"],
                "nu": nu, "hit": None if search is None else search["hit"],
                "trainings": None if search is None else search["trainings"]}
    acc = find(d, "test_after")
    if acc is None:
        acc = find(d, "finetuned")
    if isinstance(acc, dict):
        acc = acc.get("accuracy")
    return {"acc": acc, "removed": 1 - find(d, "flops_after") / find(d, "flops_before"),
            "topology": find(d, "topology_after") or "", "nu": None, "hit": None, "trainings": None}


def main(out):
    runs = {}
    for p in sorted(glob.glob(os.path.join(out, "*.json"))):
        m = re.match(r"(dense7?|m-[a-z0-9-]+?)-s(\d+)$", os.path.basename(p)[:-5])
        if m:
            runs.setdefault(m.group(1), {})[int(m.group(2))] = run(p)
    dense = runs.get("dense", {})
    names = {"dense": "dense, EPOCHS", "dense7": "dense, EPOCHS+1", "m-joint": "joint (units + blocks)",
             "m-units": "unit-only", "m-blocks": "block-only", "m-variance": "ODF2NNA + fine-tune",
             "m-l2-both": "`l2-both` + fine-tune"}
    dense7 = runs.get("dense7", {})
    print("| method | seeds | test accuracy (mean ± sd) | Δ vs dense (mean, min..max) | Δ vs dense EPOCHS+1 (mean, min..max) "
          "| FLOPs removed (mean, min..max) |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in ["dense", "dense7", "m-variance", "m-l2-both", "m-joint", "m-units", "m-blocks"]:
        if key not in runs:
            continue
        seeds = sorted(runs[key])
        accs = [runs[key][s]["acc"] * 100 for s in seeds]
        deltas = [runs[key][s]["acc"] * 100 - dense[s]["acc"] * 100 for s in seeds if s in dense]
        deltas7 = [runs[key][s]["acc"] * 100 - dense7[s]["acc"] * 100 for s in seeds if s in dense7] or [0.0]
        rem = [runs[key][s]["removed"] * 100 for s in seeds]
        sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
        print(f"| {names.get(key, key)} | {len(seeds)} | {statistics.mean(accs):.2f} ± {sd:.2f} | "
              f"{statistics.mean(deltas):+.2f} ({min(deltas):+.2f}..{max(deltas):+.2f}) | "
              f"{statistics.mean(deltas7):+.2f} ({min(deltas7):+.2f}..{max(deltas7):+.2f}) | "
              f"{statistics.mean(rem):.1f} % ({min(rem):.1f}..{max(rem):.1f}) |")
    print()
    print("| run | seed | test accuracy | FLOPs removed | ν | search | final topology |")
    print("|---|---:|---:|---:|---:|---|---|")
    for key in sorted(runs):
        for s in sorted(runs[key]):
            r = runs[key][s]
            search = "" if r["hit"] is None else f"{'hit' if r['hit'] else 'missed'} in {r['trainings']}"
            nu = "" if r["nu"] is None else f"{r['nu']:.4g}"
            print(f"| {names.get(key, key)} | {s} | {r['acc'] * 100:.2f} | {r['removed'] * 100:.1f} % | {nu} | "
                  f"{search} | {r['topology']} |")


if __name__ == "__main__":
    main(sys.argv[1])
