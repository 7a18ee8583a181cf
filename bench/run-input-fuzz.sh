#!/usr/bin/env bash
# Feeds random mutations of valid model, CSV and IDX files to Topiary's readers and prints, per input
# kind, how many mutations were tried and how each ended (read, or the documented exception), with any
# case that broke the contract: an undocumented exception, no answer within the time limit, or an
# allocation beyond 64 bytes per input byte plus 4 MiB. See docs/reliability.md.
#
# Usage: bench/run-input-fuzz.sh [--no-build] [InputFuzz options: --models N --csv N --idx N --seed S --timeout-ms T]
# Progress goes to standard error every 10,000 cases.
# Defaults: 100,000 model files, 50,000 CSV files, 20,000 IDX pairs, seed 1, 10 s per case.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"
build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl bench -am package)
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
dir=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && dir=/dev/shm   # the model and IDX cases go through files
exec nice -n 10 "$java" --add-modules jdk.incubator.vector -Xmx1g -cp "$jar" dev.topiary.bench.InputFuzz --dir "$dir" "$@"
