package dev.topiary.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs are replaced whole or not at all, and come out with the permissions of any new file. */
class OutputFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
    Path f = dir.resolve("report.json");
    Files.writeString(f, "old, and longer than the new content");
    OutputFiles.writeText(f, "new é");
    assertEquals("new é", Files.readString(f));
    OutputFiles.write(dir.resolve("plot.png"), new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("plot.png")));
    assertEquals(List.of("plot.png", "report.json"), names());
  }

  @Test
  void aFailedReplacementLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
    // A non-empty directory cannot be renamed over: the write fails at the last step.
    Path target = dir.resolve("out");
    Files.createDirectory(target);
    byte[] inside = "must survive".getBytes();
    Files.write(target.resolve("keep"), inside);
    assertThrows(IOException.class, () -> OutputFiles.writeText(target, "new"));
    assertArrayEquals(inside, Files.readAllBytes(target.resolve("keep")));
    assertEquals(List.of("out"), names());
  }

  @Test
  void theResultHasTheModeOfAnyNewFileNotOwnerOnly() throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Path plain = Files.createFile(dir.resolve("plain"));
    Path written = dir.resolve("written");
    OutputFiles.writeText(written, "x");
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    assertTrue(Files.isReadable(written));
  }
}
