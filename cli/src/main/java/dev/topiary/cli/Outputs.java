package dev.topiary.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes report files whole or not at all: a temporary file in the same directory, then a rename. */
final class Outputs {

  private Outputs() {}

  /** Creates {@code dir} (and parents) or fails naming it. */
  static Path directory(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IOException("output " + dir + " exists and is not a directory");
    }
    return Files.createDirectories(dir);
  }

  /** Writes {@code text} to {@code file} through a temporary file and a rename. */
  static void write(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".topiary", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
