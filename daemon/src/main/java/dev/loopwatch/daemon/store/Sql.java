package dev.loopwatch.daemon.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small JDBC helpers for IN lists and VALUES rows. */
final class Sql {
  private Sql() {}

  static String marks(int n) {
    return String.join(",", Collections.nCopies(n, "?"));
  }

  static String longMarks(int n) {
    return String.join(",", Collections.nCopies(n, "CAST(? AS BIGINT)"));
  }

  static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return out;
  }

  static void bind(PreparedStatement ps, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(i + 1, values.get(i));
    }
  }
}
