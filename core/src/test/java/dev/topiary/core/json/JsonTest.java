package dev.topiary.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}, \"c\": []} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("a", "b", "c"), new ArrayList<>(m.keySet()));
    List<?> a = (List<?>) m.get("a");
    assertEquals(1L, a.get(0));
    assertEquals(-2500.0, a.get(1));
    assertEquals(Boolean.TRUE, a.get(2));
    assertEquals(Boolean.FALSE, a.get(3));
    assertNull(a.get(4));
    assertEquals("x", a.get(5));
    assertEquals(Map.of(), m.get("b"));
    assertEquals(List.of(), m.get("c"));
  }

  @Test
  void integersStayExactAndLargeOnesBecomeDoubles() {
    assertEquals(9007199254740993L, Json.parse("9007199254740993"));
    assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
    assertEquals(9.223372036854775808e18, Json.parse("9223372036854775808"));
    assertEquals(1.0, Json.parse("1.0"));
    assertEquals(100.0, Json.parse("1E2"));
  }

  @Test
  void decodesEscapesIncludingSurrogatePairs() {
    assertEquals("\"\\/\b\f\n\r\t\u00e9\ud83d\ude00",
        Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
  }

  @Test
  void writesEscapedStringsAndReadsThemBack() {
    String s = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 é 😀";
    String json = Json.write(s);
    assertEquals("\"quote\\\" backslash\\\\ newline\\n tab\\t nul\\u0000 bell\\u0007 é 😀\"", json);
    assertEquals(s, Json.parse(json));
  }

  @Test
  void writesNumbersSoThatTheyReadBackExactly() {
    assertEquals("[0.1,0.1,3,-7,1.0E-30]", Json.write(List.of(0.1f, 0.1, 3, -7L, 1e-30)));
    assertEquals("[1.5,2.0]", Json.write(new float[] {1.5f, 2f}));
    assertEquals("[1,2]", Json.write(new int[] {1, 2}));
    float f = 0.1f;
    assertEquals(f, (float) (double) (Double) Json.parse(Json.write(f)));
  }

  @Test
  void rejectsValuesJsonCannotHold() {
    assertThrows(JsonException.class, () -> Json.write(Double.NaN));
    assertThrows(JsonException.class, () -> Json.write(Float.POSITIVE_INFINITY));
    assertThrows(JsonException.class, () -> Json.write(Map.of(1, "x")));
    assertThrows(JsonException.class, () -> Json.write(new Object()));
  }

  @Test
  void prettyOutputIsIndentedAndParsesToTheSameValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "net");
    m.put("sizes", List.of(1, 2));
    m.put("empty", List.of());
    String pretty = Json.writePretty(m);
    assertEquals("{\n  \"name\": \"net\",\n  \"sizes\": [\n    1,\n    2\n  ],\n  \"empty\": []\n}", pretty);
    assertEquals(Json.parse(Json.write(m)), Json.parse(pretty));
  }

  private static void assertError(String text, String fragment, int line, int column) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text), text);
    assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    assertEquals(line, e.line(), () -> "line of " + e.getMessage());
    assertEquals(column, e.column(), () -> "column of " + e.getMessage());
  }

  @Test
  void errorsNameTheProblemAndItsPosition() {
    assertError("", "unexpected end of input", 1, 1);
    assertError("{\"a\": 1,\n \"b\" 2}", "expected ':'", 2, 6);
    assertError("[1, 2", "expected ',' or ']'", 1, 6);
    assertError("{\"a\":1} x", "after the JSON value", 1, 9);
    assertError("{\"a\":1, \"a\":2}", "duplicate member name \"a\"", 1, 9);
    assertError("[01]", "expected ',' or ']'", 1, 3);
    assertError("[1.]", "after the decimal point", 1, 4);
    assertError("[-]", "expected a digit", 1, 3);
    assertError("\"abc", "unterminated string", 1, 5);
    assertError("\"a\nb\"", "control character U+000A", 1, 3);
    assertError("\"\\x\"", "invalid escape", 1, 3);
    assertError("\"\\u12g4\"", "hexadecimal digit", 1, 6);
    assertError("[tru]", "expected 'true'", 1, 5);
    assertError("{1:2}", "member name in double quotes", 1, 2);
    assertError("NaN", "expected a value", 1, 1);
  }

  @Test
  void deepNestingIsRejectedWithoutExhaustingTheStack() {
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    Json.parse(ok);
    String deep = "[".repeat(100_000);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nesting deeper than " + Json.MAX_DEPTH), e.getMessage());
  }

  /** A random JSON value of the types parse returns, at most {@code depth} levels deep. */
  private static Object randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 8 : 6);
    switch (kind) {
      case 0: return null;
      case 1: return r.nextBoolean();
      case 2: return r.nextLong() >> r.nextInt(64);
      case 3: {
        double d = Double.longBitsToDouble(r.nextLong());
        return Double.isFinite(d) && d != Math.rint(d) ? d : 0.5;
      }
      case 4: case 5: return randomString(r);
      case 6: {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          l.add(randomValue(r, depth - 1));
        }
        return l;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          m.put(randomString(r) + "#" + i, randomValue(r, depth - 1));
        }
        return m;
      }
    }
  }

  /** Up to 7 UTF-16 code units, no lone surrogates, rich in controls, quotes and backslashes. */
  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      sb.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x60) : r.nextInt(0xD800)));
    }
    return sb.toString();
  }

  @Property(tries = 300, seed = "20240517")
  void writeThenParseIsTheIdentity(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    Random r = new Random(seed);
    Object v = randomValue(r, 4);
    assertEquals(v, Json.parse(Json.write(v)));
    assertEquals(v, Json.parse(Json.writePretty(v)));
  }

  @Property(tries = 300, seed = "20240517")
  void randomTextEitherParsesOrRaisesJsonException(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    Random r = new Random(seed);
    char[] alphabet = "{}[],:\"\\ 0123456789.eE+-truefalsnu\n".toCharArray();
    char[] text = new char[r.nextInt(40)];
    for (int i = 0; i < text.length; i++) {
      text[i] = alphabet[r.nextInt(alphabet.length)];
    }
    try {
      Object v = Json.parse(new String(text));
      // Whatever parsed must write back to text that parses to the same value.
      assertEquals(v, Json.parse(Json.write(v)), Arrays.toString(text));
    } catch (JsonException expected) {
      assertTrue(expected.line() >= 1 && expected.column() >= 1, expected.getMessage());
    }
  }
}
