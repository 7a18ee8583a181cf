#!/usr/bin/env bash
# The kernels module's tests on aarch64, emulated on an x86 host by qemu-user with Debian's arm64 JDK 17:
# correctness only (emulated timings mean nothing). The classes are compiled on the host; surefire then
# forks its test JVM through qemu, so the arm64 HotSpot, its C2 and its NEON (or SVE) code generation run
# every kernel property, and KernelPathTest asserts the path the selection takes there.
#
# Usage: bench/run-arm64-tests.sh [--no-build] [--all] [--sve]
#   --no-build  use the classes already compiled under kernels/target
#   --all       run every kernels test class; by default SteadyStateAllocationTest is left out (it waits
#               for C2 to compile each kernel, which takes minutes per kernel under emulation)
#   --sve       emulate a CPU with SVE (qemu's "max", 512-bit vectors) instead of a NEON-only Cortex-A72
# Environment: ARM64_JDK (default /usr/lib/jvm/java-17-openjdk-arm64), QEMU_CPU (overrides --sve),
#   TESTS (a surefire -Dtest pattern, e.g. KernelPathTest,ActivationTest; overrides --all).
#
# Setup, once (the arm64 JDK must have the same Debian version as the amd64 one, so apt may upgrade
# that too; do it when no JVM is running):
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install -y qemu-user openjdk-17-jdk-headless:arm64
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arm_jdk="${ARM64_JDK:-/usr/lib/jvm/java-17-openjdk-arm64}"
build=1
all=0
cpu="cortex-a72"
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --all) all=1 ;;
    --sve) cpu="max,sve512=on" ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done
cpu="${QEMU_CPU:-$cpu}"

qemu="$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)"
if [ -z "$qemu" ]; then
  echo "run-arm64-tests: no qemu-aarch64; install qemu-user (see the comment at the top of $0)" >&2
  exit 2
fi
if [ ! -x "$arm_jdk/bin/java" ] || [ ! -f "$arm_jdk/release" ]; then
  echo "run-arm64-tests: no arm64 JDK at $arm_jdk; install openjdk-17-jdk-headless:arm64 (see $0)" >&2
  exit 2
fi

# A java that surefire can fork: a script that runs the arm64 java under qemu, next to a copy of the
# JDK's release file, from which surefire reads the Java version.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cp "$arm_jdk/release" "$tmp/release"
cat >"$tmp/bin/java" <<EOF
#!/bin/sh
QEMU_CPU='$cpu' exec '$qemu' -L / '$arm_jdk/bin/java' "\$@"
EOF
chmod +x "$tmp/bin/java"

echo "== $("$tmp/bin/java" -version 2>&1 | sed -n 2p) under $qemu, CPU $cpu"
echo "== $("$tmp/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *os.arch = /os.arch = /p')"

cd "$root"
if [ "$build" = 1 ]; then
  mvn -B -ntp -q -pl kernels test-compile
fi
tests=()
if [ -n "${TESTS:-}" ]; then
  tests=("-Dtest=$TESTS")
elif [ "$all" = 0 ]; then
  tests=("-Dtest=!SteadyStateAllocationTest")
fi
# -Dsurefire.timeout: emulation is 10-50x slower than the host; a hung fork still ends.
status=0
mvn -B -ntp -pl kernels surefire:test "-Djvm=$tmp/bin/java" -Dsurefire.timeout=5400 \
  "${tests[@]}" >"$tmp/mvn.log" 2>&1 || status=$?
grep -E 'Tests run:|FAIL|BUILD|ERROR\]' "$tmp/mvn.log" | grep -v '^\[ERROR\] *$' | head -60 || true
echo "== kernel path on the emulated CPU:"
grep -h "^kernel path" kernels/target/surefire-reports/*KernelPathTest*-output.txt 2>/dev/null || true
exit "$status"
