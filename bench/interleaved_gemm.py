#!/usr/bin/env python3
"""Topiary's GEMM against OpenBLAS in alternating short bursts on one core, one ratio per round.

Why: on a shared host the speed of a core changes for seconds at a time (another tenant, the clock). A
JMH fork and a numpy run a minute apart can see different hosts, and their ratio then measures the host.
Here one JVM (dev.topiary.bench.GemmBursts) and this process, both pinned to the same core, take turns:
in each round, for each shape, a burst of OpenBLAS and a burst of Topiary of --burst-ms each (the order
flips every round), and the round's ratio is OpenBLAS's median time per call over Topiary's, that is
Topiary's speed relative to OpenBLAS's a fraction of a second apart. A fork's figure is the median of
its rounds' ratios; a run is --forks fresh JVMs, each warmed up for --warmup-ms per shape (the JIT's
variation between JVMs stays in the spread across forks).

  python3 bench/interleaved_gemm.py --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \\
      --jar bench/target/benchmarks.jar --jvm-args "-XX:UseAVX=2" --coretype HASWELL \\
      --shapes 128x512x512,256x1024x1024 --layout NT --forks 5

Prints one Markdown row per shape: Topiary and OpenBLAS GFLOPS (median over forks of each fork's median)
and the ratio's median, min and max over forks; --json saves every round. OPENBLAS_CORETYPE and the
thread counts are fixed before numpy is imported.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from numpy_sgemm import operands, check, parse_shape


def burst_numpy(product, c, millis):
    """Median seconds per call of product over at least millis ms and 3 calls."""
    times = []
    end = time.perf_counter() + millis / 1e3
    while True:
        t0 = time.perf_counter()
        product(c)
        t1 = time.perf_counter()
        times.append(t1 - t0)
        if t1 >= end and len(times) >= 3:
            return statistics.median(times)


class Jvm:
    """One GemmBursts process."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read()
                raise SystemExit(f"GemmBursts exited before READY:\n{err}")
            if line.startswith("READY"):
                self.ready = line.strip()[6:]
                return

    def burst(self, shape_index, millis):
        self.proc.stdin.write(f"burst {shape_index} {millis}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("GemmBursts exited:\n" + self.proc.stderr.read())
        ns, _calls = line.split()
        return int(ns) / 1e9

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout=30)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--java", default="java")
    ap.add_argument("--jar", required=True, help="bench/target/benchmarks.jar")
    ap.add_argument("--jvm-args", default="", help="HotSpot flags of the ISA, e.g. -XX:UseAVX=2")
    ap.add_argument("--coretype", default=None, help="OPENBLAS_CORETYPE, e.g. HASWELL")
    ap.add_argument("--shapes", default="128x512x512,256x1024x1024")
    ap.add_argument("--layout", default="NT", choices=["NT", "NN", "TN"])
    ap.add_argument("--forks", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--burst-ms", type=int, default=100)
    ap.add_argument("--warmup-ms", type=int, default=3000)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--label", default="", help="first column of the table (the ISA)")
    ap.add_argument("--target", default=None,
                    help="MEDIAN[,MIN]: the ratio targets; adds a column saying whether each row meets them")
    ap.add_argument("--no-header", action="store_true", help="print the table's rows only")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    if args.forks < 1 or args.rounds < 1 or args.burst_ms < 1:
        ap.error("--forks, --rounds and --burst-ms must be positive")

    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    if args.coretype:
        os.environ["OPENBLAS_CORETYPE"] = args.coretype
    os.sched_setaffinity(0, {args.cpu})
    import numpy as np
    rng = np.random.default_rng(42)
    shapes = [parse_shape(s) for s in args.shapes.split(",")]
    peers = []
    for m, n, k in shapes:
        a, b, product = operands(np, args.layout, m, n, k, rng)
        c = np.empty((m, n), dtype=np.float32)
        product(c)
        check(np, args.layout, a, b, c)
        burst_numpy(product, c, args.warmup_ms / 3)
        peers.append((product, c))

    cmd = ["taskset", "-c", str(args.cpu), args.java, "--add-modules", "jdk.incubator.vector",
           "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"] + args.jvm_args.split() + [
           "-cp", args.jar, "dev.topiary.bench.GemmBursts", "--shapes", args.shapes,
           "--layout", args.layout, "--threads", "1", "--warmup-ms", str(args.warmup_ms)]
    record = {"java": args.java, "jvmArgs": args.jvm_args, "coretype": args.coretype,
              "layout": args.layout, "burstMs": args.burst_ms, "forks": []}
    for f in range(args.forks):
        jvm = Jvm(cmd)
        kernels, _, jdk = jvm.ready.rpartition(", JDK ")
        fork = {"kernels": kernels, "jdk": jdk, "shapes": {}}
        rounds = {s: [] for s in range(len(shapes))}
        for r in range(args.rounds):
            for s, (product, c) in enumerate(peers):
                if r % 2 == 0:
                    t_blas = burst_numpy(product, c, args.burst_ms)
                    t_top = jvm.burst(s, args.burst_ms)
                else:
                    t_top = jvm.burst(s, args.burst_ms)
                    t_blas = burst_numpy(product, c, args.burst_ms)
                rounds[s].append((t_top, t_blas))
        jvm.close()
        for s, (m, n, k) in enumerate(shapes):
            flops = 2.0 * m * n * k
            pairs = rounds[s]
            ratios = [tb / tt for tt, tb in pairs]
            fork["shapes"][f"{m}x{n}x{k}"] = {
                "rounds": [{"topiarySeconds": tt, "openblasSeconds": tb} for tt, tb in pairs],
                "ratio": statistics.median(ratios),
                "topiaryGflops": flops / statistics.median(tt for tt, _ in pairs) / 1e9,
                "openblasGflops": flops / statistics.median(tb for _, tb in pairs) / 1e9,
            }
            print(f"fork {f + 1}/{args.forks} {m}x{n}x{k}: ratio {fork['shapes'][f'{m}x{n}x{k}']['ratio']:.3f} "
                  f"(rounds {min(ratios):.2f}-{max(ratios):.2f})", file=sys.stderr)
        record["forks"].append(fork)

    if args.json:
        with open(args.json, "w") as fh:
            json.dump(record, fh, indent=1)
    want = [float(t) for t in args.target.split(",")] if args.target else []
    if not args.no_header:
        print("| ISA | JDK | kernels | layout | M×N×K | Topiary GFLOPS | OpenBLAS GFLOPS | ratio median | min "
              "| max | target |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
    jdk = record["forks"][0].get("jdk", "?")
    for m, n, k in shapes:
        key = f"{m}x{n}x{k}"
        per = [fk["shapes"][key] for fk in record["forks"]]
        ratios = [p["ratio"] for p in per]
        med = statistics.median(ratios)
        verdict = ""
        if want:
            ok = med >= want[0] and (len(want) < 2 or min(ratios) >= want[1])
            verdict = ("≥" + " / ≥".join(f"{w:g}" for w in want)) + (" met" if ok else " MISSED")
        print(f"| {args.label} | {jdk} | {record['forks'][0]['kernels']} | {args.layout} | {key} "
              f"| {statistics.median(p['topiaryGflops'] for p in per):.1f} "
              f"| {statistics.median(p['openblasGflops'] for p in per):.1f} "
              f"| {med:.2f} | {min(ratios):.2f} | {max(ratios):.2f} | {verdict} |")


if __name__ == "__main__":
    main()
