package dev.topiary.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row, right-aligned numbers and left-aligned text. */
final class TextTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have as many cells as the header. */
  TextTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(String.valueOf(c));
    }
    rows.add(r);
    return this;
  }

  /** The rendered table, one line per row, ending with a newline. */
  String render() {
    int n = header.size();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    for (int j = 0; j < n; j++) {
      width[j] = header.get(j).length();
      numeric[j] = !rows.isEmpty();
    }
    for (List<String> r : rows) {
      for (int j = 0; j < n; j++) {
        width[j] = Math.max(width[j], r.get(j).length());
        numeric[j] &= looksNumeric(r.get(j));
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, header, width, numeric);
    int total = 0;
    for (int w : width) {
      total += w;
    }
    sb.append("-".repeat(total + 2 * (n - 1))).append('\n');
    for (List<String> r : rows) {
      appendRow(sb, r, width, numeric);
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
    for (int j = 0; j < cells.size(); j++) {
      String c = cells.get(j);
      String pad = " ".repeat(width[j] - c.length());
      if (j > 0) {
        sb.append("  ");
      }
      sb.append(numeric[j] ? pad + c : (j == cells.size() - 1 ? c : c + pad));
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }

  private static boolean looksNumeric(String s) {
    if (s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    return Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && s.length() > 1)
        || s.equals("-");
  }
}
