#!/usr/bin/env bash
# Runs a class of the spark module (an example or the benchmark) with java and a local Spark master:
#   spark/run.sh CLASS [ARGS...]
# Builds the module and what it needs (quietly), takes Spark's jars from the local Maven repository, and
# passes the JVM flags the module's tests use (spark.jvm.flags in spark/pom.xml) plus the Vector API's.
# JAVA_HOME picks the JDK; JAVA_PREFIX (e.g. "taskset -c 0") is put in front of the java command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: spark/run.sh CLASS [ARGS...]" >&2
  exit 2
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cp_file="$root/spark/target/classpath.txt"
log="$(mktemp)"
# Every module of the reactor writes the file in turn; spark, built last, leaves its own class path.
if ! (cd "$root" && mvn -q -B -ntp -pl spark -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=provided >"$log" 2>&1); then
  cat "$log" >&2
  rm -f "$log"
  echo "spark/run.sh: build failed" >&2
  exit 1
fi
rm -f "$log"
flags="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$root/spark/pom.xml")"
# shellcheck disable=SC2086
exec ${JAVA_PREFIX:-} "$java" --add-modules jdk.incubator.vector -Xss8m ${JAVA_OPTS:--Xmx4g} $flags \
  -cp "$root/spark/target/topiary-spark-0.1.0-SNAPSHOT.jar:$(cat "$cp_file")" "$@"
