package dev.topiary.core.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The temporary files an atomic save writes before renaming them over their target, named
 * {@code .NAME.HEX.tmp} beside the target {@code NAME}.
 *
 * <p>Every temporary file this JVM has created and not yet renamed or deleted is registered, and a
 * shutdown hook deletes those that remain, so neither an exception nor SIGTERM or SIGINT (which run the
 * shutdown hooks) leaves one behind. A crash the JVM cannot react to (SIGKILL, power loss) may still leave
 * one; the next save to the same target removes it ({@link #create}).
 */
public final class TempFiles {

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final Random RANDOM = new SecureRandom();
  private static volatile boolean hooked;

  private TempFiles() {}

  /**
   * Creates a new empty temporary file beside {@code target}, to be renamed over it, after deleting the
   * temporary files of that same target that earlier saves left behind (those not being written by this
   * JVM). The file has the default permissions (the user's umask) and stays registered until
   * {@link #release} is called.
   */
  public static Path create(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    installHook();
    removeStale(abs);
    for (int attempt = 0; ; attempt++) {
      Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
      try {
        LIVE.add(tmp);
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        LIVE.remove(tmp);
        if (attempt > 100) {
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        LIVE.remove(tmp);
        throw e;
      }
    }
  }

  /**
   * Forgets {@code tmp} once it has been renamed, and deletes it if it still exists (the write failed).
   */
  public static void release(Path tmp) throws IOException {
    try {
      Files.deleteIfExists(tmp);
    } finally {
      LIVE.remove(tmp);
    }
  }

  /** Forgets {@code tmp} after it was renamed over its target (nothing to delete). */
  public static void renamed(Path tmp) {
    LIVE.remove(tmp);
  }

  /** True when {@code name} is the name of a temporary file of the target named {@code targetName}. */
  public static boolean isTempOf(String name, String targetName) {
    return pattern(targetName).matcher(name).matches();
  }

  /** Deletes every temporary file this JVM is still writing; returns how many it deleted. */
  public static int deleteAll() {
    int n = 0;
    for (Path p : LIVE.toArray(new Path[0])) {
      try {
        if (Files.deleteIfExists(p)) {
          n++;
        }
      } catch (IOException e) {
        // Nothing more can be done while shutting down.
      }
      LIVE.remove(p);
    }
    return n;
  }

  private static Pattern pattern(String targetName) {
    // Also matches the decimal names Files.createTempFile gave in earlier versions.
    return Pattern.compile("\\." + Pattern.quote(targetName) + "\\.-?[0-9a-fA-F]{1,20}\\.tmp");
  }

  private static void removeStale(Path target) {
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    String name = target.getFileName().toString();
    Pattern p = pattern(name);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + globEscape(name) + ".*.tmp")) {
      for (Path f : ds) {
        if (p.matcher(f.getFileName().toString()).matches() && !LIVE.contains(f) && Files.isRegularFile(f)) {
          try {
            Files.deleteIfExists(f);
          } catch (IOException e) {
            // Another process may own it or the directory may refuse; the save goes on.
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Listing is a courtesy: a directory that cannot be listed does not stop the save.
    }
  }

  private static String globEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("*?[]{}\\".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  private static void installHook() {
    if (hooked) {
      return;
    }
    synchronized (TempFiles.class) {
      if (!hooked) {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "topiary-temp-cleanup"));
        hooked = true;
      }
    }
  }
}
