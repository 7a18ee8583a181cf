package dev.topiary.core.data;

/**
 * Parses one decimal number from a span of characters without allocating in the common case.
 *
 * <p>Grammar (surrounding spaces and tabs ignored): an optional sign, then digits with an optional
 * fraction ({@code 12}, {@code 1.5}, {@code .5}, {@code 3.}), then an optional exponent ({@code e-3});
 * or {@code NaN}, {@code Inf} or {@code Infinity} in any case, optionally signed. Anything else (hex
 * floats, {@code f}/{@code d} suffixes, thousands separators) is invalid, which {@link Float#parseFloat}
 * alone would not guarantee.
 *
 * <p>Fast path (Clinger): when the digits form an integer m &lt; 2<sup>24</sup> with at most 10 fraction
 * digits and no exponent, both m and 10<sup>k</sup> are exact floats and one IEEE division gives the
 * correctly rounded result, identical to {@link Float#parseFloat}. Other numbers fall back to it on the
 * validated substring.
 */
final class DecimalScanner {

  /** The span held a number (possibly NaN or infinite). */
  static final int NUMBER = 0;
  /** The span was empty or blank. */
  static final int EMPTY = 1;
  /** The span was not a number. */
  static final int INVALID = 2;

  private static final float[] POW10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
  private static final long EXACT_LIMIT = 1L << 24;

  private int status;

  /** What the last {@link #parse} found: {@link #NUMBER}, {@link #EMPTY} or {@link #INVALID}. */
  int status() {
    return status;
  }

  /** Parses {@code s[start, end)}; check {@link #status()} before using the result. */
  float parse(String s, int start, int end) {
    return parse(s.toCharArray(), start, end);
  }

  /** Parses {@code s[start, end)}; check {@link #status()} before using the result. */
  float parse(char[] s, int start, int end) {
    while (start < end && isBlank(s[start])) {
      start++;
    }
    while (end > start && isBlank(s[end - 1])) {
      end--;
    }
    if (start == end) {
      status = EMPTY;
      return Float.NaN;
    }
    status = INVALID;
    int i = start;
    boolean negative = false;
    char c = s[i];
    if (c == '+' || c == '-') {
      negative = c == '-';
      i++;
      if (i == end) {
        return Float.NaN;
      }
      c = s[i];
    }
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I') {
      return special(s, i, end, negative);
    }
    long m = 0;
    boolean exact = true;
    int digits = 0;
    int fraction = 0;
    while (i < end && isDigit(c = s[i])) {
      if (exact) {
        m = m * 10 + (c - '0');
        exact = m < EXACT_LIMIT;
      }
      digits++;
      i++;
    }
    if (i < end && s[i] == '.') {
      i++;
      while (i < end && isDigit(c = s[i])) {
        if (exact) {
          m = m * 10 + (c - '0');
          fraction++;
          exact = m < EXACT_LIMIT;
        }
        digits++;
        i++;
      }
    }
    if (digits == 0) {
      return Float.NaN;
    }
    boolean exponent = false;
    if (i < end && ((c = s[i]) == 'e' || c == 'E')) {
      i++;
      if (i < end && ((c = s[i]) == '+' || c == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < end && isDigit(s[i])) {
        expDigits++;
        i++;
      }
      if (expDigits == 0) {
        return Float.NaN;
      }
      exponent = true;
    }
    if (i != end) {
      return Float.NaN;
    }
    status = NUMBER;
    if (exact && !exponent && fraction < POW10.length) {
      float v = (float) m / POW10[fraction];
      return negative ? -v : v;
    }
    return Float.parseFloat(new String(s, start, end - start));
  }

  private float special(char[] s, int i, int end, boolean negative) {
    int n = end - i;
    if (n == 3 && matches(s, i, "nan")) {
      status = NUMBER;
      return Float.NaN;
    }
    if ((n == 3 && matches(s, i, "inf")) || (n == 8 && matches(s, i, "infinity"))) {
      status = NUMBER;
      return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    return Float.NaN;
  }

  /** Whether {@code s} at {@code i} holds {@code word}, ignoring case as {@link String#regionMatches} does. */
  private static boolean matches(char[] s, int i, String word) {
    return new String(s, i, word.length()).regionMatches(true, 0, word, 0, word.length());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
