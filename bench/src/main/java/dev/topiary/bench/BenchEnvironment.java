package dev.topiary.bench;

import dev.ludovic.netlib.blas.JavaBLAS;
import dev.topiary.kernels.Kernels;

/**
 * Prints, as one JSON object, what a benchmark JVM started with the same flags will run on: the JDK, the
 * Topiary kernel implementation the selection picks, and the class netlib hands out. The comparison
 * script runs it beside JMH so that the table says which code was timed, not which was hoped for.
 */
public final class BenchEnvironment {

  private BenchEnvironment() {}

  public static void main(String[] args) {
    String json = "{"
        + field("javaVersion", System.getProperty("java.version")) + ","
        + field("javaVendor", System.getProperty("java.vendor")) + ","
        + field("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        + "," + field("kernels", Kernels.implementation()) + ","
        + "\"vectorBitSize\":" + Kernels.vectorBitSize() + ","
        + field("netlib", JavaBLAS.getInstance().getClass().getSimpleName()) + ","
        + "\"processors\":" + Runtime.getRuntime().availableProcessors()
        + "}";
    System.out.println(json);
  }

  private static String field(String name, String value) {
    return "\"" + name + "\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
