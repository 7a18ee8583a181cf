package dev.topiary.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession every test of this module uses ({@code local[2]}, bound to the loopback
 * address, no UI), started on first use and stopped when the test JVM exits: starting Spark takes
 * seconds, a test takes milliseconds.
 */
final class SharedSpark {

  private static SparkSession session;

  private SharedSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      long t0 = System.nanoTime();
      session = SparkSession.builder()
          .master("local[2]")
          .appName("topiary-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
      System.err.printf("local SparkSession %s started in %.1f s%n", session.version(),
          (System.nanoTime() - t0) / 1e9);
      SparkSession s = session;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-local-spark"));
    }
    return session;
  }
}
