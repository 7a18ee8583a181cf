/**
 * Float kernels on plain {@code float[]} arrays with offsets: GEMM in the three layouts a dense layer
 * needs, activations, softmax, reductions, optimiser updates and column moments.
 *
 * <p>The public facade is {@link dev.topiary.kernels.Kernels}. Behind it sit two implementations, a
 * plain-Java one and one written with the incubating Vector API; the choice is made once, at first use.
 * This is the only module that touches {@code jdk.incubator.vector}, and it reads that module only when
 * the JVM was started with {@code --add-modules jdk.incubator.vector}.
 */
module dev.topiary.kernels {
  requires static jdk.incubator.vector;

  exports dev.topiary.kernels;
}
