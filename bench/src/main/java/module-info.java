/**
 * JMH benchmarks and side-by-side comparisons with peers (EJML, netlib-java; numpy/OpenBLAS from a
 * script). Never a dependency of anything. Run from the shaded {@code bench/target/benchmarks.jar}, on the
 * class path; this descriptor only makes javac check what the benchmarks may import.
 */
module dev.topiary.bench {
  requires dev.topiary.methods;
  requires dev.topiary.kernels;
  requires jdk.management;
  requires jmh.core;
  requires ejml.core;
  requires ejml.fdense;
  requires dev.ludovic.netlib.blas;
  requires smile.core;
  requires smile.base;
  requires org.bytedeco.openblas;

  // JMH's generated harness classes live in dev.topiary.bench.jmh_generated and reach the benchmark
  // state reflectively.
  opens dev.topiary.bench to jmh.core;
}
