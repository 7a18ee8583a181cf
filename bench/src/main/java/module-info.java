/** JMH benchmarks and side-by-side comparisons with peers. Never a dependency of anything. */
module dev.topiary.bench {
  requires dev.topiary.methods;
  requires jmh.core;
  requires ejml.core;
  requires ejml.fdense;
  requires dev.ludovic.netlib.blas;
  requires smile.core;
  requires smile.base;
  requires org.bytedeco.openblas;
}
