package dev.topiary.core.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON (RFC 8259) reader and writer, for model file headers and for the command line's
 * {@code --json} output.
 *
 * <p>{@link #parse} maps objects to {@link LinkedHashMap}{@code <String, Object>} (member order kept;
 * a duplicate member name is an error), arrays to {@link ArrayList}, strings to {@link String},
 * {@code true}/{@code false} to {@link Boolean}, {@code null} to {@code null}, and numbers to
 * {@link Long} when written as an integer (no fraction, no exponent) that fits in a long, else to
 * {@link Double}; so byte offsets and sizes come back exact. Nesting deeper than {@value #MAX_DEPTH}
 * levels is rejected, so hostile input cannot exhaust the stack.
 *
 * <p>{@link #write} accepts the same types plus any {@link Map} with string keys, any
 * {@link Collection}, any {@link Number} (a {@link Float} is written with {@link Float#toString}, so it
 * reads back as the same float), and {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}
 * arrays. NaN and infinities have no JSON form and are rejected.
 */
public final class Json {

  /** The deepest nesting of arrays and objects {@link #parse} accepts. */
  public static final int MAX_DEPTH = 512;

  private Json() {}

  /**
   * Parses one JSON value; only whitespace may follow it.
   *
   * @throws JsonException naming the line and column of the first error
   */
  public static Object parse(CharSequence text) {
    Parser p = new Parser(text);
    p.skipWhitespace();
    Object v = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describe(p.pos) + " after the JSON value");
    }
    return v;
  }

  /** Compact JSON text for {@code value}, with no whitespace between tokens. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, -1, 0);
    return sb.toString();
  }

  /** JSON text for {@code value}, indented by two spaces per level, members one per line. */
  public static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, 2, 0);
    return sb.toString();
  }

  /** Appends {@code s} as a JSON string literal, quotes included. */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          if (c < 0x20) {
            sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private static void write(Object v, StringBuilder sb, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(s, sb);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Float f) {
      sb.append(finite(f.floatValue()) ? Float.toString(f) : reject(f));
    } else if (v instanceof Double d) {
      sb.append(finite(d.doubleValue()) ? Double.toString(d) : reject(d));
    } else if (v instanceof Number n) {
      // Integer, Long, Short, Byte, BigInteger, BigDecimal: their toString is a JSON number.
      sb.append(n.toString());
    } else if (v instanceof Map<?, ?> m) {
      writeObject(m, sb, indent, depth);
    } else if (v instanceof Collection<?> c) {
      writeArray(new ArrayList<>(c), sb, indent, depth);
    } else if (v instanceof float[] a) {
      List<Object> l = new ArrayList<>(a.length);
      for (float x : a) {
        l.add(x);
      }
      writeArray(l, sb, indent, depth);
    } else if (v instanceof double[] a) {
      List<Object> l = new ArrayList<>(a.length);
      for (double x : a) {
        l.add(x);
      }
      writeArray(l, sb, indent, depth);
    } else if (v instanceof int[] a) {
      List<Object> l = new ArrayList<>(a.length);
      for (int x : a) {
        l.add(x);
      }
      writeArray(l, sb, indent, depth);
    } else if (v instanceof long[] a) {
      List<Object> l = new ArrayList<>(a.length);
      for (long x : a) {
        l.add(x);
      }
      writeArray(l, sb, indent, depth);
    } else {
      throw new JsonException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private static boolean finite(double d) {
    return !Double.isNaN(d) && !Double.isInfinite(d);
  }

  private static String reject(Number n) {
    throw new JsonException("JSON has no representation for " + n);
  }

  private static void writeObject(Map<?, ?> m, StringBuilder sb, int indent, int depth) {
    if (m.isEmpty()) {
      sb.append("{}");
      return;
    }
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new JsonException("JSON object keys must be strings, found " + e.getKey());
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      newline(sb, indent, depth + 1);
      quote(key, sb);
      sb.append(indent >= 0 ? ": " : ":");
      write(e.getValue(), sb, indent, depth + 1);
    }
    newline(sb, indent, depth);
    sb.append('}');
  }

  private static void writeArray(List<?> l, StringBuilder sb, int indent, int depth) {
    if (l.isEmpty()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      newline(sb, indent, depth + 1);
      write(l.get(i), sb, indent, depth + 1);
    }
    newline(sb, indent, depth);
    sb.append(']');
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n');
      sb.append(" ".repeat(indent * depth));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing: a recursive-descent parser over the RFC 8259 grammar.

  private static final class Parser {
    final CharSequence s;
    int pos;

    Parser(CharSequence s) {
      this.s = s;
    }

    Object value(int depth) {
      if (pos >= s.length()) {
        throw error("unexpected end of input, expected a value");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': return string();
        case 't': literal("true"); return Boolean.TRUE;
        case 'f': literal("false"); return Boolean.FALSE;
        case 'n': literal("null"); return null;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected " + describe(pos) + ", expected a value");
      }
    }

    Map<String, Object> object(int depth) {
      checkDepth(depth);
      pos++; // '{'
      Map<String, Object> m = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("expected a member name in double quotes, found " + describe(pos));
        }
        int keyPos = pos;
        String key = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        Object v = value(depth);
        if (m.containsKey(key)) {
          int save = pos;
          pos = keyPos;
          JsonException e = error("duplicate member name \"" + key + "\"");
          pos = save;
          throw e;
        }
        m.put(key, v);
        skipWhitespace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == '}') {
          pos++;
          return m;
        } else {
          throw error("expected ',' or '}' in an object, found " + describe(pos));
        }
      }
    }

    List<Object> array(int depth) {
      checkDepth(depth);
      pos++; // '['
      List<Object> l = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        skipWhitespace();
        l.add(value(depth));
        skipWhitespace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == ']') {
          pos++;
          return l;
        } else {
          throw error("expected ',' or ']' in an array, found " + describe(pos));
        }
      }
    }

    String string() {
      pos++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("control character U+" + String.format("%04X", (int) c)
              + " must be escaped inside a string");
        }
        if (c != '\\') {
          sb.append(c);
          pos++;
          continue;
        }
        pos++;
        if (pos >= s.length()) {
          throw error("unterminated escape sequence");
        }
        char e = s.charAt(pos);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u': {
            if (pos + 4 >= s.length()) {
              throw error("truncated \\u escape");
            }
            int code = 0;
            for (int i = 1; i <= 4; i++) {
              int d = Character.digit(s.charAt(pos + i), 16);
              if (d < 0) {
                pos += i;
                throw error("invalid hexadecimal digit " + describe(pos) + " in a \\u escape");
              }
              code = code * 16 + d;
            }
            sb.append((char) code);
            pos += 4;
            break;
          }
          default:
            throw error("invalid escape sequence \\" + e);
        }
        pos++;
      }
    }

    Object number() {
      int start = pos;
      boolean integral = true;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (isDigit(peek())) {
        digits();
      } else {
        throw error("expected a digit, found " + describe(pos));
      }
      if (peek() == '.') {
        integral = false;
        pos++;
        if (!isDigit(peek())) {
          throw error("expected a digit after the decimal point, found " + describe(pos));
        }
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        integral = false;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          throw error("expected a digit in the exponent, found " + describe(pos));
        }
        digits();
      }
      String text = s.subSequence(start, pos).toString();
      if (integral && text.length() <= 20) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
          // outside the long range: fall through to double
        }
      }
      return Double.parseDouble(text);
    }

    void digits() {
      while (isDigit(peek())) {
        pos++;
      }
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    void literal(String word) {
      for (int i = 0; i < word.length(); i++) {
        if (pos + i >= s.length() || s.charAt(pos + i) != word.charAt(i)) {
          pos += i;
          throw error("invalid literal, expected '" + word + "'");
        }
      }
      pos += word.length();
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "', found " + describe(pos));
      }
      pos++;
    }

    /** The character at pos, or U+0000 at the end (never a valid token start). */
    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          return;
        }
      }
    }

    void checkDepth(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nesting deeper than " + MAX_DEPTH + " levels");
      }
    }

    String describe(int at) {
      if (at >= s.length()) {
        return "end of input";
      }
      char c = s.charAt(at);
      return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    JsonException error(String message) {
      int line = 1;
      int col = 1;
      int end = Math.min(pos, s.length());
      for (int i = 0; i < end; i++) {
        if (s.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new JsonException(message, line, col);
    }
  }
}
