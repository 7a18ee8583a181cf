#!/usr/bin/env python3
"""Tables and charts for the complexity-aware section of docs/results.md.

    bench/complexity_aware_tables.py OUT_DIR

Reads the JSON files bench/run-complexity-aware.sh wrote to OUT_DIR, prints Markdown tables, and writes
OUT_DIR/accuracy-vs-flops.svg and OUT_DIR/sensitivity.svg (plain SVG, no plotting library needed).
"""
import glob
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def train_row(name, d):
    return {
        "run": name,
        "topology": d["topology"],
        "acc": d["test"]["accuracy"],
        "flops": d["flops"],
        "flops0": d.get("initial_flops", d["flops"]),
        "params": d["parameters"],
        "units": d.get("units_removed", 0),
        "blocks": d.get("blocks_removed", 0),
        "seconds": d["training"]["seconds"],
    }


def find(obj, key):
    """The first value of key anywhere in a nested JSON object."""
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        for v in obj.values():
            r = find(v, key)
            if r is not None:
                return r
    elif isinstance(obj, list):
        for v in obj:
            r = find(v, key)
            if r is not None:
                return r
    return None


def svg_scatter(path, series, xlabel, ylabel, hline=None, title="", xfmt=lambda x: f"{x/1000:.0f}k"):
    w, h, m = 640, 420, 60
    xs = [x for _, pts, _ in series for x, _ in pts]
    ys = [y for _, pts, _ in series for _, y in pts] + ([hline] if hline else [])
    x0, x1 = 0, max(xs) * 1.05
    y0, y1 = min(ys) - 0.005, max(ys) + 0.005
    sx = lambda x: m + (x - x0) / (x1 - x0) * (w - 2 * m)
    sy = lambda y: h - m - (y - y0) / (y1 - y0) * (h - 2 * m)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w/2}" y="20" text-anchor="middle" font-size="14">{title}</text>',
           f'<line x1="{m}" y1="{h-m}" x2="{w-m}" y2="{h-m}" stroke="black"/>',
           f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h-m}" stroke="black"/>',
           f'<text x="{w/2}" y="{h-15}" text-anchor="middle">{xlabel}</text>',
           f'<text x="15" y="{h/2}" text-anchor="middle" transform="rotate(-90 15 {h/2})">{ylabel}</text>']
    for i in range(6):
        xv = x0 + (x1 - x0) * i / 5
        yv = y0 + (y1 - y0) * i / 5
        out.append(f'<text x="{sx(xv)}" y="{h-m+15}" text-anchor="middle">{xfmt(xv)}</text>')
        out.append(f'<text x="{m-5}" y="{sy(yv)+4}" text-anchor="end">{yv*100:.1f}</text>')
    if hline:
        out.append(f'<line x1="{m}" y1="{sy(hline)}" x2="{w-m}" y2="{sy(hline)}" stroke="gray" stroke-dasharray="4"/>')
        out.append(f'<text x="{w-m}" y="{sy(hline)-4}" text-anchor="end" fill="gray">dense</text>')
    for k, (label, pts, color) in enumerate(series):
        pts = sorted(pts)
        if len(pts) > 1:
            d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
            out.append(f'<polyline points="{d}" fill="none" stroke="{color}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{color}"/>')
        out.append(f'<rect x="{w-m-150}" y="{m+k*18-10}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{w-m-135}" y="{m+k*18}">{label}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    out = sys.argv[1]
    rows = {}
    for p in sorted(glob.glob(os.path.join(out, "*.json"))):
        name = os.path.basename(p)[:-5]
        d = load(p)
        if d.get("command") == "train":
            rows[name] = train_row(name, d)
        else:
            model = os.path.join(out, name + ".safetensors")
            acc = find(d, "test_after")
            if acc is None:
                acc = find(d, "finetuned")
            flops = find(d, "flops_after")
            rows[name] = {"run": name, "acc": acc, "flops": flops, "seconds": find(d, "seconds"),
                          "topology": find(d, "topology_after") or "", "raw": d}
    print("| run | topology | test accuracy | FLOPs | FLOPs removed | units removed | blocks removed | training s |")
    print("|---|---|---|---|---|---|---|---|")
    dense = {n: r for n, r in rows.items() if n.startswith("dense")}
    f0 = next(iter(dense.values()))["flops"] if dense else None
    for n, r in rows.items():
        if "flops0" not in r:
            continue
        removed = 1 - r["flops"] / r["flops0"]
        print(f"| {n} | {r['topology']} | {r['acc']*100:.2f} | {r['flops']:,} | {removed*100:.0f} % | "
              f"{r['units']} | {r['blocks']} | {r['seconds']:.0f} |")
    print()
    for n, r in rows.items():
        if "raw" in r:
            print(n, "accuracy", r["acc"], "flops", r["flops"], "seconds", r["seconds"])
    colors = {"joint": "#1f77b4", "units": "#2ca02c", "blocks": "#d62728", "variance": "#9467bd", "l2-both": "#ff7f0e"}
    series = []
    for fam, color in colors.items():
        pts = [(r["flops"], r["acc"]) for n, r in rows.items()
               if n.startswith(fam + "-") and r.get("flops") and r.get("acc") is not None]
        if pts:
            series.append((fam, pts, color))
    if series:
        svg_scatter(os.path.join(out, "accuracy-vs-flops.svg"), series, "FLOPs per example",
                    "test accuracy (%)", hline=next(iter(dense.values()))["acc"] if dense else None,
                    title="Fashion-MNIST, residual MLP: accuracy against FLOPs")
    sens = [(fam, [(r["flops"], r["acc"]) for n, r in rows.items() if n.startswith(fam)], c)
            for fam, c in (("alpha0.2", "#2ca02c"), ("alpha0.8", "#d62728"), ("beta0-", "#9467bd"),
                           ("beta1-", "#ff7f0e"), ("joint-nu", "#1f77b4"))]
    sens = [s for s in sens if s[1]]
    if sens:
        svg_scatter(os.path.join(out, "sensitivity.svg"), sens, "FLOPs per example", "test accuracy (%)",
                    hline=next(iter(dense.values()))["acc"] if dense else None,
                    title="Sensitivity to nu, alpha, beta")


if __name__ == "__main__":
    main()
