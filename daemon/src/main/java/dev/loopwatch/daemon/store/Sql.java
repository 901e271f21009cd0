package dev.loopwatch.daemon.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Small JDBC helpers: IN lists and VALUES rows for the projection, and the statement-bind-iterate loop
 * that every read (the projection's and the queries') would otherwise repeat.
 */
public final class Sql {
  private Sql() {}

  /** Turns the current row into a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Consumes the current row. */
  @FunctionalInterface
  public interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

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

  /** Every row of {@code sql} run with {@code params} (bound in order), mapped. */
  public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    List<T> out = new ArrayList<>();
    each(c, sql, rs -> out.add(mapper.map(rs)), params);
    return out;
  }

  /** Hands every row of {@code sql} run with {@code params} (bound in order) to {@code handler}. */
  public static void each(Connection c, String sql, RowHandler handler, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          handler.accept(rs);
        }
      }
    }
  }

  /**
   * The first {@code columns} numbers of the first row of {@code sql} run with {@code params}; zeros
   * where it has no row or a column is NULL (the aggregates of an empty set).
   */
  static long[] numbers(Connection c, String sql, int columns, Object... params) throws SQLException {
    long[] out = new long[columns];
    List<long[]> rows =
        list(
            c, sql,
            rs -> {
              long[] row = new long[columns];
              for (int i = 0; i < columns; i++) {
                row[i] = rs.getLong(i + 1);
              }
              return row;
            },
            params);
    return rows.isEmpty() ? out : rows.get(0);
  }
}
