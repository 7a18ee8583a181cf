#!/usr/bin/env bash
# Runs the packaged jars as a module graph, the way ./topiary and an embedder run them: every module's
# requirements must be declared for this to work (a missing `requires` fails here, not on the class path
# the unit tests use). Then builds the jlink image (deploy/jlink.sh), predicts with it, and checks that its
# kernels read HotSpot's FMA flag (jdk.management is in the image) and say so when it is left out.
#
# Usage: deploy/module-path-check.sh        (packages with Maven first; needs a JDK 17+ with jmods for jlink)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java="$(command -v java)"; fi
(cd "$root" && mvn -B -ntp -q -DskipTests -pl cli -am package)
mp="$root/cli/target/topiary-cli-0.1.0-SNAPSHOT.jar:$root/cli/target/lib"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== module graph: $("$java" -version 2>&1 | head -1)"
"$java" --module-path "$mp" --add-modules ALL-MODULE-PATH --validate-modules > /dev/null
"$java" --module-path "$mp" --describe-module dev.topiary.cli | sed -n '1,12p' | sed 's/^/  /'
run() {
  "$java" --add-modules jdk.incubator.vector -Djava.awt.headless=true \
    --module-path "$mp" --module dev.topiary.cli/dev.topiary.cli.Main "$@" 2> >(grep -v '^WARNING: Using incubator' >&2)
}
run train --data builtin:iris --out "$work/iris.safetensors" --hidden 16 --epochs 40 --seed 3 --quiet > /dev/null
acc=$(run eval --model "$work/iris.safetensors" --data builtin:iris --json | sed -n 's/.*"accuracy": *\([0-9.]*\).*/\1/p' | head -1)
echo "  train builtin:iris, eval: test accuracy $acc"
run predict --model "$work/iris.safetensors" --data builtin:iris --out "$work/iris.csv" --quiet
rows=$(($(wc -l < "$work/iris.csv") - 1))
[ "$rows" = 150 ] || { echo "predict wrote $rows rows, expected 150" >&2; exit 1; }
echo "  predict: $rows rows, first: $(sed -n 2p "$work/iris.csv")"
run export --model "$work/iris.safetensors" --format onnx --out "$work/iris.onnx" --quiet > /dev/null
run demo --dataset iris --out "$work/demo" --quiet > /dev/null
echo "  export onnx: $(wc -c < "$work/iris.onnx") bytes; demo on iris: ok"

echo "== jlink image"
"$root/deploy/jlink.sh" "$work/image" | sed 's/^/  /'
line=$("$work/image/bin/predict" "$work/iris.safetensors" 5.1,3.5,1.4,0.2 2> >(grep -v '^WARNING: Using incubator' >&2))
echo "$line" | sed 's/^/  /'
echo "$line" | grep -q "kernels: vector" || { echo "the image does not use the Vector API kernels" >&2; exit 1; }

# The kernels read HotSpot's flags through jdk.management. The image holds no java.logging, so the JDK's
# simple console logger prints the kernels' DEBUG line when jdk.system.logger.level says so.
image_java="$work/image/bin/java"
fma=$("$image_java" -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "UseFMA" {print $4}')
choice() { # the kernels' DEBUG line of the image's java, with the given extra options
  "$image_java" -Djdk.system.logger.level=DEBUG "$@" -m dev.topiary.example/dev.topiary.example.Predict \
    "$work/iris.safetensors" 5.1,3.5,1.4,0.2 2>&1 >/dev/null | grep 'Topiary kernels:' || true
}
kernels=$(choice)
echo "  HotSpot reports UseFMA=$fma; the image's kernels: ${kernels#*Topiary kernels: }"
echo "$kernels" | grep -q "UseFMA=$fma" \
  || { echo "the image's kernels do not report HotSpot's UseFMA=$fma (is jdk.management in the image?)" >&2; exit 1; }
if [ "$fma" = true ]; then
  echo "$kernels" | grep -q "fused multiply-add" || { echo "the image's kernels do not use FMA" >&2; exit 1; }
fi
# Without jdk.management the same image must say that it could not read the flags: the check above can fail.
without=$(choice --limit-modules dev.topiary.example,jdk.incubator.vector)
echo "$without" | grep -q "HotSpot flags unreadable (FMA assumed slow)" \
  || { echo "without jdk.management the kernels should say the flags are unreadable: $without" >&2; exit 1; }
echo "  without jdk.management (--limit-modules): ${without#*Topiary kernels: }"
echo "module-path check passed"
