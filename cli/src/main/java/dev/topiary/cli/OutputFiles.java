package dev.topiary.cli;

import dev.topiary.core.io.TempFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * Refuses outputs that are the same file as an input or as each other, before any work starts: writing
   * the model over the training data, or the report over the model, would destroy what the command reads
   * or writes. Paths are compared after making them absolute and, for files that exist, by identity (so
   * links count).
   *
   * @param inputs option name to the file it reads (null values are skipped)
   * @param outputs option name (or a description such as "--out DIR/sweep.csv") to the file it writes
   */
  static void refuseClashes(Map<String, Path> inputs, Map<String, Path> outputs) {
    List<Map.Entry<String, Path>> outs = new ArrayList<>();
    for (Map.Entry<String, Path> o : outputs.entrySet()) {
      if (o.getValue() == null) {
        continue;
      }
      for (Map.Entry<String, Path> i : inputs.entrySet()) {
        if (i.getValue() != null && same(i.getValue(), o.getValue())) {
          throw new InputException(o.getKey() + " " + o.getValue() + " is the same file as " + i.getKey() + " "
              + i.getValue() + "; writing it would destroy the input, so give another name");
        }
      }
      for (Map.Entry<String, Path> earlier : outs) {
        if (same(earlier.getValue(), o.getValue())) {
          throw new InputException(o.getKey() + " " + o.getValue() + " is the same file as " + earlier.getKey()
              + " " + earlier.getValue() + "; one would overwrite the other, so give another name");
        }
      }
      outs.add(o);
    }
  }

  /** The files a command writes into a directory, as {@link #refuseClashes} takes them. */
  static Map<String, Path> inDirectory(String option, Path dir, List<String> names) {
    Map<String, Path> m = new java.util.LinkedHashMap<>();
    for (String n : names) {
      m.put(option + " DIR/" + n, dir.resolve(n));
    }
    return m;
  }

  private static boolean same(Path a, Path b) {
    Path x = a.toAbsolutePath().normalize();
    Path y = b.toAbsolutePath().normalize();
    if (x.equals(y)) {
      return true;
    }
    try {
      return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
    } catch (IOException e) {
      return false;
    }
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
    Path tmp = TempFiles.create(file);
    boolean moved = false;
    try {
      Files.write(tmp, bytes);
      replace(tmp, file);
      moved = true;
      TempFiles.renamed(tmp);
    } finally {
      if (!moved) {
        TempFiles.release(tmp);
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
