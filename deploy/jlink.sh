#!/usr/bin/env bash
# Builds a minimal Java runtime for embedding Topiary: java.base, jdk.incubator.vector, jdk.management
# (with java.management, which it needs) and Topiary's kernels and core modules, plus the embedding example
# (deploy/example) as the `predict` launcher. The image's java runs with --add-modules
# jdk.incubator.vector (jlink --add-options), so it uses the SIMD kernels with no flag from the user. (The
# leading space in --add-options' value keeps jlink from reading the value as an option of its own.)
# jdk.management is how the kernels read HotSpot's flags (UseFMA, UseAVX, MaxVectorSize): without it they
# cannot tell that FMA is fast and that AVX-512 has 32 registers, and take the conservative kernels
# (multiply then add, 16-register GEMM tiles). The kernels only `requires static` it, so jlink does not
# add it by itself.
#
# Usage: deploy/jlink.sh [OUT_DIR]       (default: deploy/target/image; needs a JDK with jmods: JAVA_HOME)
# Then:  OUT_DIR/bin/predict MODEL.safetensors 5.1,3.5,1.4,0.2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/deploy/target/image}"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
[ -d "$jdk/jmods" ] || { echo "jlink.sh: $jdk has no jmods directory; set JAVA_HOME to a JDK with jmods" >&2; exit 1; }
version="0.1.0-SNAPSHOT"
kernels="$root/kernels/target/topiary-kernels-$version.jar"
core="$root/core/target/topiary-core-$version.jar"
if [ ! -f "$kernels" ] || [ ! -f "$core" ]; then
  (cd "$root" && mvn -B -ntp -q -DskipTests -pl core -am package)
fi

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
"$jdk/bin/javac" --release 17 -d "$build/example" --module-path "$kernels:$core" \
  --add-modules jdk.incubator.vector \
  $(find "$root/deploy/example/dev.topiary.example" -name '*.java')

rm -rf "$out"
"$jdk/bin/jlink" \
  --module-path "$jdk/jmods:$kernels:$core:$build/example" \
  --add-modules dev.topiary.example,jdk.incubator.vector,jdk.management \
  --add-options=" --add-modules=jdk.incubator.vector -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev.topiary.kernels.impl.*::*,0.01" \
  --launcher predict=dev.topiary.example/dev.topiary.example.Predict \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out"
echo "image: $out ($(du -sh "$out" | cut -f1)); modules:"
"$out/bin/java" --list-modules | sed 's/^/  /'
