/** JMH benchmarks; see bench/README.md. */
package dev.topiary.bench;
