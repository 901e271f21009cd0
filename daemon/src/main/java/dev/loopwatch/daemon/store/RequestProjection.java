package dev.loopwatch.daemon.store;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.Usage;
import dev.loopwatch.daemon.pricing.TierSplit;
import dev.loopwatch.daemon.pricing.TokenSums;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Projects API usage events into {@code api_requests} and keeps {@code usage_buckets} and
 * {@code session_usage} equal to the sums over those rows. The rules that make the totals independent of
 * arrival order, duplication and file splits (reference/claude-code-formats.md §1.9):
 *
 * <ul>
 *   <li>one row per (message id, request id); each usage field keeps the largest value of any copy
 *       (repeated content-block lines grow {@code output_tokens}; agent_progress copies repeat
 *       subagent lines);
 *   <li>a non-sidechain copy of a message wins over sidechain copies of it with another request id
 *       (side questions replay parent messages), as ccusage does;
 *   <li>the descriptive fields (time, session, project) come from the copy with the most tokens, ties
 *       broken by origin (main file, subagent file, progress copy) and then the earlier time.
 * </ul>
 *
 * Each batch loads the rows it touches, merges in memory, writes the changed rows and applies the
 * difference of each row's old and new contribution to the sums.
 */
final class RequestProjection {
  static final long BUCKET_MILLIS = 15 * 60_000L;

  record Key(String messageId, String requestId) {}

  /** One api_requests row. Mutable only inside a batch. */
  static final class Row {
    final Key key;
    String machine;
    String sessionId;
    String project;
    String agentId;
    boolean sidechain;
    String model;
    String speed;
    long ts;
    long input;
    long output;
    long cacheWrite5m;
    long cacheWrite1h;
    long cacheRead;
    long webSearch;
    boolean apiError;
    int originRank;
    boolean deleted;

    Row(Key key) {
      this.key = key;
    }

    Row copy() {
      Row r = new Row(key);
      r.machine = machine;
      r.sessionId = sessionId;
      r.project = project;
      r.agentId = agentId;
      r.sidechain = sidechain;
      r.model = model;
      r.speed = speed;
      r.ts = ts;
      r.input = input;
      r.output = output;
      r.cacheWrite5m = cacheWrite5m;
      r.cacheWrite1h = cacheWrite1h;
      r.cacheRead = cacheRead;
      r.webSearch = webSearch;
      r.apiError = apiError;
      r.originRank = originRank;
      r.deleted = deleted;
      return r;
    }

    long total() {
      return input + output + cacheWrite5m + cacheWrite1h + cacheRead;
    }

    String agent() {
      return agentId != null || sidechain ? "subagent" : "main";
    }

    /** This request's tokens split at its model's long-context tier (only the split can price tiers). */
    TokenSums sums(Function<String, TierSplit> splitter) {
      return splitter.apply(model).split(input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearch);
    }

    boolean sameAs(Row o) {
      return o != null
          && deleted == o.deleted
          && sidechain == o.sidechain
          && ts == o.ts
          && input == o.input
          && output == o.output
          && cacheWrite5m == o.cacheWrite5m
          && cacheWrite1h == o.cacheWrite1h
          && cacheRead == o.cacheRead
          && webSearch == o.webSearch
          && apiError == o.apiError
          && originRank == o.originRank
          && Objects.equals(machine, o.machine)
          && Objects.equals(sessionId, o.sessionId)
          && Objects.equals(project, o.project)
          && Objects.equals(agentId, o.agentId)
          && Objects.equals(model, o.model)
          && Objects.equals(speed, o.speed);
    }
  }

  /** A usage sum keyed by 15-minute bucket and dimensions. */
  record BucketKey(long bucket, String machine, String project, String model, String speed, String agent)
      implements SumTable.Key {
    @Override
    public Object[] values() {
      return new Object[] {bucket, machine, project, model, speed, agent};
    }
  }

  /** A usage sum keyed by session. */
  record SessionKey(String sessionId, String model, String speed, String agent) implements SumTable.Key {
    @Override
    public Object[] values() {
      return new Object[] {sessionId, model, speed, agent};
    }
  }

  private final List<Event> pending = new ArrayList<>();
  private final Function<String, TierSplit> splitter;
  private final ZoneId zone;

  /**
   * @param splitter how each model's requests are split for its long-context tier (from the prices)
   * @param zone the zone of the local days in usage_days
   */
  RequestProjection(Function<String, TierSplit> splitter, ZoneId zone) {
    this.splitter = splitter;
    this.zone = zone;
  }

  void add(Event e) {
    if (e.usage() != null) {
      pending.add(e);
    }
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** Merges the batch's usage events; returns the sessions whose usage changed. */
  List<String> flush(Connection c) throws SQLException {
    if (pending.isEmpty()) {
      return List.of();
    }
    Map<Key, Row> original = load(c);
    Map<Key, Row> current = new LinkedHashMap<>();
    original.forEach((k, r) -> current.put(k, r.copy()));
    Map<String, List<Row>> byMessage = new HashMap<>();
    for (Row r : current.values()) {
      byMessage.computeIfAbsent(r.key.messageId(), m -> new ArrayList<>()).add(r);
    }
    for (Event e : pending) {
      merge(current, byMessage, e);
    }
    pending.clear();

    Map<BucketKey, long[]> buckets = new HashMap<>();
    Map<SessionKey, long[]> sessions = new HashMap<>();
    List<Row> changed = new ArrayList<>();
    List<String> touchedSessions = new ArrayList<>();
    for (Row now : current.values()) {
      Row before = original.get(now.key);
      if (now.sameAs(before)) {
        continue;
      }
      changed.add(now);
      if (before != null && !before.deleted) {
        accumulate(buckets, sessions, before, -1);
        touchedSessions.add(before.sessionId);
      }
      if (!now.deleted) {
        accumulate(buckets, sessions, now, +1);
        touchedSessions.add(now.sessionId);
      }
    }
    write(c, changed, original);
    SumTable.BUCKETS.write(c, buckets);
    SumTable.DAYS.write(c, UsageRollups.days(buckets, zone));
    SumTable.TOTALS.write(c, UsageRollups.totals(buckets));
    SumTable.SESSION_USAGE.write(c, sessions);
    return touchedSessions;
  }

  private void merge(Map<Key, Row> rows, Map<String, List<Row>> byMessage, Event e) {
    String messageId = e.attr("msgId");
    String requestId = e.attr("reqId");
    if (messageId == null) {
      messageId = "event:" + e.id(); // ccusage never dedupes lines without a message id
    }
    Key key = new Key(messageId, requestId == null ? "" : requestId);
    boolean sidechain = "true".equals(e.attr("sidechain")) || e.agentId() != null;
    List<Row> sameMessage = byMessage.getOrDefault(key.messageId(), List.of());
    if (sidechain) {
      for (Row other : sameMessage) {
        if (!other.deleted && !other.sidechain && other.key.messageId().equals(key.messageId())
            && !other.key.equals(key)) {
          return; // a side question's replay of a main-chain message: counted once, as the main one
        }
      }
    } else {
      for (Row other : sameMessage) {
        if (!other.deleted && other.sidechain && other.key.messageId().equals(key.messageId())
            && !other.key.equals(key)) {
          other.deleted = true;
        }
      }
    }
    Usage u = e.usage();
    long total = u.totalTokens();
    int rank = originRank(e.attr("origin"));
    long ts = e.ts().toEpochMilli();
    Row r = rows.get(key);
    if (r == null) {
      r = new Row(key);
      rows.put(key, r);
      byMessage.computeIfAbsent(key.messageId(), m -> new ArrayList<>()).add(r);
      describe(r, e, sidechain, rank, ts);
    } else {
      r.deleted = false;
      long rowTotal = r.total();
      boolean better =
          total > rowTotal
              || (total == rowTotal && (rank < r.originRank || (rank == r.originRank && ts < r.ts)));
      if (better) {
        describe(r, e, sidechain, rank, ts);
      }
    }
    r.input = Math.max(r.input, u.input());
    r.output = Math.max(r.output, u.output());
    r.cacheWrite5m = Math.max(r.cacheWrite5m, u.cacheWrite5m());
    r.cacheWrite1h = Math.max(r.cacheWrite1h, u.cacheWrite1h());
    r.cacheRead = Math.max(r.cacheRead, u.cacheRead());
    r.webSearch = Math.max(r.webSearch, u.webSearch());
    r.apiError = r.apiError || "true".equals(e.attr("apiError"));
  }

  private static void describe(Row r, Event e, boolean sidechain, int rank, long ts) {
    r.machine = e.machine();
    r.sessionId = e.sessionId();
    r.project = e.project();
    r.agentId = e.agentId();
    r.sidechain = sidechain;
    r.model = e.model() == null ? "unknown" : e.model();
    r.speed = e.attr("speed") == null ? "" : e.attr("speed");
    r.ts = ts;
    r.originRank = rank;
  }

  private static int originRank(String origin) {
    if (origin == null || origin.equals("main")) {
      return 0;
    }
    return origin.equals("subagent") ? 1 : 2;
  }

  private Map<Key, Row> load(Connection c) throws SQLException {
    List<String> messageIds = new ArrayList<>();
    for (Event e : pending) {
      String m = e.attr("msgId");
      messageIds.add(m == null ? "event:" + e.id() : m);
    }
    Map<Key, Row> rows = new LinkedHashMap<>();
    Sql.eachIn(
        c,
        marks ->
            "SELECT message_id, request_id, machine, session_id, project, agent_id, sidechain, model, speed, ts,"
                + " input, output, cache_write_5m, cache_write_1h, cache_read, web_search, api_error, origin_rank"
                + " FROM api_requests WHERE message_id IN (" + marks + ")",
        messageIds.stream().distinct().toList(),
        rs -> {
          Row r = new Row(new Key(rs.getString(1), rs.getString(2)));
          r.machine = rs.getString(3);
          r.sessionId = rs.getString(4);
          r.project = rs.getString(5);
          r.agentId = rs.getString(6);
          r.sidechain = rs.getBoolean(7);
          r.model = rs.getString(8);
          r.speed = rs.getString(9);
          r.ts = rs.getLong(10);
          r.input = rs.getLong(11);
          r.output = rs.getLong(12);
          r.cacheWrite5m = rs.getLong(13);
          r.cacheWrite1h = rs.getLong(14);
          r.cacheRead = rs.getLong(15);
          r.webSearch = rs.getLong(16);
          r.apiError = rs.getBoolean(17);
          r.originRank = rs.getInt(18);
          rows.put(r.key, r);
        });
    return rows;
  }

  private static void write(Connection c, List<Row> changed, Map<Key, Row> original) throws SQLException {
    try (PreparedStatement upsert =
            c.prepareStatement(
                "MERGE INTO api_requests (message_id, request_id, machine, session_id, project, agent_id,"
                    + " sidechain, model, speed, ts, input, output, cache_write_5m, cache_write_1h, cache_read,"
                    + " web_search, api_error, origin_rank) KEY (message_id, request_id)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM api_requests WHERE message_id = ? AND request_id = ?")) {
      for (Row r : changed) {
        if (r.deleted) {
          if (original.containsKey(r.key)) {
            delete.setString(1, r.key.messageId());
            delete.setString(2, r.key.requestId());
            delete.addBatch();
          }
          continue;
        }
        int i = 1;
        upsert.setString(i++, r.key.messageId());
        upsert.setString(i++, r.key.requestId());
        upsert.setString(i++, r.machine);
        upsert.setString(i++, r.sessionId);
        upsert.setString(i++, r.project);
        upsert.setString(i++, r.agentId);
        upsert.setBoolean(i++, r.sidechain);
        upsert.setString(i++, r.model);
        upsert.setString(i++, r.speed);
        upsert.setLong(i++, r.ts);
        upsert.setLong(i++, r.input);
        upsert.setLong(i++, r.output);
        upsert.setLong(i++, r.cacheWrite5m);
        upsert.setLong(i++, r.cacheWrite1h);
        upsert.setLong(i++, r.cacheRead);
        upsert.setLong(i++, r.webSearch);
        upsert.setBoolean(i++, r.apiError);
        upsert.setInt(i, r.originRank);
        upsert.addBatch();
      }
      upsert.executeBatch();
      delete.executeBatch();
    }
  }

  private void accumulate(Map<BucketKey, long[]> buckets, Map<SessionKey, long[]> sessions, Row r, int sign) {
    TokenSums t = r.sums(splitter);
    long bucket = r.ts - Math.floorMod(r.ts, BUCKET_MILLIS);
    BucketKey bk =
        new BucketKey(bucket, nz(r.machine), nz(r.project), r.model, nz(r.speed), r.agent());
    add(buckets.computeIfAbsent(bk, k -> new long[12]), t, sign);
    if (r.sessionId != null) {
      SessionKey sk = new SessionKey(r.sessionId, r.model, nz(r.speed), r.agent());
      add(sessions.computeIfAbsent(sk, k -> new long[12]), t, sign);
    }
  }

  private static void add(long[] sums, TokenSums t, int sign) {
    sums[0] += sign;
    sums[1] += sign * t.inputLo();
    sums[2] += sign * t.inputHi();
    sums[3] += sign * t.outputLo();
    sums[4] += sign * t.outputHi();
    sums[5] += sign * t.cacheWrite5mLo();
    sums[6] += sign * t.cacheWrite5mHi();
    sums[7] += sign * t.cacheWrite1hLo();
    sums[8] += sign * t.cacheWrite1hHi();
    sums[9] += sign * t.cacheReadLo();
    sums[10] += sign * t.cacheReadHi();
    sums[11] += sign * t.webSearch();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
