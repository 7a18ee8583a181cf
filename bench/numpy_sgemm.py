#!/usr/bin/env python3
"""The OpenBLAS peer of GemmBenchmark: numpy float32 matmul on the same shapes and layouts.

Layouts are the row-major ones of Topiary's kernels, C[m x n] = op(A) op(B):
  NT  A[m x k], B[n x k]   C = A @ B.T   (dense forward, Y = X W^T)
  NN  A[m x k], B[k x n]   C = A @ B     (input gradient, dX = dY W)
  TN  A[k x m], B[k x n]   C = A.T @ B   (weight gradient, dW = dY^T X)
The transposes are views, so numpy hands them to sgemm as transpose flags without copying. Each product
writes into a preallocated C (out=), as the Java benchmarks do.

Timing: after a warm-up, each timed run repeats the product enough times to last at least --min-time
seconds; the best run of --repeats is reported (the least disturbed by other work on the machine), with
the median beside it. GFLOPS = 2 m n k / time.

The thread count must be fixed before numpy loads OpenBLAS, which is why numpy is imported inside main().
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

DEFAULT_SHAPES = ("1x1024x1024,32x256x256,32x1024x1024,128x512x512,128x1024x1024,256x64x64,"
                  "256x256x256,256x512x512,256x1024x1024,256x64x1024,256x1024x64,127x257x509")


def parse_shape(s):
    parts = s.strip().lower().split("x")
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise argparse.ArgumentTypeError(f"shape must be MxNxK with positive sizes, found '{s}'")
    return tuple(int(p) for p in parts)


def operands(np, layout, m, n, k, rng):
    """A, B as stored for the layout, and a function computing C = op(A) op(B) into c."""
    def rand(r, c):
        return (rng.random((r, c), dtype=np.float32) * 2 - 1).astype(np.float32)
    if layout == "NT":
        a, b = rand(m, k), rand(n, k)
        return a, b, lambda c: np.matmul(a, b.T, out=c)
    if layout == "NN":
        a, b = rand(m, k), rand(k, n)
        return a, b, lambda c: np.matmul(a, b, out=c)
    if layout == "TN":
        a, b = rand(k, m), rand(k, n)
        return a, b, lambda c: np.matmul(a.T, b, out=c)
    raise ValueError(layout)


def check(np, layout, a, b, c):
    """The product is right: compare against float64 (same check as GemmProblem.verify)."""
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    op_a = a64.T if layout == "TN" else a64
    op_b = b64.T if layout == "NT" else b64
    ref = op_a @ op_b
    scale = np.abs(op_a) @ np.abs(op_b)
    if not np.all(np.abs(c - ref) <= 1e-4 * scale + 1e-6):
        raise SystemExit(f"numpy computed a wrong {layout} product")


def time_product(product, c, min_time, repeats):
    # Warm-up: first touch of C, OpenBLAS buffers and thread start-up.
    t_end = time.perf_counter() + max(0.2, min_time)
    calls = 0
    while time.perf_counter() < t_end or calls < 3:
        product(c)
        calls += 1
    # Calibrate the repetitions per timed run so that each lasts at least min_time.
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            product(c)
        dt = time.perf_counter() - t0
        if dt >= min_time:
            break
        reps = max(reps * 2, int(reps * min_time / max(dt, 1e-9) * 1.2))
    per_op = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(reps):
            product(c)
        per_op.append((time.perf_counter() - t0) / reps)
    return min(per_op), statistics.median(per_op), reps


def openblas_info(np):
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '?')}"
    except Exception:  # older numpy: no dict mode
        return "unknown"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shapes", default=DEFAULT_SHAPES,
                    help="comma-separated MxNxK list (default: the GemmBenchmark shapes)")
    ap.add_argument("--layouts", default="NT,NN,TN", help="comma-separated subset of NT,NN,TN")
    ap.add_argument("--threads", type=int, default=1, help="OPENBLAS_NUM_THREADS (default 1)")
    ap.add_argument("--repeats", type=int, default=7, help="timed runs per case; the best is reported")
    ap.add_argument("--min-time", type=float, default=0.1, help="seconds each timed run lasts at least")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON ('-' for stdout)")
    args = ap.parse_args(argv)

    if args.threads < 1 or args.repeats < 1 or args.min_time <= 0:
        ap.error("--threads and --repeats must be >= 1 and --min-time > 0")
    try:
        shapes = [parse_shape(s) for s in args.shapes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as e:
        ap.error(str(e))
    layouts = [l.strip().upper() for l in args.layouts.split(",") if l.strip()]
    for l in layouts:
        if l not in ("NT", "NN", "TN"):
            ap.error(f"layout must be NT, NN or TN, found '{l}'")

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import numpy as np

    rng = np.random.default_rng(42)
    results = []
    for layout in layouts:
        for (m, n, k) in shapes:
            a, b, product = operands(np, layout, m, n, k, rng)
            c = np.empty((m, n), dtype=np.float32)
            product(c)
            check(np, layout, a, b, c)
            best, median, reps = time_product(product, c, args.min_time, args.repeats)
            flops = 2.0 * m * n * k
            results.append({
                "shape": f"{m}x{n}x{k}", "layout": layout, "m": m, "n": n, "k": k,
                "bestSeconds": best, "medianSeconds": median, "repsPerRun": reps,
                "gflopsBest": flops / best / 1e9, "gflopsMedian": flops / median / 1e9,
            })

    env = {
        "numpy": np.__version__, "blas": openblas_info(np), "threads": args.threads,
        "python": platform.python_version(), "machine": platform.machine(),
        "coretype": os.environ.get("OPENBLAS_CORETYPE") or "default dispatch",
    }
    out = sys.stderr if args.json == "-" else sys.stdout
    print(f"numpy {env['numpy']} ({env['blas']}), OPENBLAS_NUM_THREADS={args.threads}, "
          f"kernels: {env['coretype']}", file=out)
    print(f"{'layout':6} {'shape':>14} {'best ms':>10} {'median ms':>10} {'GFLOPS':>8}", file=out)
    for r in results:
        print(f"{r['layout']:6} {r['shape']:>14} {r['bestSeconds'] * 1e3:10.4f} "
              f"{r['medianSeconds'] * 1e3:10.4f} {r['gflopsBest']:8.2f}", file=out)
    if args.json:
        doc = {"environment": env, "results": results}
        if args.json == "-":
            json.dump(doc, sys.stdout, indent=1)
            print()
        else:
            with open(args.json, "w") as f:
                json.dump(doc, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
