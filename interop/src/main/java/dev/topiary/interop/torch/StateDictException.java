package dev.topiary.interop.torch;

import java.io.IOException;

/** A safetensors file is not a plain MLP state dict Topiary can import; the message names the tensor. */
public final class StateDictException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An exception with the given one-line message. */
  public StateDictException(String message) {
    super(message);
  }
}
