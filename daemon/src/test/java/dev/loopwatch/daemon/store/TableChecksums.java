package dev.loopwatch.daemon.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** A checksum of every row of every projection table, in primary-key order. */
public final class TableChecksums {
  private static final Map<String, String> ORDER =
      Map.ofEntries(
          Map.entry("events", "id"),
          Map.entry("sessions", "session_id"),
          Map.entry("api_requests", "message_id, request_id"),
          Map.entry("usage_buckets", "bucket, machine, project, model, speed, agent"),
          Map.entry("usage_days", "local_day, machine, project, model, speed, agent"),
          Map.entry("usage_totals", "machine, project, model, speed, agent"),
          Map.entry("session_usage", "session_id, model, speed, agent"),
          Map.entry("tool_calls", "tool_use_id"),
          Map.entry("failures", "signature"),
          Map.entry("file_touches", "tool_use_id"),
          Map.entry("subagents", "tool_use_id"),
          Map.entry("outcome_files", "event_id"));

  private TableChecksums() {}

  /** Table name to "rows:sha256". */
  public static Map<String, String> of(Connection c) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : Projector.TABLES) {
      if (table.equals("projection_offset")) {
        continue; // its updated_at is a wall-clock time
      }
      String order = ORDER.get(table);
      if (order == null) {
        throw new IllegalStateException("TableChecksums has no key order for the table " + table);
      }
      out.put(table, checksum(c, table, order));
    }
    return out;
  }

  private static String checksum(Connection c, String table, String order) throws SQLException, Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long rows = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        rows++;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          md.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8)); // getObject of a CLOB has an identity
          md.update((byte) 0);
        }
        md.update((byte) '\n');
      }
    }
    return rows + ":" + HexFormat.of().formatHex(md.digest());
  }
}
