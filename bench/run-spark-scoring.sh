#!/usr/bin/env bash
# Scoring throughput on Spark (local[2]): Spark ML's MultilayerPerceptronClassificationModel against
# Topiary's TopiaryScorer on the same dense sigmoid network, and TopiaryScorer on that network pruned by
# sigma on statistics gathered on Spark. Prints rows/s (median and range over interleaved repeats) and the
# ratios. Run it on a quiet machine; the JVM is pinned to the cores in CORES (default: 0,1).
#
#   bench/run-spark-scoring.sh [--rows N] [--features F] [--hidden W,W] [--classes K] [--remove FRACTION]
#                              [--repeats R] [--partitions P|auto] [--master M] [--encoder-route true|false]
# Defaults: 1,000,000 rows x 64 features, hidden 256,256, 10 classes, half of each hidden layer removed,
# 5 repeats, partitions of about 250,000 rows (an even count), local[2]. --encoder-route true also times
# the Topiary models through Spark's Row encoder (TopiaryScorer.transformRows), the route of the
# previous version. The table is cached in memory first (about 0.6 GB per million rows at 64 features);
# the heap defaults to 4 GB plus 1 GB per 1,000,000 rows x 64 features (JAVA_OPTS overrides it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="${CORES:-0,1}"
rows=1000000
features=64
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --rows) rows="${args[i + 1]}" ;;
    --features) features="${args[i + 1]}" ;;
  esac
done
heap=$((4 + rows * features / 64000000))
export JAVA_OPTS="${JAVA_OPTS:--Xmx${heap}g}"
echo "== host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), cores $cores," \
  "$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1), $JAVA_OPTS"
JAVA_PREFIX="taskset -c $cores" exec "$root/spark/run.sh" dev.topiary.spark.bench.ScoringBench "$@"
