package dev.loopwatch.client;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table: a header row, then rows; numbers right-aligned, text left-aligned, two spaces
 * between columns, no trailing spaces. {@link #rule()} draws a line of dashes (before a totals row).
 */
final class Table {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> right = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  /** A left-aligned (text) column. */
  Table text(String header) {
    headers.add(header);
    right.add(false);
    return this;
  }

  /** A right-aligned (number) column. */
  Table num(String header) {
    headers.add(header);
    right.add(true);
    return this;
  }

  void row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(cells);
  }

  /** A line of dashes across every column. */
  void rule() {
    rows.add(null);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String render() {
    int n = headers.size();
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      width[c] = headers.get(c).length();
    }
    for (String[] r : rows) {
      if (r != null) {
        for (int c = 0; c < n; c++) {
          width[c] = Math.max(width[c], cell(r[c]).length());
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers.toArray(new String[0]), width);
    for (String[] r : rows) {
      if (r == null) {
        String[] dashes = new String[n];
        for (int c = 0; c < n; c++) {
          dashes[c] = "-".repeat(width[c]);
        }
        line(sb, dashes, width);
      } else {
        line(sb, r, width);
      }
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, String[] cells, int[] width) {
    int start = sb.length();
    for (int c = 0; c < cells.length; c++) {
      String v = cell(cells[c]);
      if (c > 0) {
        sb.append("  ");
      }
      int pad = width[c] - v.length();
      if (right.get(c)) {
        sb.append(" ".repeat(pad)).append(v);
      } else {
        sb.append(v).append(" ".repeat(pad));
      }
    }
    int end = sb.length();
    while (end > start && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }

  private static String cell(String v) {
    return v == null ? Formats.NONE : v;
  }
}
