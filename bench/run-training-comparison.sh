#!/usr/bin/env bash
# Topiary against Smile's MLP: training throughput, inference latency and Fashion-MNIST epoch times, on
# JDK 17 and JDK 25, printed as Markdown tables with ratios. See bench/TRAINING.md.
#
# Usage: bench/run-training-comparison.sh [--accuracy] [--no-build] [--report-only]
#   --accuracy     also train the default recipe on Fashion-MNIST with seeds 1, 2, 3 on each JDK
#   --no-build     use bench/target/benchmarks.jar as it is
#   --report-only  run nothing; print the tables from the results already in OUT (add runs there by hand,
#                  named jmh-JDK-N.json, fmnist-JDK*.txt, accuracy-JDK*.txt, and the best of all counts)
# Environment:
#   JDKS         space-separated java executables (default: the java on the PATH and Temurin 25)
#   REPEATS      JMH runs per JDK; every iteration of every run counts and the best is reported (default 1)
#   WARMUP, ITERATIONS, ITERATION_TIME   JMH settings (defaults 2, 3, 1s)
#   FMNIST       the Fashion-MNIST source (default idx:/usr/share/datasets/fashion-mnist)
#   OUT          where raw results go (default bench/target/training-comparison)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"
out="${OUT:-$root/bench/target/training-comparison}"
fmnist="${FMNIST:-idx:/usr/share/datasets/fashion-mnist}"
repeats="${REPEATS:-1}"
accuracy=0
build=1
run=1
for a in "$@"; do
  case "$a" in
    --accuracy) accuracy=1 ;;
    --no-build) build=0 ;;
    --report-only) run=0; build=0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done

if [ -z "${JDKS:-}" ]; then
  JDKS="$(command -v java)"
  [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && JDKS="$JDKS /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
fi
if [ "$build" = 1 ]; then
  echo "building bench..." >&2
  (cd "$root" && mvn -q -B -pl bench -am package -DskipTests)
fi
fmnist_dir="${fmnist#idx:}"
if [ ! -f "$fmnist_dir/train-images-idx3-ubyte.gz" ] && [ ! -f "$fmnist_dir/train-images-idx3-ubyte" ]; then
  echo "no Fashion-MNIST in $fmnist_dir (apt-get install -y dataset-fashion-mnist); skipping its rows" >&2
  fmnist=""
fi
[ "$run" = 1 ] && rm -rf "$out"
mkdir -p "$out"

flags=(--add-modules jdk.incubator.vector)
quiet() { grep -v -e '^WARNING' -e 'Kernels\$Holder' -e '^INFO: Topiary kernels' || true; }

[ "$run" = 1 ] || JDKS=""
for java in $JDKS; do
  v="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  echo "JDK $v: $java" >&2
  echo "$java" >"$out/java-$v.txt"
  for r in $(seq 1 "$repeats"); do
    echo "  JMH run $r of $repeats (a few minutes)..." >&2
    "$java" "${flags[@]}" -jar "$jar" 'TrainingThroughputBenchmark|InferenceLatencyBenchmark' \
      -wi "${WARMUP:-2}" -i "${ITERATIONS:-3}" -r "${ITERATION_TIME:-1}s" -w "${ITERATION_TIME:-1}s" \
      -jvm "$java" -rf json -rff "$out/jmh-$v-$r.json" >"$out/jmh-$v-$r.log" 2>&1
  done
  if [ -n "$fmnist" ]; then
    for t in 1 2; do
      echo "  Fashion-MNIST epochs, $t thread(s)..." >&2
      "$java" "${flags[@]}" -Xmx3g -cp "$jar" dev.topiary.bench.FashionMnistTraining --data "$fmnist" \
        --threads "$t" epochs 5 2>&1 | quiet | tee -a "$out/fmnist-$v.txt" | grep RESULT >&2 || true
    done
    if [ "$accuracy" = 1 ]; then
      for watch in loss accuracy; do
        echo "  Fashion-MNIST default recipe (early stopping on validation $watch), seeds 1 2 3..." >&2
        "$java" "${flags[@]}" -Xmx3g -cp "$jar" dev.topiary.bench.FashionMnistTraining --data "$fmnist" \
          --watch "$watch" accuracy 1 2 3 2>&1 | quiet | tee -a "$out/accuracy-$v.txt" | grep RESULT >&2 || true
      done
    fi
  fi
done

python3 - "$out" <<'PY'
import glob, json, os, re, sys
out = sys.argv[1]
# best[(jdk, benchmark, params)] = best iteration score over all runs; thrpt: highest, avgt: lowest
best, units = {}, {}
for path in sorted(glob.glob(os.path.join(out, "jmh-*-*.json"))):
    jdk = os.path.basename(path).split("-")[1]
    for b in json.load(open(path)):
        if not b["benchmark"].split(".")[-2] in ("TrainingThroughputBenchmark", "InferenceLatencyBenchmark"):
            continue
        name = b["benchmark"].rsplit(".", 2)
        key = (jdk, name[-2] + "." + name[-1], tuple(sorted(b.get("params", {}).items())))
        scores = [s for fork in b["primaryMetric"]["rawData"] for s in fork]
        pick = max if b["mode"] == "thrpt" else min
        best[key] = pick(scores + ([best[key]] if key in best else []))
        units[key] = b["primaryMetric"]["scoreUnit"]
jdks = sorted({k[0] for k in best}, key=lambda j: int(j))

def get(jdk, bench, **params):
    return best.get((jdk, bench, tuple(sorted((k, str(v)) for k, v in params.items()))))

def fmt(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"

def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.1f}×"

head = "| | " + " | ".join(f"JDK {j}" for j in jdks) + " |"
rule = "|---|" + "---:|" * len(jdks)
print("### Training throughput, 784-512-512-512-10 ReLU, batch 128, SGD momentum 0.9 (samples/s, best iteration)\n")
print(head); print(rule)
T = "TrainingThroughputBenchmark"
for t in ("1", "2"):
    rows = [(f"Topiary, vector kernels, {t} thread(s)", lambda j: get(j, T + ".topiary", threads=t)),
            (f"Smile 3.1.1 MLP, OpenBLAS {t} thread(s)", lambda j: get(j, T + ".smile", threads=t)),
            (f"Topiary, plain-Java kernels, {t} thread(s)", lambda j: get(j, T + ".topiaryScalar", threads=t))]
    for label, f in rows:
        print(f"| {label} | " + " | ".join(fmt(f(j)) for j in jdks) + " |")
    print(f"| **Topiary / Smile, {t} thread(s)** | " + " | ".join(
        ratio(get(j, T + ".topiary", threads=t), get(j, T + ".smile", threads=t)) for j in jdks) + " |")
print(f"| Topiary 2 threads / Smile 1 thread | " + " | ".join(
    ratio(get(j, T + ".topiary", threads="2"), get(j, T + ".smile", threads="1")) for j in jdks) + " |")

I = "InferenceLatencyBenchmark"
print("\n### Inference, same network, class probabilities (µs per call and rows/s, best iteration, 1 thread)\n")
print("| batch | " + " | ".join(f"JDK {j} Topiary | JDK {j} Smile loop | JDK {j} Smile batch API | JDK {j} ratio"
                                for j in jdks) + " |")
print("|---:|" + "---:|---:|---:|---:|" * len(jdks))
for n in ("1", "256"):
    cells = []
    for j in jdks:
        tp = get(j, I + ".topiary", batch=n, threads="1")
        sl = get(j, I + ".smile", batch=n, threads="1")
        sb = get(j, I + ".smileBatch", batch=n, threads="1")
        def both(us):
            return "–" if us is None else f"{us:,.1f} µs ({int(n) / us * 1e6:,.0f} rows/s)"
        fastest_smile = min(x for x in (sl, sb) if x is not None) if (sl or sb) else None
        cells += [both(tp), both(sl), both(sb), ratio(fastest_smile, tp)]
    print(f"| {n} | " + " | ".join(cells) + " |")

fm = {}
for path in sorted(glob.glob(os.path.join(out, "fmnist-*.txt"))):
    for line in open(path):
        if line.startswith("RESULT"):
            kv = dict(p.split("=", 1) for p in line.split()[1:])
            key = (kv["jdk"], kv["threads"])
            fm[key] = min(float(kv["best_epoch_s"]), fm.get(key, float("inf")))
if fm:
    print("\n### Fashion-MNIST, 784-256-256-256-10, 60,000 rows, batch 128, AdamW (seconds per epoch, best epoch of all runs)\n")
    print(head); print(rule)
    for t in ("1", "2"):
        print(f"| Topiary, {t} thread(s) | " + " | ".join(fmt(fm.get((j, t)), 2) for j in jdks) + " |")

acc = []
for path in sorted(glob.glob(os.path.join(out, "accuracy-*.txt"))):
    for line in open(path):
        if line.startswith("RESULT"):
            acc.append(dict(p.split("=", 1) for p in line.split()[1:]))
if acc:
    print("\n### Fashion-MNIST test accuracy, default recipe (90/10 train/validation split of the 60,000 rows)\n")
    print("| JDK | early stopping watches | seed | epochs run | best epoch | seconds | test accuracy |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for a in acc:
        print(f"| {a['jdk']} | validation {a['watch'].lower()} | {a['seed']} | {a['epochs_run']} | "
              f"{a['best_epoch']} | {a['seconds']} | {a['test_accuracy']} |")
PY
