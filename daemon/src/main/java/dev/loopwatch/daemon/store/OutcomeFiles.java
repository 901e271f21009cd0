package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Links each version of a project's {@code .session_outcome} (table {@code outcome_files}) to a session.
 * The file names no session, so the link goes by time: a version written at {@code t} belongs to the
 * session of its project that was active at {@code t} or most recently before it, if that was no more
 * than {@link #AFTER_LAST_ACTIVITY} earlier. Precisely, among the sessions of the project with activity
 * (a prompt, a request or a tool call) whose first activity is at or before {@code t} and whose last is
 * at or after {@code t - 30 min}: the one whose {@code min(last activity, t)} is latest, then the one that
 * started last, then the greatest session id.
 *
 * <p>The link is a function of the sessions' stored activity, so it is recomputed (here) whenever a
 * session that could own a version is recomputed, and when a version arrives; a change marks the
 * sessions it moved between dirty. Every arrival order therefore ends with the same links as a rebuild.
 */
final class OutcomeFiles {
  /** How long after a session's last activity a written outcome still belongs to it. */
  static final Duration AFTER_LAST_ACTIVITY = Duration.ofMinutes(30);

  /** The source name of {@code .session_outcome} events (ingest's SourceKind.SEED_SESSION_OUTCOME). */
  static final String SOURCE = "seed.session-outcome";

  private static final long WINDOW_MS = AFTER_LAST_ACTIVITY.toMillis();

  private static final String CANDIDATES =
      "SELECT session_id, first_ts, last_ts FROM sessions WHERE project = ? AND last_ts >= ? AND first_ts <= ?"
          + " AND (prompts > 0 OR requests > 0 OR tool_calls > 0)";

  /** A session that could own a version: its activity span. */
  record Candidate(String sessionId, long firstTs, long lastTs) {}

  /** The latest version linked to a session: its outcome as written, the file and what it said. */
  record Linked(String outcome, String file, String summary) {}

  private OutcomeFiles() {}

  /** Whether {@code e} is a version of a {@code .session_outcome} (which names no session). */
  static boolean isOutcomeFile(Event e) {
    return e.kind() == EventKind.OUTCOME && SOURCE.equals(e.source()) && e.sessionId() == null;
  }

  /**
   * Records new versions and links each.
   *
   * @return the sessions whose link changed (to be recomputed)
   */
  static Set<String> add(Sql.Statements st, List<Event> versions) throws SQLException {
    Set<String> changed = new LinkedHashSet<>();
    for (Event e : versions) {
      String outcome = e.attr("outcome") == null ? "UNKNOWN" : e.attr("outcome");
      st.update(
          "INSERT INTO outcome_files (event_id, project, ts, outcome) VALUES (?, ?, ?, ?)",
          e.id(), e.project(), e.ts().toEpochMilli(), outcome.length() > 16 ? outcome.substring(0, 16) : outcome);
      relink(st, new Version(e.id(), e.project(), e.ts().toEpochMilli(), null), null, null, changed);
    }
    return changed;
  }

  /**
   * Links again every version that session {@code self} could own or owns, with {@code self}'s activity
   * as just recomputed (not yet stored): {@code first}..{@code last}, or none when {@code active} is
   * false. {@code storedFirst}/{@code storedLast} are what the row holds now, so that versions it
   * covered before are looked at too.
   *
   * @return the other sessions whose link changed (to be recomputed)
   */
  static Set<String> relinkFor(
      Sql.Statements st, String self, String project, boolean active, long first, long last, long storedFirst,
      long storedLast) throws SQLException {
    Set<Version> versions =
        new LinkedHashSet<>(st.list(VERSIONS + "session_id = ?", OutcomeFiles::version, self));
    if (project != null) {
      versions.addAll(
          st.list(VERSIONS + "project = ? AND ts BETWEEN ? AND ?", OutcomeFiles::version, project, Math.min(first, storedFirst), Math.max(last, storedLast) + WINDOW_MS));
    }
    Candidate fresh = active ? new Candidate(self, first, last) : null;
    Set<String> changed = new LinkedHashSet<>();
    for (Version v : versions) {
      relink(st, v, self, Objects.equals(v.project(), project) ? fresh : null, changed);
    }
    changed.remove(self);
    return changed;
  }

  /** A version as stored, with the session it is linked to now; only versions with a project are ever linked. */
  private record Version(String eventId, String project, long ts, String sessionId) {}

  private static final String VERSIONS = "SELECT event_id, project, ts, session_id FROM outcome_files WHERE ";

  private static Version version(ResultSet rs) throws SQLException {
    return new Version(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4));
  }

  /**
   * Links version {@code v} to its owner now. {@code self}'s stored row is stale while it is
   * being recomputed: it is left out of the stored candidates and {@code selfNow} (or nothing) stands
   * for it. Adds the sessions the version moved between to {@code changed}.
   */
  private static void relink(
      Sql.Statements st, Version v, String self, Candidate selfNow, Set<String> changed) throws SQLException {
    long ts = v.ts();
    List<Candidate> candidates = new ArrayList<>();
    if (v.project() != null) {
      for (Candidate c : st.list(CANDIDATES, OutcomeFiles::candidate, v.project(), ts - WINDOW_MS, ts)) {
        if (!c.sessionId().equals(self)) {
          candidates.add(c);
        }
      }
      if (selfNow != null && selfNow.firstTs() <= ts && selfNow.lastTs() >= ts - WINDOW_MS) {
        candidates.add(selfNow);
      }
    }
    String owner = owner(candidates, ts);
    String before = v.sessionId();
    if (!Objects.equals(before, owner)) {
      st.update("UPDATE outcome_files SET session_id = ? WHERE event_id = ?", owner, v.eventId());
      if (before != null) {
        changed.add(before);
      }
      if (owner != null) {
        changed.add(owner);
      }
    }
  }

  /** The rule of the class comment, over candidates already in the window. */
  static String owner(List<Candidate> candidates, long ts) {
    return candidates.stream()
        .max(Comparator.<Candidate>comparingLong(c -> Math.min(c.lastTs(), ts))
            .thenComparingLong(Candidate::firstTs)
            .thenComparing(Candidate::sessionId))
        .map(Candidate::sessionId)
        .orElse(null);
  }

  private static Candidate candidate(ResultSet rs) throws SQLException {
    return new Candidate(rs.getString(1), rs.getLong(2), rs.getLong(3));
  }

  /** The latest version linked to {@code sessionId}, or {@code null}. */
  static Linked linked(Sql.Statements st, String sessionId) throws SQLException {
    List<Linked> rows =
        st.list(
            "SELECT o.outcome, o.project, e.attrs FROM outcome_files o JOIN events e ON e.id = o.event_id"
                + " WHERE o.session_id = ? ORDER BY o.ts DESC, o.event_id DESC FETCH FIRST ROW ONLY",
            rs -> new Linked(rs.getString(1), rs.getString(2) + "/.claude/.session_outcome", summary(rs.getString(3))),
            sessionId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static String summary(String attrs) {
    String s = StoredAttrs.read(attrs).get("summary");
    return s == null || s.isBlank() ? null : s;
  }
}
