package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.analysis.SessionFacts;
import dev.loopwatch.daemon.analysis.SessionOutcomes;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import dev.loopwatch.daemon.pricing.ModelPrice;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps one {@code sessions} row per session. Identity fields merge so that any arrival order gives the
 * same row (project from the earliest event that names one, title from the latest); counters, the
 * outcome and the first and last activity are recomputed from {@code events}, {@code tool_calls} and the
 * usage tables whenever the session was touched, so a hook and a transcript reporting the same tool call
 * count it once. Bookkeeping records (titles, cost-state, ...) are no activity: without a time of their
 * own they carry the time they were read; a session with nothing else keeps that time.
 */
final class SessionProjection {
  /** What one batch learned about a session. */
  private static final class Delta {
    String machine;
    String project;
    long projectTs = Long.MAX_VALUE;
    long firstTs = Long.MAX_VALUE;
    long lastTs = Long.MIN_VALUE;
    String title;
    long titleTs = Long.MIN_VALUE;
    String version;
    String gitBranch;
    boolean ended;
    String declared;
    long declaredTs = Long.MIN_VALUE;
  }

  /*
   * A session's recompute runs on every batch that touches it, so each of its reads must cost about the
   * same for a session of 20,000 rows as for one of 20 (live-benchmark.sh measures it). H2 seeks an
   * index by equality on its leading columns, and reads an index in order (stopping at LIMIT) only when
   * ORDER BY names all its columns; with kind IN (...), or MIN/MAX under a WHERE, it reads every row of
   * the session instead (7 and 12 ms at 20,000 events, against 1 and 0.1 ms).
   */

  /** Counts of the few kinds the counters need: one branch per kind, each a seek in events_session. */
  private static final String COUNTED_KINDS =
      Stream.of("PROMPT", "TURN", "COMPACTION", "SESSION_STATE")
          .map(
              kind ->
                  "SELECT kind, detail, source, COUNT(*), COALESCE(SUM(duration_ms), 0), MIN(ts), MAX(ts),"
                      + " agent_id IS NOT NULL FROM events WHERE session_id = ?1 AND kind = '" + kind + "'"
                      + " GROUP BY kind, detail, source, agent_id IS NOT NULL")
          .collect(Collectors.joining(" UNION ALL "));

  /**
   * The first and the last event of each kind that is activity (every kind but SESSION_STATE, whose only
   * activity, interruptions, the counted kinds give): two rows of events_session per kind.
   */
  private static final String ACTIVITY_ENDS =
      Arrays.stream(EventKind.values())
          .filter(k -> k != EventKind.SESSION_STATE)
          .map(
              k ->
                  "(SELECT ts FROM events WHERE session_id = ?1 AND kind = '" + k.name() + "'"
                      + " ORDER BY session_id, kind, ts FETCH FIRST ROW ONLY) UNION ALL"
                      + " (SELECT ts FROM events WHERE session_id = ?1 AND kind = '" + k.name() + "'"
                      + " ORDER BY session_id DESC, kind DESC, ts DESC FETCH FIRST ROW ONLY)")
          .collect(Collectors.joining(" UNION ALL "));

  /** The time of the session's latest answer that is no API error and no placeholder. */
  private static final String LAST_RESPONSE =
      "SELECT ts FROM api_requests WHERE session_id = ? AND api_error = FALSE AND model <> '"
          + ModelPrice.SYNTHETIC + "' ORDER BY session_id DESC, api_error DESC, ts DESC FETCH FIRST ROW ONLY";

  private final Map<String, Delta> deltas = new LinkedHashMap<>();

  void add(Event e) {
    if (e.sessionId() == null) {
      return;
    }
    Delta d = deltas.computeIfAbsent(e.sessionId(), s -> new Delta());
    long ts = e.ts().toEpochMilli();
    if (d.machine == null) {
      d.machine = e.machine();
    }
    if (e.project() != null && ts < d.projectTs) {
      d.project = e.project();
      d.projectTs = ts;
    }
    d.firstTs = Math.min(d.firstTs, ts);
    d.lastTs = Math.max(d.lastTs, ts);
    if (d.version == null) {
      d.version = e.attr("version");
    }
    if (d.gitBranch == null) {
      d.gitBranch = e.attr("gitBranch");
    }
    if (e.kind() == EventKind.SESSION_STATE && "title".equals(e.attr("state")) && ts > d.titleTs) {
      d.title = e.attr("title");
      d.titleTs = ts;
    }
    if (e.kind() == EventKind.SESSION_STATE
        && ("custom-title".equals(e.attr("state")) || "ai-title".equals(e.attr("state")))
        && e.attr("value") != null
        && ts > d.titleTs) {
      d.title = e.attr("value");
      d.titleTs = ts;
    }
    if (e.kind() == EventKind.SESSION_END) {
      d.ended = true;
    }
    if (e.kind() == EventKind.OUTCOME && e.attr("outcome") != null && ts > d.declaredTs) {
      d.declared = e.attr("outcome");
      d.declaredTs = ts;
    }
  }

  Collection<String> touched() {
    return deltas.keySet();
  }

  void flush(Connection c) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    String sql =
        "MERGE INTO sessions t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
            + " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS BIGINT),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BOOLEAN), CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
            + " AS s(id, machine, project, project_ts, first_ts, last_ts, title, title_ts, version, git_branch,"
            + " ended, declared, declared_ts)"
            + " ON t.session_id = s.id"
            + " WHEN MATCHED THEN UPDATE SET machine = COALESCE(t.machine, s.machine),"
            + " project = CASE WHEN s.project IS NOT NULL AND (t.project_ts IS NULL OR s.project_ts < t.project_ts)"
            + "   THEN s.project ELSE t.project END,"
            + " project_ts = CASE WHEN s.project IS NOT NULL AND (t.project_ts IS NULL OR s.project_ts < t.project_ts)"
            + "   THEN s.project_ts ELSE t.project_ts END,"
            + " first_ts = LEAST(t.first_ts, s.first_ts), last_ts = GREATEST(t.last_ts, s.last_ts),"
            + " title = CASE WHEN s.title IS NOT NULL AND (t.title_ts IS NULL OR s.title_ts > t.title_ts)"
            + "   THEN s.title ELSE t.title END,"
            + " title_ts = CASE WHEN s.title IS NOT NULL AND (t.title_ts IS NULL OR s.title_ts > t.title_ts)"
            + "   THEN s.title_ts ELSE t.title_ts END,"
            + " version = COALESCE(t.version, s.version), git_branch = COALESCE(t.git_branch, s.git_branch),"
            + " ended = t.ended OR s.ended,"
            + " declared_outcome = CASE WHEN s.declared IS NOT NULL AND (t.declared_ts IS NULL OR s.declared_ts > t.declared_ts)"
            + "   THEN s.declared ELSE t.declared_outcome END,"
            + " declared_ts = CASE WHEN s.declared IS NOT NULL AND (t.declared_ts IS NULL OR s.declared_ts > t.declared_ts)"
            + "   THEN s.declared_ts ELSE t.declared_ts END,"
            + " dirty = TRUE"
            + " WHEN NOT MATCHED THEN INSERT (session_id, machine, project, project_ts, first_ts, last_ts, title,"
            + " title_ts, version, git_branch, ended, declared_outcome, declared_ts, dirty) VALUES (s.id, s.machine,"
            + " s.project, s.project_ts, s.first_ts, s.last_ts, s.title, s.title_ts, s.version, s.git_branch,"
            + " s.ended, s.declared, s.declared_ts, TRUE)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Map.Entry<String, Delta> en : deltas.entrySet()) {
        Delta d = en.getValue();
        ps.setString(1, en.getKey());
        ps.setString(2, d.machine);
        ps.setString(3, d.project);
        setTs(ps, 4, d.project == null ? null : d.projectTs);
        ps.setLong(5, d.firstTs);
        ps.setLong(6, d.lastTs);
        ps.setString(7, d.title == null ? null : d.title.length() > 1024 ? d.title.substring(0, 1024) : d.title);
        setTs(ps, 8, d.title == null ? null : d.titleTs);
        ps.setString(9, d.version);
        ps.setString(10, d.gitBranch);
        ps.setBoolean(11, d.ended);
        ps.setString(12, d.declared);
        setTs(ps, 13, d.declared == null ? null : d.declaredTs);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    deltas.clear();
  }

  /** Marks sessions whose tool calls or usage changed without an event of theirs in this batch. */
  static void markDirty(Connection c, Collection<String> sessionIds) throws SQLException {
    Sql.updateIn(
        c, marks -> "UPDATE sessions SET dirty = TRUE WHERE session_id IN (" + marks + ")",
        sessionIds.stream().filter(s -> s != null).distinct().toList());
  }

  /**
   * Rounds of recomputing at most: a recompute can move a {@code .session_outcome} to another session
   * and so make that one dirty; a move needs a change of some session's activity, so one more round
   * settles it (the bound only guards against a rule that would not).
   */
  private static final int RECOMPUTE_ROUNDS = 4;

  /** Recomputes counters and outcome of every dirty session, and of those that makes dirty. */
  static int recomputeDirty(Connection c) throws SQLException {
    int recomputed = 0;
    try (Sql.Statements st = new Sql.Statements(c)) {
      for (int round = 0; round < RECOMPUTE_ROUNDS; round++) {
        List<String> dirty = st.list("SELECT session_id FROM sessions WHERE dirty", rs -> rs.getString(1));
        if (dirty.isEmpty()) {
          break;
        }
        for (String id : dirty) {
          recompute(st, id);
        }
        recomputed += dirty.size();
      }
    }
    return recomputed;
  }

  private static void recompute(Sql.Statements st, String id) throws SQLException {
    int prompts = 0;
    int otherPrompts = 0;
    int turns = 0;
    long turnMs = 0;
    int compactions = 0;
    int interrupts = 0;
    long lastInterrupt = 0;
    long firstInterrupt = Long.MAX_VALUE;
    PreparedStatement counted = st.of(COUNTED_KINDS);
    counted.setString(1, id);
    try (ResultSet rs = counted.executeQuery()) {
      while (rs.next()) {
        String kind = rs.getString(1);
        String detail = rs.getString(2);
        String source = rs.getString(3);
        int n = rs.getInt(4);
        switch (kind) {
          case "PROMPT" -> {
            // The transcript is the record of a session's prompts; history and hooks repeat them. A
            // subagent's first message is its task, written by the agent that spawned it, not the user.
            boolean subagent = rs.getBoolean(8);
            if (!subagent && ("text".equals(detail) || "command".equals(detail) || detail == null)) {
              if ("claude.transcript".equals(source)) {
                prompts += n;
              } else {
                otherPrompts += n;
              }
            }
          }
          case "TURN" -> {
            turns += n;
            turnMs += rs.getLong(5);
          }
          case "COMPACTION" -> compactions += n;
          case "SESSION_STATE" -> {
            if ("interrupted".equals(detail)) {
              interrupts += n;
              firstInterrupt = Math.min(firstInterrupt, rs.getLong(6));
              lastInterrupt = Math.max(lastInterrupt, rs.getLong(7));
            }
          }
          default -> {
            // not counted
          }
        }
      }
    }
    if (prompts == 0) {
      prompts = otherPrompts;
    }
    int toolCalls = (int) st.numbers("SELECT COUNT(*) FROM tool_calls WHERE session_id = ?", 1, id)[0];
    int toolErrors =
        (int) st.numbers(
            "SELECT COUNT(*) FROM tool_calls WHERE session_id = ? AND rejected = FALSE AND success = FALSE", 1, id)[0];
    int rejections =
        (int) st.numbers("SELECT COUNT(*) FROM tool_calls WHERE session_id = ? AND rejected = TRUE", 1, id)[0];
    List<SessionFacts.Result> last =
        st.list(
            "SELECT result_ts, success, rejected, interrupted FROM tool_calls WHERE session_id = ?"
                + " AND result_ts IS NOT NULL AND success IS NOT NULL" // cancelled calls never ran
                + " ORDER BY session_id DESC, result_ts DESC, tool_use_id DESC FETCH FIRST 5 ROWS ONLY",
            rs -> new SessionFacts.Result(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)),
            id);
    List<Long> failures =
        st.list(
            "SELECT result_ts FROM tool_calls WHERE session_id = ? AND rejected = FALSE AND success = FALSE"
                + " AND result_ts IS NOT NULL ORDER BY result_ts",
            rs -> rs.getLong(1),
            id);
    long lastOpenCall =
        st.numbers("SELECT MAX(call_ts) FROM tool_calls WHERE session_id = ? AND result_ts IS NULL", 1, id)[0];
    // session_usage counts each api_requests row once (RequestProjection keeps it equal to them)
    int requests = (int) st.numbers("SELECT SUM(requests) FROM session_usage WHERE session_id = ?", 1, id)[0];
    long[] errors =
        st.numbers("SELECT COUNT(*), MAX(ts) FROM api_requests WHERE session_id = ? AND api_error = TRUE", 2, id);
    int apiErrors = (int) errors[0];
    long lastApiError = errors[1];
    long lastResponse = st.numbers(LAST_RESPONSE, 1, id)[0];
    int subagents = (int) st.numbers("SELECT COUNT(*) FROM subagents WHERE session_id = ?", 1, id)[0];
    // Activity, not bookkeeping: a title, cost-state or other last-write-wins record usually has no time
    // of its own and carries the time it was read, which would make a session of last year active today.
    long firstActivity = firstInterrupt;
    long lastActivity = interrupts > 0 ? lastInterrupt : Long.MIN_VALUE;
    for (long ts : st.list(ACTIVITY_ENDS, rs -> rs.getLong(1), id)) {
      firstActivity = Math.min(firstActivity, ts);
      lastActivity = Math.max(lastActivity, ts);
    }
    Stored stored =
        st.list("SELECT declared_outcome, project, first_ts, last_ts FROM sessions WHERE session_id = ?",
            rs -> new Stored(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)), id).get(0);
    boolean active = prompts > 0 || requests > 0 || toolCalls > 0;
    boolean activityKnown = lastActivity != Long.MIN_VALUE;
    for (String moved :
        OutcomeFiles.relinkFor(st, id, stored.project(), active, activityKnown ? firstActivity : stored.firstTs(),
            activityKnown ? lastActivity : stored.lastTs(), stored.firstTs(), stored.lastTs())) {
      st.update("UPDATE sessions SET dirty = TRUE WHERE session_id = ?", moved);
    }
    String declared = stored.declared(); // usually NULL: no seed record names the session's outcome
    String declaredIn = null;
    OutcomeFiles.Linked file = declared == null ? OutcomeFiles.linked(st, id) : null;
    if (file != null) {
      declared = file.summary() == null ? file.outcome() : file.outcome() + ": " + file.summary();
      declaredIn = file.file();
    }
    SessionOutcomes.Verdict v =
        SessionOutcomes.judge(
            new SessionFacts(
                prompts, requests, toolCalls, toolErrors, rejections, interrupts, last, failures, lastInterrupt,
                lastApiError, lastResponse, lastOpenCall, declared, declaredIn));
    if (activityKnown) {
      PreparedStatement activity = st.of("UPDATE sessions SET first_ts = ?, last_ts = ? WHERE session_id = ?");
      activity.setLong(1, firstActivity);
      activity.setLong(2, lastActivity);
      activity.setString(3, id);
      activity.executeUpdate();
    }
    PreparedStatement counters =
        st.of(
            "UPDATE sessions SET prompts = ?, turns = ?, turn_ms = ?, compactions = ?, interrupts = ?,"
                + " tool_calls = ?, tool_errors = ?, rejections = ?, requests = ?, api_errors = ?, subagents = ?,"
                + " outcome = ?, outcome_reason = ?, error_storm = ?, dirty = FALSE WHERE session_id = ?");
    int i = 1;
    counters.setInt(i++, prompts);
    counters.setInt(i++, turns);
    counters.setLong(i++, turnMs);
    counters.setInt(i++, compactions);
    counters.setInt(i++, interrupts);
    counters.setInt(i++, toolCalls);
    counters.setInt(i++, toolErrors);
    counters.setInt(i++, rejections);
    counters.setInt(i++, requests);
    counters.setInt(i++, apiErrors);
    counters.setInt(i++, subagents);
    counters.setString(i++, v.outcome() == null ? null : v.outcome().name());
    counters.setString(i++, v.reason() == null || v.reason().length() <= 512 ? v.reason() : v.reason().substring(0, 512));
    counters.setBoolean(i++, v.errorStorm());
    counters.setString(i, id);
    counters.executeUpdate();
  }

  /** What the sessions row holds when its recompute starts. */
  private record Stored(String declared, String project, long firstTs, long lastTs) {}

  private static void setTs(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }
}
