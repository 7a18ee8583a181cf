/**
 * Float kernels on plain {@code float[]} arrays with offsets: GEMM in the three layouts a dense layer
 * needs, activations, softmax, reductions, optimiser updates and column moments.
 *
 * <p>The public facade is {@link dev.topiary.kernels.Kernels}. Behind it sit two implementations, a
 * plain-Java one and one written with the incubating Vector API; the choice is made once, at first use.
 * This is the only module that touches {@code jdk.incubator.vector}, and it reads that module only when
 * the JVM was started with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>{@code jdk.management} is read, when present, for HotSpot's flags (see
 * {@code dev.topiary.kernels.impl.CpuFeatures}); class-path applications have it by default, modular ones
 * add it with {@code --add-modules jdk.management}, and without it fused multiply-add is assumed slow.
 */
module dev.topiary.kernels {
  requires static jdk.incubator.vector;
  requires static jdk.management;

  exports dev.topiary.kernels;
}
