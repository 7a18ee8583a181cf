package dev.topiary.interop.onnx;

import java.io.IOException;

/**
 * An ONNX file cannot be read, or holds something Topiary cannot represent; the message names the node,
 * operator or field at fault.
 */
public final class OnnxFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An exception with the given one-line message. */
  public OnnxFormatException(String message) {
    super(message);
  }
}
