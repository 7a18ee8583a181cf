package dev.topiary.cli.json;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes one JSON document into a string, for {@code --json} output: objects, arrays, strings, numbers,
 * booleans and null, with the commas and escapes done right. Non-finite numbers, which JSON cannot
 * carry, are written as null. Misuse (a value where a name is due, an unclosed object) throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * String s = new JsonWriter().beginObject().field("m", 256).name("jdk").beginObject()
 *     .field("version", "17").endObject().endObject().toString();
 * }</pre>
 */
public final class JsonWriter {

  private enum Scope { OBJECT_NAME, OBJECT_VALUE, ARRAY }

  private final StringBuilder out = new StringBuilder();
  private final Deque<Scope> scopes = new ArrayDeque<>();
  // Whether the innermost container already has an element, so the next needs a comma.
  private final Deque<Boolean> nonEmpty = new ArrayDeque<>();
  private boolean done;

  public JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    scopes.push(Scope.OBJECT_NAME);
    nonEmpty.push(false);
    return this;
  }

  public JsonWriter endObject() {
    if (scopes.peek() != Scope.OBJECT_NAME) {
      throw new IllegalStateException("endObject() outside an object or after a name without value");
    }
    return close('}');
  }

  public JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    scopes.push(Scope.ARRAY);
    nonEmpty.push(false);
    return this;
  }

  public JsonWriter endArray() {
    if (scopes.peek() != Scope.ARRAY) {
      throw new IllegalStateException("endArray() outside an array");
    }
    return close(']');
  }

  /** The name of the next member of the current object. */
  public JsonWriter name(String name) {
    if (scopes.peek() != Scope.OBJECT_NAME) {
      throw new IllegalStateException("name(\"" + name + "\") outside an object or twice in a row");
    }
    comma();
    string(name);
    out.append(':');
    scopes.pop();
    scopes.push(Scope.OBJECT_VALUE);
    return this;
  }

  public JsonWriter value(String s) {
    beforeValue();
    if (s == null) {
      out.append("null");
    } else {
      string(s);
    }
    return this;
  }

  public JsonWriter value(long x) {
    beforeValue();
    out.append(x);
    return this;
  }

  public JsonWriter value(double x) {
    beforeValue();
    out.append(Double.isFinite(x) ? Double.toString(x) : "null");
    return this;
  }

  public JsonWriter value(boolean b) {
    beforeValue();
    out.append(b);
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    return this;
  }

  public JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, double value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  /** The document; every object and array must be closed. */
  @Override
  public String toString() {
    if (!scopes.isEmpty()) {
      throw new IllegalStateException("unclosed " + (scopes.peek() == Scope.ARRAY ? "array" : "object"));
    }
    return out.toString();
  }

  private void beforeValue() {
    Scope s = scopes.peek();
    if (s == null) {
      if (done) {
        throw new IllegalStateException("a JSON document has one top-level value");
      }
      done = true;
    } else if (s == Scope.OBJECT_NAME) {
      throw new IllegalStateException("a value inside an object needs a name first");
    } else if (s == Scope.OBJECT_VALUE) {
      scopes.pop();
      scopes.push(Scope.OBJECT_NAME);
    } else {
      comma();
    }
  }

  private void comma() {
    if (nonEmpty.pop()) {
      out.append(',');
    }
    nonEmpty.push(true);
  }

  private JsonWriter close(char c) {
    scopes.pop();
    nonEmpty.pop();
    out.append(c);
    return this;
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
