package dev.loopwatch.daemon.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * Keys per IN list. H2 finds an IN list's rows through the index, but then checks every row it found
   * against the whole list, one comparison per entry: looking n keys up in lists of k costs n × k
   * comparisons. Measured on 30,000 event ids (C1, warm): lists of 500 took 1.4–1.6 s, lists of 50
   * 0.23–0.29 s, one statement per key 0.27–0.41 s.
   */
  static final int IN_LIST_KEYS = 50;

  /** The SQL of a statement whose IN list is {@code marks} ("?,?,…"). */
  @FunctionalInterface
  interface InListSql {
    String with(String marks);
  }

  @FunctionalInterface
  private interface Execution {
    void run(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs the query once per {@link #IN_LIST_KEYS} keys (bound as its only parameters) and hands every
   * row to {@code handler}.
   */
  static void eachIn(Connection c, InListSql sql, Collection<String> keys, RowHandler handler) throws SQLException {
    inLists(c, sql, keys, ps -> rows(ps, handler));
  }

  /** Runs the update once per {@link #IN_LIST_KEYS} keys (bound as its only parameters). */
  static void updateIn(Connection c, InListSql sql, Collection<String> keys) throws SQLException {
    inLists(c, sql, keys, PreparedStatement::executeUpdate);
  }

  /** Prepares at most two statements: one for the full lists, one for the rest. */
  private static void inLists(Connection c, InListSql sql, Collection<String> keys, Execution execution)
      throws SQLException {
    List<String> list = new ArrayList<>(keys);
    int full = list.size() - list.size() % IN_LIST_KEYS;
    if (full > 0) {
      try (PreparedStatement ps = c.prepareStatement(sql.with(marks(IN_LIST_KEYS)))) {
        for (int i = 0; i < full; i += IN_LIST_KEYS) {
          bind(ps, list.subList(i, i + IN_LIST_KEYS));
          execution.run(ps);
        }
      }
    }
    if (full < list.size()) {
      try (PreparedStatement ps = c.prepareStatement(sql.with(marks(list.size() - full)))) {
        bind(ps, list.subList(full, list.size()));
        execution.run(ps);
      }
    }
  }

  private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
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
      rows(bindAll(ps, params), handler);
    }
  }

  /**
   * The first {@code columns} numbers of the first row of {@code sql} run with {@code params}; zeros
   * where it has no row or a column is NULL (the aggregates of an empty set).
   */
  static long[] numbers(Connection c, String sql, int columns, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return numbers(bindAll(ps, params), columns);
    }
  }

  private static PreparedStatement bindAll(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }

  private static void rows(PreparedStatement ps, RowHandler handler) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        handler.accept(rs);
      }
    }
  }

  private static long[] numbers(PreparedStatement ps, int columns) throws SQLException {
    long[] out = new long[columns];
    try (ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        for (int i = 0; i < columns; i++) {
          out[i] = rs.getLong(i + 1);
        }
      }
    }
    return out;
  }

  /**
   * Statements prepared once and run many times, such as the reads of a session's recompute, run for
   * every dirty session of a batch: H2 parses a statement's SQL on every {@code prepareStatement}, and
   * parsing those reads again for each session was about a sixth of the projector's time in a backfill.
   * Not thread-safe; closing it closes the statements.
   */
  static final class Statements implements AutoCloseable {
    private final Connection c;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    Statements(Connection c) {
      this.c = c;
    }

    /** The statement of {@code sql}, prepared on first use; the caller binds every parameter. */
    PreparedStatement of(String sql) throws SQLException {
      PreparedStatement ps = prepared.get(sql);
      if (ps == null) {
        ps = c.prepareStatement(sql);
        prepared.put(sql, ps);
      }
      return ps;
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
      List<T> out = new ArrayList<>();
      rows(bindAll(of(sql), params), rs -> out.add(mapper.map(rs)));
      return out;
    }

    /** Runs an update with {@code params} bound in order; the count of rows it changed. */
    int update(String sql, Object... params) throws SQLException {
      return bindAll(of(sql), params).executeUpdate();
    }

    /** As {@link Sql#numbers(Connection, String, int, Object...)}. */
    long[] numbers(String sql, int columns, Object... params) throws SQLException {
      return Sql.numbers(bindAll(of(sql), params), columns);
    }

    @Override
    public void close() throws SQLException {
      SQLException first = null;
      for (PreparedStatement ps : prepared.values()) {
        try {
          ps.close();
        } catch (SQLException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      prepared.clear();
      if (first != null) {
        throw first;
      }
    }
  }
}
