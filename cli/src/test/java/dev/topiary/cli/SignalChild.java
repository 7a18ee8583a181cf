package dev.topiary.cli;

import dev.topiary.core.io.TempFiles;
import java.nio.file.Path;

/**
 * A process for {@link FileSafetyTest}: installs the command line's signal report, opens a temporary file
 * the way a save does, prints its path and waits to be stopped.
 */
final class SignalChild {

  private SignalChild() {}

  public static void main(String[] args) throws Exception {
    Main.installSignalReport();
    Path tmp = TempFiles.create(Path.of(args[0]));
    System.out.println(tmp);
    System.out.flush();
    Thread.sleep(120_000);
  }
}
