#!/usr/bin/env bash
# Topiary's GEMM against OpenBLAS forced to the same instruction set, for every ISA a user deploys to,
# emulated on one x86 host with HotSpot flags, on every JDK at hand, one thread, pinned to one core.
#
#   ISA        HotSpot flags                      OPENBLAS_CORETYPE  target (Topiary / OpenBLAS)
#   avx512     (none; only on AVX-512 hosts)      SKYLAKEX           >= 0.9 median, >= 0.85 minimum
#   avx2       -XX:UseAVX=2 (16 registers)        HASWELL            >= 0.9 median, >= 0.85 minimum
#   v128       -XX:MaxVectorSize=16               NEHALEM            >= 0.7 median
#   sse        -XX:UseAVX=0 (128-bit, no FMA)     NEHALEM            >= 0.5 median
#   avx-nofma  -XX:UseAVX=1 -XX:-UseFMA           SANDYBRIDGE        >= 0.5 median
#   nofma      -XX:-UseFMA (512-bit, no FMA)      SANDYBRIDGE        >= 0.5 median
#
# Each Topiary figure is the spread over --forks fresh JVMs (JMH forks, default 5): min, median, max of
# the per-fork means. OpenBLAS runs in one numpy process per ISA (the median of its timed runs). The
# plain-Java kernels run in one fork per ISA, for "never slower than scalar". Prints one Markdown
# table (also saved as summary.md) with the ratios and whether each target is met.
#
#   bench/run-isa-matrix.sh                       all ISAs, M in {128,256}, N=K in {512,1024}, NT NN TN
#   bench/run-isa-matrix.sh --isas "avx2 nofma" --layouts NT --forks 3
#
# Options: --isas LIST  --shapes LIST  --layouts LIST  --forks N  --jdk PATH (repeatable; default: the
# java on the PATH and Temurin 25 if installed)  --cpu N (core to pin to, default 0)  --out DIR
# --no-build  --jvm-args "ARGS" (added to every Topiary JVM, e.g. "-Dtopiary.gemm.kc=256" to try
# another blocking; shown beside the ISA in the table)  --paired (one OpenBLAS measurement before each
# JMH fork, and the ratios taken round by round: use it where the host's speed drifts over minutes, as
# shared VMs' does)  --interleaved (instead of JMH: bench/interleaved_gemm.py, which alternates bursts
# of Topiary and OpenBLAS a tenth of a second apart on the core, --forks fresh JVMs of 20 rounds each,
# the ratio taken per round; no scalar column). About 1 minute per ISA, JDK and shape with the
# defaults. Run it on an otherwise idle machine: on a shared one the minimum over forks mostly measures
# the neighbours.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

isas="avx512 avx2 v128 sse avx-nofma nofma"
shapes="128x512x512,128x1024x1024,256x512x512,256x1024x1024"
layouts="NT,NN,TN"
forks=5
jdks=()
cpu=0
out=""
build=1
jvm_args=""
paired=0
interleaved=0
while [ $# -gt 0 ]; do
  case "$1" in
    --isas) isas="$2"; shift ;;
    --shapes) shapes="$2"; shift ;;
    --layouts) layouts="$2"; shift ;;
    --forks) forks="$2"; shift ;;
    --jdk) jdks+=("$2"); shift ;;
    --cpu) cpu="$2"; shift ;;
    --out) out="$2"; shift ;;
    --no-build) build=0 ;;
    --paired) paired=1 ;;
    --interleaved) interleaved=1 ;;
    --jvm-args) jvm_args="$2"; shift ;;
    -h|--help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-isa-matrix: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

isa_flags() {
  case "$1" in
    avx512) echo "" ;;
    avx2) echo "-XX:UseAVX=2" ;;
    v128) echo "-XX:MaxVectorSize=16" ;;
    sse) echo "-XX:UseAVX=0" ;;
    avx-nofma) echo "-XX:UseAVX=1 -XX:-UseFMA" ;;
    nofma) echo "-XX:-UseFMA" ;;
    *) echo "run-isa-matrix: unknown ISA '$1' (avx512 avx2 v128 sse avx-nofma nofma)" >&2; exit 2 ;;
  esac
}
isa_target() {
  case "$1" in
    avx512|avx2) echo "0.9,0.85" ;;
    v128) echo "0.7" ;;
    *) echo "0.5" ;;
  esac
}
isa_coretype() {
  case "$1" in
    avx512) echo SKYLAKEX ;;
    avx2) echo HASWELL ;;
    v128|sse) echo NEHALEM ;;
    avx-nofma|nofma) echo SANDYBRIDGE ;;
  esac
}

if [ ${#jdks[@]} -eq 0 ]; then
  java_bin="$(command -v java || true)"
  [ -n "$java_bin" ] || { echo "run-isa-matrix: no java on the PATH" >&2; exit 1; }
  jdks+=("$(dirname "$(dirname "$(readlink -f "$java_bin")")")")
  jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
  if [ -x "$jdk25/bin/java" ] && [ "$(readlink -f "$jdk25")" != "$(readlink -f "${jdks[0]}")" ]; then
    jdks+=("$jdk25")
  fi
fi
command -v python3 >/dev/null || { echo "run-isa-matrix: python3 (with numpy) is needed" >&2; exit 1; }
command -v taskset >/dev/null || { echo "run-isa-matrix: taskset (util-linux) is needed" >&2; exit 1; }

: "${out:=$here/results/isa-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
jar="$root/bench/target/benchmarks.jar"
if [ "$build" = 1 ]; then
  echo "== building $jar" >&2
  (cd "$root" && mvn -q -B -pl bench -am package -DskipTests)
fi
[ -f "$jar" ] || { echo "run-isa-matrix: $jar missing; build without --no-build" >&2; exit 1; }

heap="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
# OpenBLAS on the current ISA ($coretype): openblas FILE-STEM REPEATS
openblas() {
  OPENBLAS_CORETYPE="$coretype" taskset -c "$cpu" python3 "$here/numpy_sgemm.py" --shapes "$shapes" \
    --layouts "$layouts" --threads 1 --repeats "$2" --min-time 0.2 --json "$1.json" >"$1.txt"
}
# Topiary's vector GEMM on the current JDK ($java) and flags: jmh FILE-STEM FORKS
jmh() {
  # shellcheck disable=SC2086
  if ! taskset -c "$cpu" "$java" -jar "$jar" '^dev\.topiary\.bench\.GemmBenchmark\.vector$' \
      -p shape="$shapes" -p layout="$layouts" -p threads=1 -f "$2" -wi 3 -w 1s -i 3 -r 1s \
      -jvmArgsAppend "$heap $flags" -rf json -rff "$1.json" >"$1.log" 2>&1; then
    tail -n 30 "$1.log" >&2
    echo "run-isa-matrix: JMH failed; full output in $1.log" >&2
    exit 1
  fi
}

args=()
rows_file="$out/interleaved-rows.md"
if [ "$interleaved" = 1 ]; then
  : >"$rows_file"
fi
for isa in $isas; do
  flags="$(isa_flags "$isa")${jvm_args:+ $jvm_args}"
  if [ "$isa" = avx512 ] && ! grep -q avx512f /proc/cpuinfo 2>/dev/null; then
    echo "== $isa: skipped, this CPU has no AVX-512" >&2
    continue
  fi
  coretype="$(isa_coretype "$isa")"
  if [ "$interleaved" = 1 ]; then
    for j in "${jdks[@]}"; do
      for layout in ${layouts//,/ }; do
        echo "== $isa, $j, $layout: Topiary and OpenBLAS ($coretype) interleaved, $forks forks" >&2
        python3 "$here/interleaved_gemm.py" --java "$j/bin/java" --jar "$jar" --jvm-args="$flags" \
          --coretype "$coretype" --shapes "$shapes" --layout "$layout" --forks "$forks" --cpu "$cpu" \
          --label "$isa${jvm_args:+ $jvm_args}" --target "$(isa_target "$isa")" --no-header \
          --json "$out/interleaved-$isa-$(basename "$j")-$layout.json" >>"$rows_file"
      done
    done
    continue
  fi
  if [ "$paired" = 0 ]; then
    echo "== $isa: numpy/OpenBLAS with OPENBLAS_CORETYPE=$coretype" >&2
    openblas "$out/numpy-$isa" 9
  fi
  for j in "${jdks[@]}"; do
    java="$j/bin/java"
    version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
    tag="$isa-jdk-$version"
    # shellcheck disable=SC2086
    "$java" $flags --add-modules jdk.incubator.vector -cp "$jar" dev.topiary.bench.BenchEnvironment \
      >"$out/env-$tag.json" 2>/dev/null || true
    echo "== $isa, JDK $version: Topiary, $forks forks per shape ($(cat "$out/env-$tag.json"))" >&2
    vec_files="$out/jmh-$tag.json"
    numpy_files="$out/numpy-$isa.json"
    if [ "$paired" = 1 ]; then
      vec_files=""
      numpy_files=""
      for ((round = 1; round <= forks; round++)); do
        echo "== $isa, JDK $version: round $round of $forks, OpenBLAS ($coretype) then one Topiary fork" >&2
        openblas "$out/numpy-$tag-r$round" 5
        jmh "$out/jmh-$tag-r$round" 1
        vec_files="$vec_files${vec_files:+,}$out/jmh-$tag-r$round.json"
        numpy_files="$numpy_files${numpy_files:+,}$out/numpy-$tag-r$round.json"
      done
    else
      jmh "$out/jmh-$tag" "$forks"
    fi
    echo "== $isa, JDK $version: the plain-Java kernels, 1 fork per shape" >&2
    # shellcheck disable=SC2086
    taskset -c "$cpu" "$java" -jar "$jar" '^dev\.topiary\.bench\.GemmBenchmark\.scalar$' \
      -p shape="$shapes" -p layout="$layouts" -p threads=1 -f 1 -wi 2 -w 1s -i 3 -r 1s \
      -jvmArgsAppend "$heap $flags" -rf json -rff "$out/jmh-$tag-scalar.json" >"$out/jmh-$tag-scalar.log" 2>&1
    args+=(--run "$isa${jvm_args:+ $jvm_args}|JDK $version|$vec_files|$out/jmh-$tag-scalar.json|$numpy_files")
  done
done

if [ "$interleaved" = 1 ]; then
  {
    echo "GEMM by ISA, interleaved with OpenBLAS, $(date -u '+%Y-%m-%d %H:%M UTC'), pinned to core $cpu of $(nproc): $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
    echo
    echo "| ISA | JDK | kernels | layout | M×N×K | Topiary GFLOPS | OpenBLAS GFLOPS | ratio median | min | max | target |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    cat "$rows_file"
  } | tee "$out/summary.md"
  echo "== results in $out" >&2
  exit 0
fi
{
  echo "GEMM by ISA, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), pinned to core $cpu of $(nproc): $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')"
  echo
  python3 "$here/isa_summary.py" "${args[@]}"
} | tee "$out/summary.md"
echo "== results in $out" >&2
