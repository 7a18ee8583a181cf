package dev.topiary.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Output files are checked before any long work (so a mistyped directory fails in a second, not after
 * training), and every output is written to a temporary file in the same directory and renamed over the
 * target, so a failure never leaves a torn or emptied file behind. The one place the CLI writes files.
 */
final class OutputFiles {

  private OutputFiles() {}

  /**
   * Checks that {@code file} (given by {@code option}) can be written: its directory exists and takes
   * new files, and the file, if it exists, is a regular writable file.
   */
  static Path checkFile(String option, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      throw new InputException(option + " " + file + " is a directory; give a file name");
    }
    if (Files.exists(abs) && !Files.isWritable(abs)) {
      throw new InputException(option + " " + file + " exists and cannot be written");
    }
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException(option + " " + file + ": directory " + dir + " does not exist");
    }
    probe(option, dir);
    return abs;
  }

  /** Creates {@code dir} (and its parents) when missing and checks that it takes new files. */
  static Path prepareDirectory(String option, Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InputException(option + " " + dir + " exists and is not a directory");
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new InputException(option + " " + dir + ": cannot create the directory ("
          + Failures.describe(e) + ")", e);
    }
    probe(option, abs);
    return abs;
  }

  private static void probe(String option, Path dir) {
    try {
      Path p = Files.createTempFile(dir, ".topiary-probe", ".tmp");
      Files.delete(p);
    } catch (IOException e) {
      throw new InputException(option + ": cannot write in " + dir + " (" + Failures.describe(e) + ")", e);
    }
  }

  /** Writes {@code text} as UTF-8 to a temporary file beside {@code file}, then renames it over {@code file}. */
  static void writeText(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code bytes} to a temporary file beside {@code file}, then renames it over {@code file}: a
   * reader sees the old content or the new, never a torn file, and a failure leaves the old file as it
   * was and no temporary file behind.
   */
  static void write(Path file, byte[] bytes) throws IOException {
    Path tmp = tempBeside(file);
    boolean moved = false;
    try {
      Files.write(tmp, bytes);
      replace(tmp, file);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Writes text to a file through a writer; see {@link #stream}. */
  interface TextWriter {
    void writeTo(java.io.Writer w) throws IOException;
  }

  /**
   * Streams UTF-8 text from {@code body} to a temporary file beside {@code file}, then renames it over
   * {@code file}, with the same guarantees as {@link #write}.
   */
  static void stream(Path file, TextWriter body) throws IOException {
    Path tmp = tempBeside(file);
    boolean moved = false;
    try {
      try (java.io.Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.writeTo(w);
      }
      replace(tmp, file);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * A new empty file in {@code file}'s directory, named after it, to be renamed over it. Created with the
   * default permissions (the user's umask), unlike {@link Files#createTempFile}, whose owner-only mode
   * would pass to the result.
   */
  private static Path tempBeside(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Random random = new Random();
    for (int attempt = 0; ; attempt++) {
      Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(random.nextLong()) + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /** Renames {@code tmp} over {@code target}, atomically where the file system can. */
  private static void replace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
