#!/usr/bin/env python3
"""The table of bench/run-isa-matrix.sh: Topiary's GEMM per ISA and JDK against OpenBLAS on the same ISA.

Each --run is "ISA|LABEL|TOPIARY_JSON|SCALAR_JSON|NUMPY_JSON": the JMH results of the vector kernels
(several forks), of the plain-Java kernels, and numpy_sgemm.py's results with OPENBLAS_CORETYPE set to
the same ISA. For every shape and layout it prints Topiary's GFLOPS as min / median / max over the
forks (each fork's figure is the mean of its measured iterations), OpenBLAS's median, the ratios
median/OpenBLAS and min/OpenBLAS, the scalar kernels' GFLOPS, and whether the issue's target is met.

Paired runs (run-isa-matrix.sh --paired): TOPIARY_JSON and NUMPY_JSON are comma-separated lists of the
same length, one JMH fork and one OpenBLAS measurement per round, taken back to back. Each round gives
one ratio, Topiary's fork over the OpenBLAS figure beside it, and the table reports the median and the
minimum of those ratios (OpenBLAS's column is then the median over rounds). On a host whose speed drifts
over minutes this compares like with like; one OpenBLAS figure for all forks does not.
"""

import argparse
import json
import statistics
import sys

# ISA: (minimum median ratio, minimum worst-fork ratio or None)
TARGETS = {
    "avx512": (0.9, 0.85),
    "avx2": (0.9, 0.85),
    "v128": (0.7, None),
    "sse": (0.5, None),
    "avx-nofma": (0.5, None),
    "nofma": (0.5, None),
}


def flops(shape):
    m, n, k = (int(x) for x in shape.split("x"))
    return 2.0 * m * n * k


def jmh_forks(path):
    """{(shape, layout): [GFLOPS of each fork]} from a JMH JSON file with time per operation in us."""
    out = {}
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return out
    for r in doc:
        p = r["params"]
        key = (p["shape"], p["layout"])
        unit = r["primaryMetric"]["scoreUnit"]
        scale = {"us/op": 1e-6, "ms/op": 1e-3, "ns/op": 1e-9, "s/op": 1.0}[unit]
        per_fork = [statistics.mean(it) * scale for it in r["primaryMetric"]["rawData"]]
        out[key] = [flops(p["shape"]) / t / 1e9 for t in per_fork]
    return out


def numpy_results(path):
    with open(path) as f:
        doc = json.load(f)
    return {(r["shape"], r["layout"]): r["gflopsMedian"] for r in doc["results"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", action="append", required=True, metavar="ISA|LABEL|JMH|SCALAR|NUMPY")
    args = ap.parse_args(argv)
    print("| ISA | JDK | layout | M×N×K | Topiary GFLOPS min / median / max | OpenBLAS | median ratio "
          "| min ratio | target | scalar | ×scalar |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    met = failed = 0
    for run in args.run:
        isa, label, vec_path, scalar_path, numpy_path = run.split("|")
        vec_paths = vec_path.split(",")
        numpy_paths = numpy_path.split(",")
        paired = len(vec_paths) > 1
        if paired and len(vec_paths) != len(numpy_paths):
            raise SystemExit(f"paired run {label}: {len(vec_paths)} JMH files, {len(numpy_paths)} numpy files")
        rounds = [jmh_forks(v) for v in vec_paths]
        blas_rounds = [numpy_results(n) for n in numpy_paths]
        vec = {}
        for r in rounds:
            for key, g in r.items():
                vec.setdefault(key, []).extend(g)
        scalar = jmh_forks(scalar_path)
        blas = {key: statistics.median([b[key] for b in blas_rounds if key in b])
                for key in {k for b in blas_rounds for k in b}}
        # The ISA may carry the extra JVM arguments of the run after a space (--jvm-args).
        want_median, want_min = TARGETS.get(isa.split(" ")[0], (None, None))
        for key in sorted(vec, key=lambda k: (k[1], k[0])):
            g = vec[key]
            lo, med, hi = min(g), statistics.median(g), max(g)
            ob = blas.get(key)
            if paired:
                ratios = [r[key][0] / b[key] for r, b in zip(rounds, blas_rounds) if key in r and key in b]
                r_med = statistics.median(ratios) if ratios else float("nan")
                r_min = min(ratios) if ratios else float("nan")
            else:
                r_med = med / ob if ob else float("nan")
                r_min = lo / ob if ob else float("nan")
            ok = ob is not None and want_median is not None and r_med >= want_median \
                and (want_min is None or r_min >= want_min)
            sc = statistics.median(scalar[key]) if key in scalar else None
            ok = ok and (sc is None or lo >= sc)
            met += ok
            failed += not ok
            target = f"≥{want_median}" + (f" / ≥{want_min}" if want_min else "")
            fmt = lambda x: f"{x:.1f}" if x else "–"
            vs_scalar = f"{med / sc:.1f}" if sc else "–"
            print(f"| {isa} | {label} | {key[1]} | {key[0]} | {lo:.1f} / {med:.1f} / {hi:.1f} ({len(g)} forks{', paired' if paired else ''}) "
                  f"| {fmt(ob)} | {r_med:.2f} | {r_min:.2f} | {target} {'met' if ok else 'MISSED'} "
                  f"| {fmt(sc)} | {vs_scalar} |")
    print()
    print(f"{met} rows meet their target, {failed} do not.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
