package dev.loopwatch.daemon.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A table of usage sums by key (usage_buckets, usage_days, usage_totals, session_usage): the twelve sums of {@link
 * #COLUMNS}, and the statements that add deltas to them and drop the rows they empty.
 */
record SumTable(String name, String merge, String deleteEmpty) {
  /** The key of a row: its values in the order of the table's key columns. */
  interface Key {
    Object[] values();
  }

  /** The sums, in the order of a delta's {@code long[12]}. */
  static final String COLUMNS =
      "requests, input_lo, input_hi, output_lo, output_hi, cw5_lo, cw5_hi, cw1_lo, cw1_hi, cr_lo, cr_hi, web_search";

  private static final String ADD =
      "requests = t.requests + s.requests, input_lo = t.input_lo + s.input_lo, input_hi = t.input_hi + s.input_hi,"
          + " output_lo = t.output_lo + s.output_lo, output_hi = t.output_hi + s.output_hi,"
          + " cw5_lo = t.cw5_lo + s.cw5_lo, cw5_hi = t.cw5_hi + s.cw5_hi, cw1_lo = t.cw1_lo + s.cw1_lo,"
          + " cw1_hi = t.cw1_hi + s.cw1_hi, cr_lo = t.cr_lo + s.cr_lo, cr_hi = t.cr_hi + s.cr_hi,"
          + " web_search = t.web_search + s.web_search";

  static final SumTable BUCKETS = of("usage_buckets", "bucket BIGINT", "machine", "project", "model", "speed", "agent");

  static final SumTable DAYS = of("usage_days", "local_day BIGINT", "machine", "project", "model", "speed", "agent");

  static final SumTable TOTALS = of("usage_totals", "machine", "project", "model", "speed", "agent");

  static final SumTable SESSION_USAGE = of("session_usage", "session_id", "model", "speed", "agent");

  /** {@code keyColumns}: each key column's name, followed by its SQL type when not VARCHAR. */
  static SumTable of(String table, String... keyColumns) {
    List<String> names = new ArrayList<>();
    List<String> casts = new ArrayList<>();
    for (String column : keyColumns) {
      String[] nameAndType = column.split(" ");
      names.add(nameAndType[0]);
      casts.add("CAST(? AS " + (nameAndType.length > 1 ? nameAndType[1] : "VARCHAR") + ")");
    }
    List<String> all = new ArrayList<>(names);
    all.addAll(Arrays.asList(COLUMNS.split(", ")));
    String merge =
        "MERGE INTO " + table + " t USING (VALUES (" + String.join(",", casts) + "," + Sql.longMarks(12) + "))"
            + " AS s(" + String.join(", ", all) + ") ON "
            + String.join(" AND ", names.stream().map(n -> "t." + n + " = s." + n).toList())
            + " WHEN MATCHED THEN UPDATE SET " + ADD
            + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", all) + ")"
            + " VALUES (" + String.join(", ", all.stream().map(n -> "s." + n).toList()) + ")";
    String deleteEmpty =
        "DELETE FROM " + table + " WHERE " + String.join(" AND ", names.stream().map(n -> n + " = ?").toList())
            + " AND requests = 0";
    return new SumTable(table, merge, deleteEmpty);
  }

  /** Adds each delta to its row (creating it), then drops rows whose sums went back to none. */
  <K extends Key> void write(Connection c, Map<K, long[]> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(merge)) {
      for (Map.Entry<K, long[]> d : deltas.entrySet()) {
        int next = bindKey(ps, d.getKey());
        long[] sums = d.getValue();
        for (int i = 0; i < sums.length; i++) {
          ps.setLong(next + i, sums[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
    // Sums that returned to nothing (a request moved to another bucket) leave no empty rows behind.
    try (PreparedStatement ps = c.prepareStatement(deleteEmpty)) {
      for (Map.Entry<K, long[]> d : deltas.entrySet()) {
        if (d.getValue()[0] < 0) {
          bindKey(ps, d.getKey());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Binds a key's values from parameter 1; returns the next free parameter. */
  private static int bindKey(PreparedStatement ps, Key key) throws SQLException {
    Object[] values = key.values();
    for (int i = 0; i < values.length; i++) {
      ps.setObject(i + 1, values[i]);
    }
    return values.length + 1;
  }
}
