#!/usr/bin/env bash
# Runs a workload in fresh JVMs with -XX:+LogCompilation and lists every range-check trap that compiled
# code took, with the Java frames where it happened. One such trap on JDK 17 is counted against
# java.util.Objects.checkIndex, which every Vector API load and store calls, and every Vector API loop
# compiled after it keeps a bounds test per access (docs/benchmarks.md, 2026-12-02). Exits 1 if any
# run trapped.
#
#   bench/check-range-check-traps.sh                       ./topiary demo, 3 runs, JDK on the PATH
#   bench/check-range-check-traps.sh --runs 5 --flags "-XX:UseAVX=2" -- ./topiary train --data digits --epochs 5
#
# Options: --runs N (default 3)  --flags "JVM FLAGS" (for every JVM the command starts, through
# JAVA_TOOL_OPTIONS)  --out DIR (keeps the logs; default a temporary directory)  -- COMMAND... (default:
# ./topiary demo --out DIR/demo). Each JVM writes its own log (compilation-RUN-PID.xml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
flags=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --flags) flags="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-range-check-traps: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="$(mktemp -d)"
mkdir -p "$out"
if [ $# -eq 0 ]; then
  set -- "$root/topiary" demo --out "$out/demo"
fi
trapped=0
for ((r = 1; r <= runs; r++)); do
  JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} $flags -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$out/compilation-$r-%p.xml" \
    "$@" >"$out/run-$r.txt" 2>&1 || { echo "run $r failed; output in $out/run-$r.txt" >&2; exit 2; }
  count="$(cat "$out"/compilation-"$r"-*.xml | grep -c "<uncommon_trap thread=.*reason='range_check'" || true)"
  echo "run $r: $count range-check trap(s)"
  if [ "$count" != 0 ]; then
    trapped=1
    # The frames of each trap, innermost first.
    awk "/<uncommon_trap thread=.*reason='range_check'/{f=1; print \"  trap:\"; next} f&&/<jvms/{print \"    \" \$0} f&&/<\\/uncommon_trap>/{f=0}" "$out"/compilation-"$r"-*.xml \
      | sed -E "s/<jvms bci='([0-9]+)' method='([^']+)'.*/\2 @ bci \1/"
  fi
done
echo "logs in $out"
exit "$trapped"
