package dev.topiary.spark;

import dev.topiary.core.io.ModelFile;
import dev.topiary.core.io.ModelFiles;
import dev.topiary.core.model.Network;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Topiary model file held as its bytes, which is what Spark broadcasts to executors and what a saved
 * {@link TopiaryScorer} stores beside its parameters: the model file is the one description of the
 * network everywhere, so what a cluster scores is exactly what {@code topiary inspect} shows.
 *
 * <p>Each JVM parses a given file once: {@link #model()} keeps the parsed {@link ModelFile} in a
 * per-JVM cache keyed by the SHA-256 of the bytes, so every task of an executor shares one network
 * (a {@link Network} may be used by any number of threads at once).
 */
public final class TopiaryModelBytes implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Map<String, ModelFile> PARSED = new ConcurrentHashMap<>();

  private final byte[] bytes;
  private final String digest;

  private TopiaryModelBytes(byte[] bytes) {
    this.bytes = bytes;
    this.digest = sha256(bytes);
  }

  /**
   * Reads a model file and checks that it parses.
   *
   * @throws dev.topiary.core.io.ModelFormatException if the file is not a valid Topiary model
   * @throws IOException if it cannot be read
   */
  public static TopiaryModelBytes read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ModelFile parsed = ModelFiles.read(file); // errors name the user's file
    TopiaryModelBytes m = new TopiaryModelBytes(bytes);
    PARSED.putIfAbsent(m.digest, parsed);
    return m;
  }

  /**
   * Wraps the bytes of a model file and checks that they parse.
   *
   * @param source names the bytes in error messages
   * @throws IllegalArgumentException if they are not a valid Topiary model (the cause is the
   *     {@link dev.topiary.core.io.ModelFormatException} that says what is wrong)
   */
  public static TopiaryModelBytes of(byte[] bytes, String source) {
    TopiaryModelBytes m = new TopiaryModelBytes(bytes.clone());
    PARSED.computeIfAbsent(m.digest, k -> parse(m.bytes, Path.of(source)));
    return m;
  }

  /** Saves {@code network} as a model file in memory (through a temporary file, the only writer). */
  public static TopiaryModelBytes of(Network network) {
    try {
      Path tmp = Files.createTempFile("topiary-model", ".safetensors");
      try {
        ModelFiles.save(network, tmp);
        return read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a temporary model file", e);
    }
  }

  /** The parsed model file: network and metadata (parsed once per JVM). */
  public ModelFile model() {
    return PARSED.computeIfAbsent(digest, k -> parse(bytes, Path.of("broadcast model " + digest)));
  }

  /** The network. */
  public Network network() {
    return model().network();
  }

  /** A copy of the file's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes in the file. */
  public int size() {
    return bytes.length;
  }

  /** SHA-256 of the bytes, in hex. */
  public String digest() {
    return digest;
  }

  private static ModelFile parse(byte[] bytes, Path source) {
    // ModelFiles reads from a file channel (its checks bound every read by the file size); a copy of the
    // bytes in a temporary file is the simplest way to reuse every one of those checks.
    try {
      Path tmp = Files.createTempFile("topiary-model", ".safetensors");
      try {
        Files.write(tmp, bytes);
        return ModelFiles.read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (dev.topiary.core.io.ModelFormatException e) {
      throw new IllegalArgumentException(source + ": " + e.problem(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + source, e);
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
