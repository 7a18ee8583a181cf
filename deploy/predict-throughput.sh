#!/usr/bin/env bash
# Throughput of batched inference, a dense model against its pruned version, two ways:
#  - `topiary bench infer --batch 1024 --threads 1`: rows/s of the model's batched inference alone (class
#    probabilities or values into a preallocated output, 1,024 rows per call, as `predict` calls it), the
#    median over samples after a warm-up;
#  - `topiary predict` end to end on a generated CSV of ROWS rows (default 100,000): JVM start, CSV parsing,
#    inference in batches of 1,024 and CSV writing, wall time.
# Each timed JVM runs pinned to core 0 (taskset -c 0, one kernel thread); the two models alternate, RUNS
# times (default 3). Prints median and range of each figure and the pruned/dense ratio of the medians.
#
# Usage: deploy/predict-throughput.sh DENSE.safetensors PRUNED.safetensors [RUNS] [ROWS]
#   e.g. ./topiary demo --out /tmp/demo, then
#        deploy/predict-throughput.sh /tmp/demo/original.safetensors /tmp/demo/pruned.safetensors
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dense="$1"; pruned="$2"; runs="${3:-3}"; rows="${4:-100000}"
py=python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/topiary" inspect --model "$dense" > /dev/null   # builds once, before anything is timed

# The CSV: a header of the model's feature names (f1..fN when it records none), rows drawn around its
# input standardisation (the time of a dense network does not depend on the values).
"$py" - "$dense" "$rows" "$work/rows.csv" <<'PY'
import json, random, struct, sys
path, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "rb") as f:
    (hl,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(hl))
    base = 8 + hl
    def vec(name):
        t = header.get(name)
        if t is None:
            return None
        f.seek(base + t["data_offsets"][0])
        k = t["shape"][0]
        return struct.unpack("<%df" % k, f.read(4 * k))
    meta = header.get("__metadata__", {})
    inputs = json.loads(meta["topiary.topology"])["input"]
    names = json.loads(meta["topiary.features"]) if "topiary.features" in meta else ["f%d" % (j + 1) for j in range(inputs)]
    mean = vec("input_scaling.mean") or [0.0] * inputs
    scale = vec("input_scaling.scale") or [1.0] * inputs
rng = random.Random(1)
with open(out, "w") as o:
    o.write(",".join(names) + "\n")
    for _ in range(n):
        o.write(",".join("%.5g" % (m + s * rng.gauss(0, 1)) for m, s in zip(mean, scale)) + "\n")
PY

ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
declare -A bench wall
for ((i = 1; i <= runs; i++)); do
  for name in dense pruned; do
    model=$([ "$name" = dense ] && echo "$dense" || echo "$pruned")
    r=$(taskset -c 0 "$root/topiary" bench infer --model "$model" --batch 1024 --threads 1 --millis 3000 --json \
      | sed -n 's/.*"rows_per_second": *\([0-9.eE+]*\).*/\1/p' | head -1)
    bench[$name]+="$r "
    t=$(ms taskset -c 0 "$root/topiary" predict --model "$model" --data "$work/rows.csv" --out "$work/$name.csv" -q)
    wall[$name]+="$t "
    echo "run $i $name: bench infer $(printf '%.0f' "$r") rows/s; predict $rows rows in $t ms" >&2
  done
done
stats() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {printf "%s %s %s", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(java -version 2>&1 | head -1)"
for name in dense pruned; do
  read -r bm blo bhi <<< "$(stats "${bench[$name]}")"
  read -r wm wlo whi <<< "$(stats "${wall[$name]}")"
  awk -v n="$name" -v bm="$bm" -v blo="$blo" -v bhi="$bhi" -v wm="$wm" -v wlo="$wlo" -v whi="$whi" -v rows="$rows" -v runs="$runs" \
    'BEGIN {printf "%-6s bench infer: median %.0f rows/s (range %.0f-%.0f); predict %d rows: median %.2f s (range %.2f-%.2f), %.0f rows/s; %d runs\n", n, bm, blo, bhi, rows, wm/1000, wlo/1000, whi/1000, rows/(wm/1000), runs}'
done
read -r bd _ _ <<< "$(stats "${bench[dense]}")"; read -r bp _ _ <<< "$(stats "${bench[pruned]}")"
read -r wd _ _ <<< "$(stats "${wall[dense]}")"; read -r wp _ _ <<< "$(stats "${wall[pruned]}")"
awk -v bd="$bd" -v bp="$bp" -v wd="$wd" -v wp="$wp" \
  'BEGIN {printf "pruned/dense: bench infer throughput %.2fx; predict wall time %.2fx (%.2fx the throughput)\n", bp/bd, wp/wd, wd/wp}'
