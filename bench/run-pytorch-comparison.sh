#!/usr/bin/env bash
# Topiary against PyTorch CPU on the same host, side by side: Fashion-MNIST training epochs and inference
# latency, at 1 and 2 threads, printed as Markdown tables of medians, ranges and ratios.
#
#   Training: 784-256-256-256-10 ReLU, softmax cross-entropy, AdamW (lr 1e-3, weight decay 1e-4),
#     batches of 128 over the 60,000 training rows, standardised inputs. Topiary runs
#     dev.topiary.bench.FashionMnistTraining (its default recipe with those settings), PyTorch
#     bench/pytorch_peer.py. The figure of a run is the median of its epochs after the first (the first
#     carries JIT compilation on one side and allocator warm-up on the other).
#   Inference: class probabilities (standardisation, the layers, softmax) for 1 and 256 rows, median
#     time per call: `topiary bench infer` against pytorch_peer.py's same protocol, for a dense model
#     trained here and the same model pruned by Topiary (--ratio, no fine-tuning: only the shapes matter).
#
# Each variant runs REPEATS times in fresh processes, interleaved (Topiary, PyTorch, Topiary, ...);
# 1-thread runs are pinned with `taskset -c 0`, 2-thread runs with `taskset -c 0,1`. Ratios are
# PyTorch time / Topiary time per repeat (above 1: Topiary faster), reported as median and range.
#
# Usage: bench/run-pytorch-comparison.sh [--quick] [--no-build]
#   --quick     2 repeats, 3 epochs, 500 ms per latency point (a smoke run; the default is 5 repeats,
#               4 epochs, 2 s per point, about 25 minutes on two cores)
#   --no-build  use bench/target/benchmarks.jar and the CLI as they are
# Environment: JAVA (a java executable; default $JAVA_HOME/bin/java, else java on the PATH),
#   PYTHON (default /usr/bin/python3, which has Debian's python3-torch), FMNIST (default
#   /usr/share/datasets/fashion-mnist), OUT (default bench/target/pytorch-comparison), PRUNE_RATIO
#   (fraction of hidden units removed, default 0.5), REPEATS, EPOCHS, MILLIS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${REPEATS:-5}"
epochs="${EPOCHS:-4}"
millis="${MILLIS:-2000}"
build=1
for a in "$@"; do
  case "$a" in
    --quick) repeats="${REPEATS:-2}"; epochs="${EPOCHS:-3}"; millis="${MILLIS:-500}" ;;
    --no-build) build=0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done
if [ "$epochs" -lt 2 ]; then
  echo "EPOCHS must be at least 2 (the first epoch is not counted)" >&2
  exit 2
fi
if [ -n "${JAVA:-}" ]; then
  java="$JAVA"
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java)"
fi
export JAVA_HOME="$(cd "$(dirname "$(readlink -f "$java")")/.." && pwd)"   # for ./topiary
python="${PYTHON:-/usr/bin/python3}"
fmnist="${FMNIST:-/usr/share/datasets/fashion-mnist}"
out="${OUT:-$root/bench/target/pytorch-comparison}"
ratio="${PRUNE_RATIO:-0.5}"
jar="$root/bench/target/benchmarks.jar"

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "$python cannot import torch; apt-get install -y python3-torch (Debian's, for /usr/bin/python3)" >&2
  exit 2
fi
if [ ! -e "$fmnist/train-images-idx3-ubyte.gz" ] && [ ! -e "$fmnist/train-images-idx3-ubyte" ]; then
  echo "no Fashion-MNIST in $fmnist; apt-get install -y dataset-fashion-mnist" >&2
  exit 2
fi
if [ "$build" = 1 ]; then
  echo "building bench and the CLI..." >&2
  (cd "$root" && mvn -q -B -ntp -pl bench,cli -am package -DskipTests)
fi
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.json
pin() { if [ "$1" = 1 ]; then echo "taskset -c 0"; else echo "taskset -c 0,1"; fi; }
quiet() { grep -v -e '^WARNING' -e 'Kernels\$Holder' -e '^INFO: Topiary kernels' || true; }

{
  echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) processors"
  echo "isa: $(grep -m1 -o -w -e avx512f /proc/cpuinfo || grep -m1 -o -w -e avx2 /proc/cpuinfo || echo other)"
  echo "java: $("$java" -version 2>&1 | sed -n 2p)"
  echo "torch: $("$python" -c 'import torch; print(torch.__version__)')"
} | tee "$out/env.txt" >&2

# The models for the inference rows: trained briefly here (latency does not depend on accuracy), then
# pruned by Topiary's default criterion.
if [ ! -s "$out/dense.safetensors" ] || [ ! -s "$out/pruned.safetensors" ]; then
  echo "training the dense model and pruning it (--ratio $ratio)..." >&2
  "$root/topiary" train --data "idx:$fmnist" --hidden 256,256,256 --epochs 2 --seed 1 \
    --out "$out/dense.safetensors" >"$out/train.log" 2>&1
  "$root/topiary" prune --model "$out/dense.safetensors" --data "idx:$fmnist" --ratio "$ratio" \
    --finetune 0 --out "$out/pruned.safetensors" >"$out/prune.log" 2>&1
fi

for r in $(seq 1 "$repeats"); do
  for t in 1 2; do
    echo "repeat $r/$repeats, $t thread(s): training epochs..." >&2
    $(pin "$t") "$java" --add-modules jdk.incubator.vector -Xmx3g -cp "$jar" dev.topiary.bench.FashionMnistTraining \
      --data "idx:$fmnist" --threads "$t" epochs "$epochs" 2>&1 | quiet | grep RESULT \
      | sed "s/^/repeat=$r /" >>"$out/epochs-topiary.txt"
    $(pin "$t") "$python" "$root/bench/pytorch_peer.py" epochs --data "$fmnist" --threads "$t" \
      --epochs "$epochs" | grep RESULT | sed "s/^/repeat=$r /" >>"$out/epochs-pytorch.txt"
    for m in dense pruned; do
      echo "repeat $r/$repeats, $t thread(s): inference, $m model..." >&2
      $(pin "$t") "$root/topiary" bench infer --model "$out/$m.safetensors" --batch 1,256 --threads "$t" \
        --millis "$millis" --json >"$out/infer-topiary-$m-$t-$r.json"
      $(pin "$t") "$python" "$root/bench/pytorch_peer.py" infer --model "$out/$m.safetensors" --threads "$t" \
        --batch 1,256 --millis "$millis" | grep RESULT | sed "s/^/repeat=$r model=$m /" >>"$out/infer-pytorch.txt"
    done
  done
done

"$python" - "$out" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]

def kv(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))

def steady(all_s):
    times = [float(v) for v in all_s.strip("[]").split(",")]
    return statistics.median(times[1:])

def summary(values):
    return f"{statistics.median(values):.3g} ({min(values):.3g}–{max(values):.3g})"

def ratio_cell(peer, ours):
    r = [p / o for p, o in zip(peer, ours)]
    return f"**{statistics.median(r):.2f}×** ({min(r):.2f}–{max(r):.2f})"

env = open(os.path.join(out, "env.txt")).read().strip().splitlines()
print("\n".join("    " + l for l in env))
print()
ours = {}
peer = {}
for name, store in (("epochs-topiary.txt", ours), ("epochs-pytorch.txt", peer)):
    for line in open(os.path.join(out, name)):
        d = kv(line)
        store.setdefault(int(d["threads"]), []).append(steady(d["all_s"]))
print("| Fashion-MNIST epoch, 784-256-256-256-10, AdamW, batch 128 | Topiary s | PyTorch s | PyTorch / Topiary |")
print("|---|---|---|---|")
for t in sorted(ours):
    print(f"| {t} thread{'s' if t > 1 else ''} | {summary(ours[t])} | {summary(peer[t])} | {ratio_cell(peer[t], ours[t])} |")
print()

ours = {}
for f in sorted(glob.glob(os.path.join(out, "infer-topiary-*.json"))):
    _, _, model, t, r = os.path.basename(f)[:-5].split("-")
    for res in json.load(open(f))["results"]:
        ours.setdefault((model, int(t), res["batch"]), []).append(res["median_us"])
peer = {}
for line in open(os.path.join(out, "infer-pytorch.txt")):
    d = kv(line)
    # the line carries model=dense (the script's) and model=dense.safetensors (the peer's); the last wins
    peer.setdefault((d["model"].removesuffix(".safetensors"), int(d["threads"]), int(d["batch"])), []).append(
        float(d["median_us"]))
topologies = {}
for m in ("dense", "pruned"):
    f = sorted(glob.glob(os.path.join(out, f"infer-topiary-{m}-*.json")))[0]
    topologies[m] = json.load(open(f))["topology"]
print("| inference, median µs per call | Topiary | PyTorch | PyTorch / Topiary |")
print("|---|---|---|---|")
for key in sorted(ours):
    m, t, b = key
    print(f"| {m} ({topologies[m]}), batch {b}, {t} thread{'s' if t > 1 else ''} | {summary(ours[key])} | "
          f"{summary(peer[key])} | {ratio_cell(peer[key], ours[key])} |")
PY
