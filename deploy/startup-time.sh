#!/usr/bin/env bash
# Start-up plus one prediction, wall time: the jlink image against the full JDK running the same modules,
# interleaved, pinned to core 0. Prints the median and range of each in milliseconds.
#
# Usage: deploy/startup-time.sh IMAGE_DIR MODEL.safetensors ROW [RUNS]
#   IMAGE_DIR from deploy/jlink.sh; ROW the comma-separated features of one row; RUNS default 11.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="$1"; model="$2"; row="$3"; runs="${4:-11}"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
version="0.1.0-SNAPSHOT"
mp="$root/kernels/target/topiary-kernels-$version.jar:$root/core/target/topiary-core-$version.jar"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
"$jdk/bin/javac" --release 17 -d "$classes" --module-path "$mp" --add-modules jdk.incubator.vector \
  $(find "$root/deploy/example/dev.topiary.example" -name '*.java') 2>/dev/null

ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
img=(); full=()
for ((i = 0; i < runs; i++)); do
  img+=("$(ms taskset -c 0 "$image/bin/predict" "$model" "$row")")
  full+=("$(ms taskset -c 0 "$jdk/bin/java" --add-modules jdk.incubator.vector -p "$mp:$classes" \
    -m dev.topiary.example/dev.topiary.example.Predict "$model" "$row")")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, range %d-%d ms (%d runs)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
echo "jlink image ($(du -sh "$image" | cut -f1)): $(stats "${img[@]}")"
echo "full JDK ($("$jdk/bin/java" -version 2>&1 | head -1)): $(stats "${full[@]}")"
