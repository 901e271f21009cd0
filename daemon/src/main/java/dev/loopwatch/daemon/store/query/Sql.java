package dev.loopwatch.daemon.store.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The statement-bind-iterate loop every read query would otherwise repeat. */
final class Sql {
  private Sql() {}

  /** Turns the current row into a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Consumes the current row. */
  @FunctionalInterface
  interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  /** Every row of {@code sql} run with {@code params} (bound in order), mapped. */
  static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    List<T> out = new ArrayList<>();
    each(c, sql, rs -> out.add(mapper.map(rs)), params);
    return out;
  }

  /** Hands every row of {@code sql} run with {@code params} (bound in order) to {@code handler}. */
  static void each(Connection c, String sql, RowHandler handler, Object... params) throws SQLException {
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
}
