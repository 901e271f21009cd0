package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.pricing.TierSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies journaled events to the tables, within one transaction the caller commits. Idempotent by
 * event id: an event already in {@code events} (a re-read line, a replayed document) changes nothing.
 */
final class Projection {
  private final RequestProjection requests;
  private final ToolProjection tools = new ToolProjection();
  private final SessionProjection sessions = new SessionProjection();
  private final ZoneId zone;
  private boolean prepared;

  /**
   * @param splitter each model's long-context tier split (a price edit that changes one needs a rebuild)
   * @param zone the zone whose local days usage_days sums (the daemon's)
   */
  Projection(Function<String, TierSplit> splitter, ZoneId zone) {
    this.requests = new RequestProjection(splitter, zone);
    this.zone = zone;
  }

  /**
   * Brings the tables derived from others up to this projection's settings (usage_days to its zone),
   * in the caller's transaction; {@link #apply} does it first if nobody did.
   *
   * @return whether anything had to be redone
   */
  boolean prepare(Connection c) throws SQLException {
    boolean redone = UsageRollups.ensureZone(c, zone);
    prepared = true;
    return redone;
  }

  /** Counts of what a batch did. */
  record Applied(int events, int duplicates) {}

  /**
   * Projects {@code events} (in journal order, each with the index of the document it came in) on
   * {@code c}; the caller commits.
   */
  Applied apply(Connection c, List<Event> events, List<Long> indexes) throws SQLException {
    return apply(c, events, indexes, true);
  }

  /**
   * @param recompute whether to recompute the touched sessions' counters and outcomes now; a projector
   *     far behind the journal defers it (the sessions stay marked dirty) so a backfill recomputes each
   *     session once instead of once per batch
   */
  Applied apply(Connection c, List<Event> events, List<Long> indexes, boolean recompute) throws SQLException {
    if (!prepared) {
      prepare(c);
    }
    Set<String> known = existing(c, events);
    Set<String> seen = new HashSet<>();
    List<Event> fresh = new ArrayList<>();
    List<Long> freshIndexes = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (!known.contains(e.id()) && seen.add(e.id())) {
        fresh.add(e);
        freshIndexes.add(indexes.get(i));
      }
    }
    insertEvents(c, fresh, freshIndexes);
    for (Event e : fresh) {
      sessions.add(e);
      switch (e.kind()) {
        case API_USAGE -> requests.add(e);
        case TOOL_CALL -> tools.call(e);
        case TOOL_RESULT -> tools.result(e);
        case FILE_TOUCH -> tools.fileTouch(e);
        case SUBAGENT -> tools.subagent(e);
        default -> {
          // recorded in events; sessions pick what they need up when recomputed
        }
      }
    }
    sessions.flush(c);
    Set<String> usageSessions = new LinkedHashSet<>(requests.flush(c));
    Set<String> toolIds = tools.flush(c);
    SessionProjection.markDirty(c, usageSessions);
    markToolSessionsDirty(c, toolIds);
    List<Event> outcomeFiles = fresh.stream().filter(OutcomeFiles::isOutcomeFile).toList();
    if (!outcomeFiles.isEmpty()) {
      try (Sql.Statements st = new Sql.Statements(c)) {
        SessionProjection.markDirty(c, OutcomeFiles.add(st, outcomeFiles));
      }
    }
    if (recompute) {
      SessionProjection.recomputeDirty(c);
    }
    return new Applied(fresh.size(), events.size() - fresh.size());
  }

  private static void markToolSessionsDirty(Connection c, Set<String> toolIds) throws SQLException {
    Set<String> sessionIds = new LinkedHashSet<>();
    Sql.eachIn(
        c, marks -> "SELECT DISTINCT session_id FROM tool_calls WHERE tool_use_id IN (" + marks + ")", toolIds,
        rs -> sessionIds.add(rs.getString(1)));
    SessionProjection.markDirty(c, sessionIds);
  }

  private static Set<String> existing(Connection c, List<Event> events) throws SQLException {
    Set<String> known = new HashSet<>();
    Sql.eachIn(
        c, marks -> "SELECT id FROM events WHERE id IN (" + marks + ")",
        events.stream().map(Event::id).distinct().toList(), rs -> known.add(rs.getString(1)));
    return known;
  }

  private static void insertEvents(Connection c, List<Event> events, List<Long> indexes) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO events (id, queue_index, ts, machine, source, kind, detail, session_id, project, agent_id,"
                + " tool, model, duration_ms, success, error, signature, attrs)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        int p = 1;
        ps.setString(p++, e.id());
        ps.setLong(p++, indexes.get(i));
        ps.setLong(p++, e.ts().toEpochMilli());
        ps.setString(p++, e.machine());
        ps.setString(p++, e.source());
        ps.setString(p++, e.kind().name());
        ps.setString(p++, cut(detail(e), 64));
        ps.setString(p++, e.sessionId());
        ps.setString(p++, cut(e.project(), 4096));
        ps.setString(p++, e.agentId());
        ps.setString(p++, cut(e.tool(), 255));
        ps.setString(p++, cut(e.model(), 255));
        if (e.durationMs() == null) {
          ps.setNull(p++, Types.BIGINT);
        } else {
          ps.setLong(p++, e.durationMs());
        }
        if (e.success() == null) {
          ps.setNull(p++, Types.BOOLEAN);
        } else {
          ps.setBoolean(p++, e.success());
        }
        ps.setString(p++, cut(e.error(), 4096));
        ps.setString(p++, e.signature() == null ? null : cut(e.signature(), 16));
        ps.setString(p, StoredAttrs.write(e.attrs()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The kind's subtype, kept in its own column so that counts by it need no JSON. */
  static String detail(Event e) {
    return switch (e.kind()) {
      case PROMPT -> e.attr("promptKind");
      case SESSION_STATE -> e.attr("state");
      case SUBAGENT -> e.attr("phase");
      case FILE_TOUCH -> e.attr("op");
      case OUTCOME -> e.attr("outcome");
      case RAW -> e.attr("subtype");
      default -> null;
    };
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
