package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.analysis.Cancellations;
import dev.loopwatch.daemon.analysis.FailureSignature;
import dev.loopwatch.daemon.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Projects tool uses, their results, file touches and subagent runs. A call and its result are paired
 * by tool_use_id whichever arrives first (a result can be journaled before its call when files are read
 * out of order, and a hook can report either). A failed, non-rejected result gets its failure signature
 * once both halves are known, and counts once in {@code failures}. A call Claude Code cancelled because a
 * parallel sibling failed ({@link Cancellations}) has a result but no {@code success}: it never ran.
 */
final class ToolProjection {
  private final List<Event> calls = new ArrayList<>();
  private final List<Event> results = new ArrayList<>();
  private final List<Event> touches = new ArrayList<>();
  private final List<Event> subagents = new ArrayList<>();

  void call(Event e) {
    if (e.attr("toolUseId") != null) {
      calls.add(e);
    }
  }

  void result(Event e) {
    if (e.attr("toolUseId") != null) {
      results.add(e);
    }
  }

  void fileTouch(Event e) {
    if (e.attr("filePath") != null) {
      touches.add(e);
    }
  }

  void subagent(Event e) {
    if (e.attr("toolUseId") != null) {
      subagents.add(e);
    }
  }

  /** Writes the batch; returns the tool_use_ids whose call or result changed. */
  Set<String> flush(Connection c) throws SQLException {
    Set<String> touched = new LinkedHashSet<>();
    writeCalls(c, touched);
    writeResults(c, touched);
    writeTouches(c);
    writeSubagents(c);
    assignSignatures(c, touched);
    calls.clear();
    results.clear();
    touches.clear();
    subagents.clear();
    return touched;
  }

  private void writeCalls(Connection c, Set<String> touched) throws SQLException {
    if (calls.isEmpty()) {
      return;
    }
    String sql =
        "MERGE INTO tool_calls t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR)))"
            + " AS s(id, machine, session_id, project, agent_id, tool, ts, file_path, summary)"
            + " ON t.tool_use_id = s.id"
            + " WHEN MATCHED THEN UPDATE SET " + KEEP_FIRST_IDENTITY
            + " call_ts = LEAST(COALESCE(t.call_ts, s.ts), s.ts), file_path = COALESCE(t.file_path, s.file_path),"
            + " input_summary = COALESCE(t.input_summary, s.summary)"
            + " WHEN NOT MATCHED THEN INSERT (tool_use_id, machine, session_id, project, agent_id, tool, call_ts,"
            + " file_path, input_summary) VALUES (s.id, s.machine, s.session_id, s.project, s.agent_id, s.tool,"
            + " s.ts, s.file_path, s.summary)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Event e : calls) {
        touched.add(bindIdentity(ps, e));
        ps.setString(6, e.tool());
        ps.setLong(7, e.ts().toEpochMilli());
        ps.setString(8, cut(e.attr("filePath"), 4096));
        ps.setString(9, cut(summary(e), 1024));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Binds parameters 1-5 (tool use id, machine, session, project, agent) of a call or result; returns the id. */
  private static String bindIdentity(PreparedStatement ps, Event e) throws SQLException {
    String id = e.attr("toolUseId");
    ps.setString(1, id);
    ps.setString(2, e.machine());
    ps.setString(3, e.sessionId());
    ps.setString(4, e.project());
    ps.setString(5, e.agentId());
    return id;
  }

  /** A call and its result each know where it happened; whichever arrives first fills it in. */
  private static final String KEEP_FIRST_IDENTITY =
      "machine = COALESCE(t.machine, s.machine), session_id = COALESCE(t.session_id, s.session_id),"
          + " project = COALESCE(t.project, s.project), agent_id = COALESCE(t.agent_id, s.agent_id),"
          + " tool = COALESCE(t.tool, s.tool),";

  private void writeResults(Connection c, Set<String> touched) throws SQLException {
    if (results.isEmpty()) {
      return;
    }
    // Several reports of one result (transcript and hook) combine: any failure, rejection or
    // interruption sticks; the first timestamp and message are kept.
    String sql =
        "MERGE INTO tool_calls t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS BOOLEAN),"
            + " CAST(? AS BOOLEAN), CAST(? AS BOOLEAN), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR)))"
            + " AS s(id, machine, session_id, project, agent_id, ts, success, rejected, interrupted, duration,"
            + " error, tool)"
            + " ON t.tool_use_id = s.id"
            + " WHEN MATCHED THEN UPDATE SET " + KEEP_FIRST_IDENTITY
            + " result_ts = LEAST(COALESCE(t.result_ts, s.ts), s.ts),"
            + " success = COALESCE(t.success, s.success) AND COALESCE(s.success, t.success),"
            + " rejected = t.rejected OR s.rejected, interrupted = t.interrupted OR s.interrupted,"
            + " duration_ms = COALESCE(t.duration_ms, s.duration), error = COALESCE(t.error, s.error)"
            + " WHEN NOT MATCHED THEN INSERT (tool_use_id, machine, session_id, project, agent_id, tool, result_ts,"
            + " success, rejected, interrupted, duration_ms, error) VALUES (s.id, s.machine, s.session_id, s.project,"
            + " s.agent_id, s.tool, s.ts, s.success, s.rejected, s.interrupted, s.duration, s.error)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Event e : results) {
        touched.add(bindIdentity(ps, e));
        ps.setLong(6, e.ts().toEpochMilli());
        if (Boolean.FALSE.equals(e.success()) && Cancellations.bySibling(e.error())) {
          ps.setNull(7, Types.BOOLEAN); // cancelled, never ran: neither a success nor a failure
        } else {
          ps.setBoolean(7, !Boolean.FALSE.equals(e.success()));
        }
        ps.setBoolean(8, "true".equals(e.attr("rejected")));
        ps.setBoolean(9, "true".equals(e.attr("interrupted")));
        if (e.durationMs() == null) {
          ps.setNull(10, Types.BIGINT);
        } else {
          ps.setLong(10, e.durationMs());
        }
        ps.setString(11, cut(e.error(), 4096));
        ps.setString(12, e.tool());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void writeTouches(Connection c) throws SQLException {
    if (touches.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "MERGE INTO file_touches (tool_use_id, machine, session_id, project, ts, file_path, op, lines_added,"
                + " lines_removed, user_modified) KEY (tool_use_id) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      for (Event e : touches) {
        String id = e.attr("toolUseId") != null ? e.attr("toolUseId") : "event:" + e.id();
        ps.setString(1, id);
        ps.setString(2, e.machine());
        ps.setString(3, e.sessionId());
        ps.setString(4, e.project());
        ps.setLong(5, e.ts().toEpochMilli());
        ps.setString(6, cut(e.attr("filePath"), 4096));
        ps.setString(7, e.attr("op") == null ? "touch" : e.attr("op"));
        ps.setLong(8, number(e.attr("linesAdded")));
        ps.setLong(9, number(e.attr("linesRemoved")));
        ps.setBoolean(10, "true".equals(e.attr("userModified")));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void writeSubagents(Connection c) throws SQLException {
    if (subagents.isEmpty()) {
      return;
    }
    String sql =
        "MERGE INTO subagents t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT),"
            + " CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)))"
            + " AS s(id, machine, session_id, agent_id, agent_type, description, model, spawned, done, status,"
            + " tokens, uses, duration)"
            + " ON t.tool_use_id = s.id"
            + " WHEN MATCHED THEN UPDATE SET machine = COALESCE(t.machine, s.machine),"
            + " session_id = COALESCE(t.session_id, s.session_id), agent_id = COALESCE(t.agent_id, s.agent_id),"
            + " agent_type = COALESCE(t.agent_type, s.agent_type), description = COALESCE(t.description, s.description),"
            + " model = COALESCE(t.model, s.model), spawned_ts = COALESCE(t.spawned_ts, s.spawned),"
            + " done_ts = COALESCE(t.done_ts, s.done), status = COALESCE(t.status, s.status),"
            + " total_tokens = COALESCE(t.total_tokens, s.tokens), tool_uses = COALESCE(t.tool_uses, s.uses),"
            + " duration_ms = COALESCE(t.duration_ms, s.duration)"
            + " WHEN NOT MATCHED THEN INSERT (tool_use_id, machine, session_id, agent_id, agent_type, description,"
            + " model, spawned_ts, done_ts, status, total_tokens, tool_uses, duration_ms) VALUES (s.id, s.machine,"
            + " s.session_id, s.agent_id, s.agent_type, s.description, s.model, s.spawned, s.done, s.status,"
            + " s.tokens, s.uses, s.duration)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Event e : subagents) {
        boolean done = "done".equals(e.attr("phase"));
        ps.setString(1, e.attr("toolUseId"));
        ps.setString(2, e.machine());
        ps.setString(3, e.sessionId());
        ps.setString(4, done ? e.attr("subagentId") : null);
        ps.setString(5, cut(e.attr("subagentType"), 255));
        ps.setString(6, cut(e.attr("description"), 1024));
        ps.setString(7, cut(e.attr("subagentModel"), 255));
        setLong(ps, 8, done ? null : e.ts().toEpochMilli());
        setLong(ps, 9, done ? e.ts().toEpochMilli() : null);
        ps.setString(10, done ? e.attr("status") : null);
        setLong(ps, 11, done ? nullableNumber(e.attr("totalTokens")) : null);
        setLong(ps, 12, done ? nullableNumber(e.attr("toolUses")) : null);
        setLong(ps, 13, done ? e.durationMs() : null);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Whether the occurrence being merged ({@code s}) comes before the one the failures row shows ({@code t}). */
  private static final String EARLIER =
      "(s.ts < t.first_ts OR (s.ts = t.first_ts AND COALESCE(s.example, '') < COALESCE(t.example, '')))";

  /** Gives failed calls whose tool is now known their signature, once, and counts them in failures. */
  private void assignSignatures(Connection c, Set<String> touched) throws SQLException {
    if (touched.isEmpty()) {
      return;
    }
    record Failed(String id, String sessionId, String machine, String tool, String error, long ts, String summary, String file) {}
    List<Failed> failed = new ArrayList<>();
    Sql.eachIn(
        c,
        marks ->
            "SELECT tool_use_id, session_id, machine, tool, error, COALESCE(result_ts, call_ts), input_summary,"
                + " file_path FROM tool_calls WHERE tool_use_id IN (" + marks + ")"
                + " AND success = FALSE AND rejected = FALSE AND signature IS NULL AND tool IS NOT NULL",
        touched,
        rs ->
            failed.add(
                new Failed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getLong(6), rs.getString(7), rs.getString(8))));
    if (failed.isEmpty()) {
      return;
    }
    Set<String> signatures = new LinkedHashSet<>();
    try (PreparedStatement mark = c.prepareStatement("UPDATE tool_calls SET signature = ? WHERE tool_use_id = ?");
        PreparedStatement count =
            c.prepareStatement(
                "MERGE INTO failures t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
                    + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
                    + " AS s(signature, machine, tool, error_class, input_shape, example, ts)"
                    + " ON t.signature = s.signature"
                    // the example is the earliest occurrence (ties: the smallest text), whatever the order
                    + " WHEN MATCHED THEN UPDATE SET example = CASE WHEN " + EARLIER + " THEN s.example ELSE t.example END,"
                    + " machine = CASE WHEN " + EARLIER + " THEN s.machine ELSE t.machine END,"
                    + " occurrences = t.occurrences + 1,"
                    + " first_ts = LEAST(t.first_ts, s.ts), last_ts = GREATEST(t.last_ts, s.ts)"
                    + " WHEN NOT MATCHED THEN INSERT (signature, machine, tool, error_class, input_shape, example,"
                    + " occurrences, sessions, first_ts, last_ts) VALUES (s.signature, s.machine, s.tool,"
                    + " s.error_class, s.input_shape, s.example, 1, 0, s.ts, s.ts)")) {
      for (Failed f : failed) {
        boolean shell = f.tool().equals("Bash") || f.tool().equals("BashOutput");
        FailureSignature sig = FailureSignature.of(f.tool(), f.error(), shell ? f.summary() : null, shell ? null : f.file());
        signatures.add(sig.signature());
        mark.setString(1, sig.signature());
        mark.setString(2, f.id());
        mark.addBatch();
        count.setString(1, sig.signature());
        count.setString(2, f.machine());
        count.setString(3, sig.tool());
        count.setString(4, sig.errorClass());
        count.setString(5, sig.inputShape());
        count.setString(6, cut(f.error(), 4096));
        count.setLong(7, f.ts());
        count.addBatch();
      }
      mark.executeBatch();
      count.executeBatch();
    }
    Sql.updateIn(
        c,
        marks ->
            "UPDATE failures f SET sessions = (SELECT COUNT(DISTINCT t.session_id) FROM tool_calls t"
                + " WHERE t.signature = f.signature) WHERE f.signature IN (" + marks + ")",
        signatures);
  }

  /** The part of a tool's input that says what it did: the command, pattern, URL, file or task. */
  static String summary(Event e) {
    for (String key : new String[] {"command", "pattern", "url", "query", "filePath", "description", "skill"}) {
      String v = e.attr(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static long number(String s) {
    Long n = nullableNumber(s);
    return n == null ? 0 : n;
  }

  private static Long nullableNumber(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }
}
