#!/usr/bin/env python3
"""Turns JMH JSON results (java -jar benchmarks.jar ... -rf json) into Markdown tables with the derived
figures the benchmarks leave out: GFLOPS = 2 m n k / time for GEMM, GB/s = 4 rows cols / time for the
column moments, elements per second for the activations.

  jmh_summary.py gemm --run 'JDK 17=jmh17.json:env17.json' [--run ...] [--numpy numpy.json ...]
  jmh_summary.py moments jmh.json
  jmh_summary.py activations jmh.json

gemm prints one table, a row per JDK, layout and shape: Topiary in the fork with the Vector API module
(whatever implementation that JVM selected, named in the header), Topiary forced to scalar, EJML,
netlib-java and numpy/OpenBLAS, in GFLOPS, then the ratios of Topiary to each. The env file is the
output of dev.topiary.bench.BenchEnvironment run with the flags of the benchmark forks.
"""

import argparse
import json
import sys

SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def seconds_per_op(result):
    metric = result["primaryMetric"]
    unit = metric["scoreUnit"]
    if unit not in SECONDS:
        raise SystemExit(f"{result['benchmark']}: expected a time per operation, found {unit}")
    return metric["score"] * SECONDS[unit]


def relative_error(result):
    """Spread of the measurement iterations, (max - min) / median over all forks; None for one."""
    raw = [x for fork in result["primaryMetric"].get("rawData", []) for x in fork]
    if len(raw) < 2:
        return None
    raw.sort()
    return (raw[-1] - raw[0]) / raw[len(raw) // 2]


def short_name(result):
    cls, method = result["benchmark"].split(".")[-2:]
    return cls, method


def shape_flops(shape):
    m, n, k = (int(x) for x in shape.split("x"))
    return 2.0 * m * n * k


def fmt(x, digits=None):
    if x is None:
        return "–"
    if digits is None:
        digits = 2 if x < 10 else 1
    return f"{x:.{digits}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def shape_key(shape):
    return tuple(int(x) for x in shape.split("x"))


def gemm(args):
    rows = {}     # (label, layout, shape) -> {column: gflops}
    envs = []
    labels = []
    threads_seen = set()
    for spec in args.run:
        label, _, files = spec.partition("=")
        jmh_file, _, env_file = files.partition(":")
        labels.append(label)
        env = json.load(open(env_file)) if env_file else {}
        envs.append((label, env))
        for r in json.load(open(jmh_file)):
            cls, method = short_name(r)
            p = r["params"]
            if "shape" not in p or "layout" not in p:
                continue
            threads = int(p.get("threads", "1"))
            column = {
                ("GemmBenchmark", "vector"): "ours",
                ("GemmBenchmark", "scalar"): "scalar",
                ("EjmlGemmBenchmark", "ejml"): "ejml",
                ("NetlibGemmBenchmark", "netlib"): "netlib",
            }.get((cls, method))
            if column is None:
                continue
            if column == "ours" and threads != 1:
                column = f"ours{threads}"
                threads_seen.add(threads)
            elif threads != 1:
                continue
            gflops = shape_flops(p["shape"]) / seconds_per_op(r) / 1e9
            cell = rows.setdefault((label, p["layout"], p["shape"]), {})
            cell[column] = gflops
            spread = relative_error(r)
            if spread is not None:
                cell["spread"] = max(cell.get("spread", 0.0), spread)
    numpy_env = None
    openblas = {}  # (layout, shape, threads) -> gflops
    for f in args.numpy or []:
        doc = json.load(open(f))
        numpy_env = doc["environment"]
        t = int(doc["environment"]["threads"])
        for r in doc["results"]:
            openblas[(r["layout"], r["shape"], t)] = r["gflopsBest"]
    # OpenBLAS forced to its AVX-512 kernels: on CPUs it does not recognise as AVX-512 capable (AMD
    # Zen 4/5) its default dispatch picks the AVX2 kernels, which would flatter everyone compared to it.
    avx512 = {}
    avx512_env = None
    if args.numpy_avx512:
        doc = json.load(open(args.numpy_avx512))
        avx512_env = doc["environment"]
        for r in doc["results"]:
            avx512[(r["layout"], r["shape"])] = r["gflopsBest"]

    out = []
    for label, env in envs:
        if env:
            vec = f", {env['vectorBitSize']}-bit" if env.get("vectorBitSize") else ""
            out.append(f"- **{label}**: {env.get('javaVendor', '?')} {env.get('javaVersion', '?')} "
                       f"({env.get('vm', '?')}); Topiary kernels selected with the Vector API module: "
                       f"**{env.get('kernels', '?')}**{vec}; netlib JavaBLAS instance: "
                       f"{env.get('netlib', '?')}; {env.get('processors', '?')} processors")
    if numpy_env:
        out.append(f"- **OpenBLAS**: numpy {numpy_env['numpy']} ({numpy_env['blas']}), best of N runs, "
                   f"kernels: {numpy_env.get('coretype', 'default dispatch')}")
    if avx512_env:
        out.append(f"- **OpenBLAS AVX-512**: the same library with OPENBLAS_CORETYPE="
                   f"{avx512_env.get('coretype')}, its AVX-512 kernels")
    out.append("")
    extra = sorted(threads_seen)
    head = ["JDK", "layout", "M×N×K", "Topiary (auto)", "Topiary (scalar)", "EJML", "netlib", "OpenBLAS"]
    if avx512:
        head += ["OpenBLAS AVX-512"]
    head += [f"Topiary {t}T" for t in extra] + [f"OpenBLAS {t}T" for t in extra]
    head += ["ours/OpenBLAS"] + (["ours/OpenBLAS AVX-512"] if avx512 else [])
    head += ["ours/scalar", "ours/EJML", "ours/netlib", "spread"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|")
    order = {l: i for i, l in enumerate(labels)}
    layouts = {"NT": 0, "NN": 1, "TN": 2}
    for key in sorted(rows, key=lambda k: (order[k[0]], layouts.get(k[1], 9), shape_key(k[2]))):
        label, layout, shape = key
        v = rows[key]
        ob = openblas.get((layout, shape, 1))
        ours = v.get("ours")
        ob512 = avx512.get((layout, shape))
        cells = [label, layout, shape, fmt(ours), fmt(v.get("scalar")), fmt(v.get("ejml")),
                 fmt(v.get("netlib")), fmt(ob)] + ([fmt(ob512)] if avx512 else [])
        cells += [fmt(v.get(f"ours{t}")) for t in extra]
        cells += [fmt(openblas.get((layout, shape, t))) for t in extra]
        cells += [fmt(ratio(ours, ob), 2)] + ([fmt(ratio(ours, ob512), 2)] if avx512 else [])
        cells += [fmt(ratio(ours, v.get("scalar")), 2),
                  fmt(ratio(ours, v.get("ejml")), 2), fmt(ratio(ours, v.get("netlib")), 2),
                  "–" if "spread" not in v else f"{100 * v['spread']:.0f} %"]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("GFLOPS = 2·M·N·K / time, single thread unless marked nT; ratios > 1 mean Topiary is faster. "
               "Spread is the worst, over the row's JMH benchmarks, of (slowest − fastest) / median "
               "measurement iteration: where it is large the machine was busy and the row says little.")
    print("\n".join(out))


def moments(args):
    pairs = {}
    for r in json.load(open(args.jmh)):
        cls, method = short_name(r)
        if cls != "MomentsBenchmark":
            continue
        rows_, cols = (int(x) for x in r["params"]["shape"].split("x"))
        gbs = 4.0 * rows_ * cols / seconds_per_op(r) / 1e9
        pairs.setdefault(r["params"]["shape"], {})[method] = gbs
    print("| rows×cols | ColumnMoments GB/s | sumColumns GB/s | moments/sum |")
    print("|---|---:|---:|---:|")
    for shape in sorted(pairs, key=shape_key):
        v = pairs[shape]
        print(f"| {shape} | {fmt(v.get('columnMoments'))} | {fmt(v.get('sumColumns'))} | "
              f"{fmt(ratio(v.get('columnMoments'), v.get('sumColumns')), 2)} |")


def activations(args):
    print("| activation | n | forward Gelem/s | backward Gelem/s |")
    print("|---|---:|---:|---:|")
    table = {}
    for r in json.load(open(args.jmh)):
        cls, method = short_name(r)
        if cls != "ActivationBenchmark":
            continue
        n = int(r["params"]["n"])
        table.setdefault((r["params"]["activation"], n), {})[method] = n / seconds_per_op(r) / 1e9
    for (act, n) in sorted(table):
        v = table[(act, n)]
        print(f"| {act} | {n} | {fmt(v.get('forward'))} | {fmt(v.get('backward'))} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    g = sub.add_parser("gemm")
    g.add_argument("--run", action="append", required=True, metavar="LABEL=JMH.json[:ENV.json]")
    g.add_argument("--numpy", action="append", metavar="NUMPY.json")
    g.add_argument("--numpy-avx512", metavar="NUMPY.json",
                   help="a single-thread numpy run with OPENBLAS_CORETYPE set to an AVX-512 core")
    g.set_defaults(fn=gemm)
    m = sub.add_parser("moments")
    m.add_argument("jmh")
    m.set_defaults(fn=moments)
    a = sub.add_parser("activations")
    a.add_argument("jmh")
    a.set_defaults(fn=activations)
    args = ap.parse_args(argv)
    args.fn(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
