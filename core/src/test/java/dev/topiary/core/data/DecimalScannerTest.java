package dev.topiary.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DecimalScannerTest {

  private static float scan(String s) {
    DecimalScanner sc = new DecimalScanner();
    float v = sc.parse("#" + s + "#", 1, s.length() + 1);
    assertEquals(DecimalScanner.NUMBER, sc.status(), () -> "not a number: '" + s + "'");
    return v;
  }

  @Provide
  Arbitrary<String> decimals() {
    Arbitrary<String> sign = Arbitraries.of("", "-", "+");
    Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(9);
    Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
        Arbitraries.integers().between(-45, 38).map(e -> "e" + e));
    return Combinators.combine(sign, whole, fraction, exponent, Arbitraries.of(true, false))
        .as((s, w, f, e, dot) -> s + (w.isEmpty() && f.isEmpty() ? "0" : w) + (dot || !f.isEmpty() ? "." : "") + f + e);
  }

  /** The fast path and the fallback both agree bit for bit with the JDK's correctly rounded parser. */
  @Property(tries = 3000, seed = "1")
  void agreesWithFloatParseFloat(@ForAll("decimals") String s) {
    assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(scan(s)), s);
  }

  @Property(tries = 1000, seed = "2")
  void readsBackWhatJavaPrints(@ForAll @FloatRange(min = -1e6f, max = 1e6f) float v) {
    assertEquals(v, scan(Float.toString(v)));
  }

  /** A valid number with one foreign character inserted anywhere is not a number. */
  @Property(tries = 1000, seed = "3")
  void rejectsNumbersWithAForeignCharacter(@ForAll("decimals") String s,
      @ForAll @IntRange(min = 0, max = 100) int at, @ForAll("foreign") char c) {
    int i = at % (s.length() + 1);
    String candidate = s.substring(0, i) + c + s.substring(i);
    DecimalScanner sc = new DecimalScanner();
    sc.parse(candidate, 0, candidate.length());
    assertEquals(DecimalScanner.INVALID, sc.status(), candidate);
  }

  @Provide
  Arbitrary<Character> foreign() {
    return Arbitraries.of('x', 'X', ',', ';', '_', '/', '#', '%', '$', 'f', 'd', '\'', '"');
  }

  @Test
  void specialValuesBlanksAndInvalidForms() {
    assertEquals(Float.NaN, scan("NaN"));
    assertEquals(Float.NaN, scan("nan"));
    assertEquals(Float.POSITIVE_INFINITY, scan("Infinity"));
    assertEquals(Float.NEGATIVE_INFINITY, scan("-inf"));
    assertEquals(Float.POSITIVE_INFINITY, scan("1e39"));
    assertEquals(-0f, scan("-0"));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(scan("-0.0")));
    assertEquals(12.5f, scan(" \t12.5  "));
    DecimalScanner sc = new DecimalScanner();
    sc.parse("   ", 0, 3);
    assertEquals(DecimalScanner.EMPTY, sc.status());
    for (String bad : new String[] {"-", "+", ".", "e5", "1e", "1e+", "1..2", "1.2.3", "--1", "0x1p3", "1f", "1d",
        "nana", "infinit", "1 2", "1,5"}) {
      sc.parse(bad, 0, bad.length());
      assertEquals(DecimalScanner.INVALID, sc.status(), bad);
    }
  }
}
