#!/usr/bin/env bash
# Topiary's GEMM against its peers, side by side on the same shapes and layouts, on every JDK at hand:
# builds bench/target/benchmarks.jar, runs the JMH GEMM benchmarks (Topiary with the Vector API module,
# Topiary forced to scalar, EJML, netlib-java) on the default JDK and on JDK 25 if installed, runs the
# numpy/OpenBLAS peer, and prints one Markdown table of GFLOPS and ratios (also saved as summary.md).
#
#   bench/run-gemm-comparison.sh            quick: 4 shapes, 3 layouts, short iterations (~10 min)
#   bench/run-gemm-comparison.sh --full     every shape, 2 forks, longer iterations, 2 threads too (~2 h)
#
# Options: --shapes LIST  --layouts LIST  --threads "1 2"  --jdk PATH (repeatable; replaces the default
# list)  --out DIR  --no-build  --offline. Run on an otherwise idle machine: the numbers are only as
# steady as the machine is quiet.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

mode=quick
shapes=""
layouts="NT,NN,TN"
threads=""
jdks=()
out=""
build=1
offline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --shapes) shapes="$2"; shift ;;
    --layouts) layouts="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --jdk) jdks+=("$2"); shift ;;
    --out) out="$2"; shift ;;
    --no-build) build=0 ;;
    --offline) offline="-o" ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-gemm-comparison: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$mode" = quick ]; then
  : "${shapes:=1x1024x1024,128x512x512,256x1024x1024,127x257x509}"
  : "${threads:=1}"
  jmh_opts=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms)
  np_opts=(--repeats 5 --min-time 0.05)
else
  : "${shapes:=1x1024x1024,32x256x256,32x1024x1024,128x512x512,128x1024x1024,256x64x64,256x256x256,256x512x512,256x1024x1024,256x64x1024,256x1024x64,127x257x509}"
  : "${threads:=1 2}"
  jmh_opts=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
  np_opts=(--repeats 9 --min-time 0.2)
fi

if [ ${#jdks[@]} -eq 0 ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    jdks+=("$JAVA_HOME")
  else
    java_bin="$(command -v java || true)"
    [ -n "$java_bin" ] || { echo "run-gemm-comparison: no java on the PATH and no JAVA_HOME" >&2; exit 1; }
    jdks+=("$(dirname "$(dirname "$(readlink -f "$java_bin")")")")
  fi
  jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
  if [ -x "$jdk25/bin/java" ] && [ "$(readlink -f "$jdk25")" != "$(readlink -f "${jdks[0]}")" ]; then
    jdks+=("$jdk25")
  fi
fi
for j in "${jdks[@]}"; do
  [ -x "$j/bin/java" ] || { echo "run-gemm-comparison: $j/bin/java not found" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "run-gemm-comparison: python3 (with numpy) is needed" >&2; exit 1; }

: "${out:=$here/results/gemm-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
jar="$root/bench/target/benchmarks.jar"
if [ "$build" = 1 ]; then
  echo "== building $jar" >&2
  (cd "$root" && mvn -q -B $offline -pl bench -am package -DskipTests)
fi
[ -f "$jar" ] || { echo "run-gemm-comparison: $jar missing; build without --no-build" >&2; exit 1; }

# run_jmh JAVA JSON LOG ARGS...: one JMH run, its console output in LOG; on failure, show where it broke.
run_jmh() {
  local java="$1" json="$2" log="$3"
  shift 3
  if ! "$java" -jar "$jar" "$@" "${jmh_opts[@]}" -rf json -rff "$json" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "run-gemm-comparison: JMH failed; full output in $log" >&2
    exit 1
  fi
}

n_shapes=$(tr ',' '\n' <<<"$shapes" | grep -c .)
n_layouts=$(tr ',' '\n' <<<"$layouts" | grep -c .)
runs=()
for j in "${jdks[@]}"; do
  java="$j/bin/java"
  version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
  tag="jdk-$version"
  label="JDK $version"
  env_file="$out/env-$tag.json"
  "$java" --add-modules jdk.incubator.vector -cp "$jar" dev.topiary.bench.BenchEnvironment \
    >"$env_file" 2>/dev/null
  echo "== $label: $(cat "$env_file")" >&2
  echo "== $label: $((n_shapes * n_layouts * 4)) JMH benchmarks, log in $out/jmh-$tag.log" >&2
  run_jmh "$java" "$out/jmh-$tag.json" "$out/jmh-$tag.log" \
    '^dev\.topiary\.bench\.(Gemm|EjmlGemm|NetlibGemm)Benchmark\.' \
    -p shape="$shapes" -p layout="$layouts" -p threads=1
  runs+=(--run "$label=$out/jmh-$tag.json:$env_file")
  for t in $threads; do
    [ "$t" = 1 ] && continue
    echo "== $label: Topiary on $t threads, log in $out/jmh-$tag-t$t.log" >&2
    run_jmh "$java" "$out/jmh-$tag-t$t.json" "$out/jmh-$tag-t$t.log" \
      '^dev\.topiary\.bench\.GemmBenchmark\.vector$' \
      -p shape="$shapes" -p layout="$layouts" -p threads="$t"
    runs+=(--run "$label=$out/jmh-$tag-t$t.json")
  done
done

numpy=()
for t in $(printf '%s\n' 1 $threads | sort -un); do
  echo "== numpy/OpenBLAS on $t thread(s)" >&2
  python3 "$here/numpy_sgemm.py" --shapes "$shapes" --layouts "$layouts" --threads "$t" \
    "${np_opts[@]}" --json "$out/numpy-t$t.json" >"$out/numpy-t$t.txt"
  numpy+=(--numpy "$out/numpy-t$t.json")
done
# On AVX-512 CPUs that OpenBLAS's dispatch does not recognise as such (AMD Zen 4/5 get its AVX2
# "Haswell" kernels), also time it with its AVX-512 kernels forced: the strongest native peer.
if grep -q avx512f /proc/cpuinfo 2>/dev/null; then
  echo "== numpy/OpenBLAS with OPENBLAS_CORETYPE=SKYLAKEX (AVX-512 kernels), 1 thread" >&2
  OPENBLAS_CORETYPE=SKYLAKEX python3 "$here/numpy_sgemm.py" --shapes "$shapes" --layouts "$layouts" \
    --threads 1 "${np_opts[@]}" --json "$out/numpy-avx512-t1.json" >"$out/numpy-avx512-t1.txt"
  numpy+=(--numpy-avx512 "$out/numpy-avx512-t1.json")
fi

{
  echo "GEMM comparison ($mode mode), $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
  echo
  python3 "$here/jmh_summary.py" gemm "${runs[@]}" "${numpy[@]}"
} | tee "$out/summary.md"
echo >&2
echo "== results in $out" >&2
