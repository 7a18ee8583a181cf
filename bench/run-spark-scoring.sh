#!/usr/bin/env bash
# Scoring throughput on Spark (local[2]): Spark ML's MultilayerPerceptronClassificationModel against
# Topiary's TopiaryScorer on the same dense sigmoid network, and TopiaryScorer on that network pruned by
# sigma on statistics gathered on Spark. Prints rows/s (median and range over interleaved repeats) and the
# ratios. Run it on a quiet machine; the JVM is pinned to the cores in CORES (default: 0,1).
#
#   bench/run-spark-scoring.sh [--rows N] [--features F] [--hidden W,W] [--classes K] [--remove FRACTION]
#                              [--repeats R] [--partitions P] [--master M]
# Defaults: 1,000,000 rows x 64 features, hidden 256,256, 10 classes, half of each hidden layer removed,
# 5 repeats, 2 partitions, local[2]. The table is cached in memory first (about 0.6 GB per million rows
# at 64 features); JAVA_OPTS sets the heap (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="${CORES:-0,1}"
echo "== host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), cores $cores," \
  "$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1)"
JAVA_PREFIX="taskset -c $cores" exec "$root/spark/run.sh" dev.topiary.spark.bench.ScoringBench "$@"
