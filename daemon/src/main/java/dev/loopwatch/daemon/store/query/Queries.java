package dev.loopwatch.daemon.store.query;

import dev.loopwatch.daemon.pricing.TokenSums;
import dev.loopwatch.daemon.store.Database;
import dev.loopwatch.daemon.store.Sql;
import dev.loopwatch.daemon.store.StoredAttrs;
import dev.loopwatch.daemon.store.UsageRollups;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * The questions users ask, answered from the store (DESIGN §8): cost, sessions, tools, failures, hot
 * files. Cost is computed here from raw token sums and the current prices. Reads only: safe to call from
 * any thread while the projector writes (H2's MVCC gives each query a consistent snapshot).
 */
public final class Queries {
  private final Database db;
  private final Pricer pricer;

  public Queries(Database db, Pricer pricer) {
    this.db = db;
    this.pricer = pricer;
  }

  // ---------------------------------------------------------------------------------------- cost

  /**
   * Cost totals and rows. The daily sums answer when they are kept in the query's zone (the daemon's):
   * one row per day and dimension, whatever the history's density; the 15-minute buckets otherwise.
   */
  public CostReport cost(CostQuery q) throws SQLException {
    long from = q.since() == null ? Long.MIN_VALUE : startOf(q.since(), q.zone());
    long to = q.until() == null ? Long.MAX_VALUE : startOf(q.until().plusDays(1), q.zone());
    Pricing pricing = new Pricing();
    Map<String, Group> groups = new TreeMap<>();
    Group total = new Group();
    try (Connection c = db.connection()) {
      if (q.by() == CostGrouping.SESSION) {
        sessionCost(c, q, from, to, groups, total, pricing);
      } else if (q.since() == null && q.until() == null && !timeGrouping(q.by())) {
        sumCost(c, q, "usage_totals", null, 0, 0, null, groups, total, pricing);
      } else if (sameRules(UsageRollups.zone(c), q.zone())) {
        long firstDay = q.since() == null ? Long.MIN_VALUE : q.since().toEpochDay();
        long endDay = q.until() == null ? Long.MAX_VALUE : q.until().plusDays(1).toEpochDay();
        sumCost(c, q, "usage_days", "local_day", firstDay, endDay, LocalDate::ofEpochDay, groups, total, pricing);
      } else {
        sumCost(c, q, "usage_buckets", "bucket", from, to, m -> localDate(m, q.zone()), groups, total, pricing);
      }
    }
    List<CostRow> rows = new ArrayList<>();
    for (Map.Entry<String, Group> g : groups.entrySet()) {
      rows.add(new CostRow(g.getKey(), g.getValue().totals(), List.copyOf(g.getValue().models)));
    }
    if (q.by() == CostGrouping.SESSION || q.by() == CostGrouping.PROJECT || q.by() == CostGrouping.MODEL) {
      rows.sort(Comparator.comparing((CostRow r) -> r.usage().totalCost()).reversed().thenComparing(CostRow::key));
    }
    return new CostReport(
        q.by() == null ? "total" : q.by().name().toLowerCase(java.util.Locale.ROOT),
        q.zone().getId(),
        q.since() == null ? null : q.since().toString(),
        q.until() == null ? null : q.until().toString(),
        total.totals(),
        rows,
        List.copyOf(pricing.unknown));
  }

  private static boolean timeGrouping(CostGrouping by) {
    return by == CostGrouping.DAY || by == CostGrouping.WEEK || by == CostGrouping.MONTH;
  }

  /** Whether two zones (either may be {@code null}) give every instant the same offset. */
  private static boolean sameRules(ZoneId a, ZoneId b) {
    return a != null && b != null && a.getRules().equals(b.getRules());
  }

  /**
   * Cost from a sums table whose rows start at {@code timeColumn} (a bucket's epoch millisecond or a
   * local epoch day), within [{@code from}, {@code to}); {@code dayOf} turns that value into the
   * query's local date. Without a time column (usage_totals), every row counts.
   */
  private void sumCost(
      Connection c, CostQuery q, String table, String timeColumn, long from, long to,
      LongFunction<LocalDate> dayOf, Map<String, Group> groups, Group total, Pricing pricing)
      throws SQLException {
    String dimension =
        q.by() == null
            ? "''"
            : switch (q.by()) {
              case PROJECT -> "project";
              case MODEL -> "model";
              case AGENT -> "agent";
              default -> timeColumn;
            };
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>(List.of("TRUE"));
    if (timeColumn != null) {
      // buckets start on 15-minute boundaries, so a day's first bucket starts exactly at its midnight
      where.add(timeColumn + " >= ? AND " + timeColumn + " < ?");
      params.addAll(List.of(from, to));
    }
    if (q.project() != null) {
      where.add("LOCATE(?, project) > 0");
      params.add(q.project());
    }
    Sql.each(
        c,
        "SELECT " + dimension + ", model, speed, " + SUMS + " FROM " + table + " WHERE " + String.join(" AND ", where)
            + " GROUP BY " + dimension + ", model, speed",
        rs -> {
          String model = rs.getString(2);
          TokenSums t = sums(rs, 5, model);
          String key = q.by() == null ? "total" : key(q.by(), rs, dayOf);
          BigDecimal cost = pricing.cost(model, rs.getString(3), t);
          groups.computeIfAbsent(key, k -> new Group()).add(model, t, cost, rs.getLong(4));
          total.add(model, t, cost, rs.getLong(4));
        },
        params.toArray());
    if (q.by() == null) {
      groups.clear();
    }
  }

  private void sessionCost(
      Connection c, CostQuery q, long from, long to, Map<String, Group> groups, Group total, Pricing pricing)
      throws SQLException {
    String sql =
        "SELECT u.session_id, u.model, u.speed, " + SUMS.replace("requests", "u.requests")
            + " FROM session_usage u JOIN sessions s ON s.session_id = u.session_id"
            + " WHERE s.last_ts >= ? AND s.first_ts < ?"
            + (q.project() == null ? "" : " AND LOCATE(?, s.project) > 0")
            + " GROUP BY u.session_id, u.model, u.speed";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      if (q.project() != null) {
        ps.setString(3, q.project());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String model = rs.getString(2);
          TokenSums t = sums(rs, 5, model);
          BigDecimal cost = pricing.cost(model, rs.getString(3), t);
          groups.computeIfAbsent(rs.getString(1), k -> new Group()).add(model, t, cost, rs.getLong(4));
          total.add(model, t, cost, rs.getLong(4));
        }
      }
    }
  }

  private static String key(CostGrouping by, ResultSet rs, LongFunction<LocalDate> dayOf) throws SQLException {
    return switch (by) {
      case DAY -> dayOf.apply(rs.getLong(1)).toString();
      case WEEK -> dayOf.apply(rs.getLong(1)).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
      case MONTH -> dayOf.apply(rs.getLong(1)).toString().substring(0, 7);
      case PROJECT -> rs.getString(1).isEmpty() ? "(unknown project)" : rs.getString(1);
      default -> rs.getString(1);
    };
  }

  private static final String SUMS =
      "SUM(requests), SUM(input_lo), SUM(input_hi), SUM(output_lo), SUM(output_hi), SUM(cw5_lo), SUM(cw5_hi),"
          + " SUM(cw1_lo), SUM(cw1_hi), SUM(cr_lo), SUM(cr_hi), SUM(web_search)";

  /** Sums of {@code model} read from a row, carrying the split the store used for that model. */
  private TokenSums sums(ResultSet rs, int from, String model) throws SQLException {
    return new TokenSums(
        rs.getLong(from), rs.getLong(from + 1), rs.getLong(from + 2), rs.getLong(from + 3), rs.getLong(from + 4),
        rs.getLong(from + 5), rs.getLong(from + 6), rs.getLong(from + 7), rs.getLong(from + 8),
        rs.getLong(from + 9), rs.getLong(from + 10), pricer.splitFor(model));
  }

  /** Prices sums and remembers the models without a price. */
  private final class Pricing {
    final TreeSet<String> unknown = new TreeSet<>();

    BigDecimal cost(String model, String speed, TokenSums t) {
      BigDecimal c = pricer.cost(model, speed, t);
      if (c == null) {
        unknown.add(model);
        return BigDecimal.ZERO;
      }
      return c;
    }
  }

  /** Running totals of one group (plain token counts: models may be split differently). */
  private static final class Group {
    long input;
    long output;
    long cacheWrite;
    long cacheRead;
    BigDecimal cost = BigDecimal.ZERO;
    long requests;
    final TreeSet<String> models = new TreeSet<>();

    void add(String model, TokenSums t, BigDecimal c, long n) {
      input += t.input();
      output += t.output();
      cacheWrite += t.cacheWrite();
      cacheRead += t.cacheRead();
      cost = cost.add(c);
      requests += n;
      models.add(model);
    }

    UsageTotals totals() {
      return new UsageTotals(input, output, cacheWrite, cacheRead, input + output + cacheWrite + cacheRead, cost, requests);
    }
  }

  // ------------------------------------------------------------------------------------ sessions

  public List<SessionRow> sessions(SessionQuery q) throws SQLException {
    try (Connection c = db.connection()) {
      SessionCosts costs = sessionCosts(c, new Pricing());
      BigDecimal p90 = percentile90(costs.totals);
      // a file holding only bookkeeping (a 1.x summary line) makes a session with no activity: not listed
      StringBuilder sql =
          new StringBuilder(SESSION_COLUMNS + " FROM sessions WHERE (prompts > 0 OR requests > 0 OR tool_calls > 0)");
      List<Object> args = new ArrayList<>();
      if (q.project() != null) {
        sql.append(" AND LOCATE(?, project) > 0");
        args.add(q.project());
      }
      if (q.since() != null) {
        sql.append(" AND last_ts >= ?");
        args.add(startOf(q.since(), q.zone()));
      }
      if (q.until() != null) {
        sql.append(" AND first_ts < ?");
        args.add(startOf(q.until().plusDays(1), q.zone()));
      }
      if (q.outcome() != null) {
        sql.append(" AND outcome = ?");
        args.add(q.outcome().toUpperCase(java.util.Locale.ROOT));
      }
      sql.append(" ORDER BY last_ts DESC, session_id LIMIT ?");
      args.add(q.limit());
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        List<SessionRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(sessionRow(rs, costs, p90));
          }
        }
        return out;
      }
    }
  }

  private static final String SESSION_COLUMNS =
      "SELECT session_id, project, title, first_ts, last_ts, prompts, requests, tool_calls, tool_errors,"
          + " rejections, interrupts, subagents, compactions, outcome, outcome_reason, error_storm";

  private SessionRow sessionRow(ResultSet rs, SessionCosts costs, BigDecimal p90)
      throws SQLException {
    String id = rs.getString(1);
    UsageTotals usage = costs.totals.getOrDefault(id, UsageTotals.ZERO);
    boolean highCost = p90 != null && usage.totalCost().compareTo(p90) > 0;
    String outcome = rs.getString(14);
    boolean storm = rs.getBoolean(16);
    boolean review = storm || highCost || "FAILED".equals(outcome) || "BLOCKED".equals(outcome);
    long first = rs.getLong(4);
    long last = rs.getLong(5);
    return new SessionRow(
        id, rs.getString(2), rs.getString(3), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
        last - first, rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getInt(11),
        rs.getInt(12), rs.getInt(13), outcome, rs.getString(15), storm, highCost, review, usage,
        List.copyOf(costs.unknown.getOrDefault(id, new TreeSet<>())));
  }

  /** Every session's cost, and the models of each that have no price (their tokens are not in the cost). */
  private static final class SessionCosts {
    final Map<String, UsageTotals> totals = new HashMap<>();
    final Map<String, TreeSet<String>> unknown = new HashMap<>();
  }

  private SessionCosts sessionCosts(Connection c, Pricing pricing) throws SQLException {
    Map<String, Group> groups = new HashMap<>();
    SessionCosts out = new SessionCosts();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT session_id, model, speed, " + SUMS + " FROM session_usage GROUP BY session_id, model, speed");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String session = rs.getString(1);
        String model = rs.getString(2);
        TokenSums t = sums(rs, 5, model);
        BigDecimal cost = pricer.cost(model, rs.getString(3), t);
        if (cost == null) {
          pricing.unknown.add(model);
          out.unknown.computeIfAbsent(session, k -> new TreeSet<>()).add(model);
          cost = BigDecimal.ZERO;
        }
        groups.computeIfAbsent(session, k -> new Group()).add(model, t, cost, rs.getLong(4));
      }
    }
    groups.forEach((k, g) -> out.totals.put(k, g.totals()));
    return out;
  }

  /** The 90th percentile of session costs, or {@code null} below 10 sessions (too few to judge). */
  static BigDecimal percentile90(Map<String, UsageTotals> costs) {
    if (costs.size() < 10) {
      return null;
    }
    List<BigDecimal> sorted = costs.values().stream().map(UsageTotals::totalCost).sorted().toList();
    int index = (int) Math.ceil(0.9 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  /** One session in detail, or {@code null} when unknown. A prefix of the id is enough if unique. */
  public SessionDetail session(String idOrPrefix) throws SQLException {
    try (Connection c = db.connection()) {
      String id = resolveSession(c, idOrPrefix);
      if (id == null) {
        return null;
      }
      Pricing pricing = new Pricing();
      SessionCosts costs = sessionCosts(c, pricing);
      BigDecimal p90 = percentile90(costs.totals);
      SessionRow row;
      try (PreparedStatement ps = c.prepareStatement(SESSION_COLUMNS + " FROM sessions WHERE session_id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          row = sessionRow(rs, costs, p90);
        }
      }
      List<CostRow> models = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT model, speed, " + SUMS + " FROM session_usage WHERE session_id = ? GROUP BY model, speed"
                  + " ORDER BY model")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TokenSums t = sums(rs, 4, rs.getString(1)); // 1 model, 2 speed, 3 requests, 4.. the sums
            models.add(
                new CostRow(
                    rs.getString(1),
                    UsageTotals.of(t, pricing.cost(rs.getString(1), rs.getString(2), t), rs.getLong(3)),
                    List.of(rs.getString(1))));
          }
        }
      }
      return new SessionDetail(
          row, models, timeline(c, id), requests(c, id), tools(c, id), subagents(c, id), files(c, id),
          List.copyOf(pricing.unknown));
    }
  }

  private static String resolveSession(Connection c, String idOrPrefix) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT session_id FROM sessions WHERE session_id LIKE ? ESCAPE '\\' ORDER BY session_id LIMIT 2")) {
      ps.setString(1, idOrPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      try (ResultSet rs = ps.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
        if (ids.contains(idOrPrefix)) {
          return idOrPrefix;
        }
        return ids.size() == 1 ? ids.get(0) : null;
      }
    }
  }

  private static final int TIMELINE_MAX = 2000;

  /**
   * The order of things that happen in one millisecond (one transcript line, or a result written at once):
   * a session starts, the user prompts, the model calls a tool (and spawns a subagent with it), the
   * result comes back (and the subagent is done), the user interrupts, the session ends.
   */
  private static final String TIMELINE_RANK =
      "CASE kind WHEN 'SESSION_START' THEN 0 WHEN 'PROMPT' THEN 1 WHEN 'TOOL_CALL' THEN 2"
          + " WHEN 'SUBAGENT' THEN CASE WHEN detail = 'spawn' THEN 3 ELSE 5 END WHEN 'TOOL_RESULT' THEN 4"
          + " WHEN 'COMPACTION' THEN 6 WHEN 'SESSION_STATE' THEN 7 WHEN 'OUTCOME' THEN 8 ELSE 9 END";

  private static List<SessionDetail.TimelineEntry> timeline(Connection c, String id) throws SQLException {
    return Sql.list(
        c,
        "SELECT ts, kind, detail, tool, error, attrs FROM events WHERE session_id = ?"
            + " AND kind IN ('PROMPT','TOOL_CALL','TOOL_RESULT','SUBAGENT','COMPACTION','SESSION_STATE','OUTCOME',"
            + "'SESSION_START','SESSION_END') ORDER BY ts, " + TIMELINE_RANK + ", id LIMIT " + TIMELINE_MAX,
        rs ->
            new SessionDetail.TimelineEntry(
                Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                timelineText(rs.getString(2), rs.getString(5), rs.getString(6))),
        id);
  }

  private static String timelineText(String kind, String error, String attrsJson) {
    if (error != null) {
      return short200(error);
    }
    Map<String, String> attrs = StoredAttrs.read(attrsJson);
    for (String key : new String[] {"text", "command", "filePath", "pattern", "url", "description", "title", "value", "state"}) {
      if (attrs.get(key) != null) {
        return short200(attrs.get(key));
      }
    }
    return null;
  }

  private static String short200(String s) {
    String one = s.replace('\n', ' ').strip();
    return one.length() > 200 ? one.substring(0, 199) + "…" : one;
  }

  private static List<SessionDetail.Request> requests(Connection c, String id) throws SQLException {
    return Sql.list(
        c,
        "SELECT ts, model, agent_id, input, output, cache_write_5m + cache_write_1h, cache_read FROM api_requests"
            + " WHERE session_id = ? ORDER BY ts, message_id",
        rs ->
            new SessionDetail.Request(
                Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7)),
        id);
  }

  private static List<SessionDetail.ToolUse> tools(Connection c, String id) throws SQLException {
    return Sql.list(
        c,
        "SELECT tool_use_id, COALESCE(call_ts, result_ts), tool, input_summary, success, rejected, duration_ms,"
            + " error, signature FROM tool_calls WHERE session_id = ? ORDER BY COALESCE(call_ts, result_ts),"
            + " tool_use_id",
        rs ->
            new SessionDetail.ToolUse(
                rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                (Boolean) rs.getObject(5), rs.getBoolean(6), (Long) rs.getObject(7), rs.getString(8),
                rs.getString(9)),
        id);
  }

  private static List<SessionDetail.Subagent> subagents(Connection c, String id) throws SQLException {
    return Sql.list(
        c,
        "SELECT tool_use_id, agent_id, agent_type, description, model, status, total_tokens, tool_uses,"
            + " duration_ms FROM subagents WHERE session_id = ? ORDER BY COALESCE(spawned_ts, done_ts), tool_use_id",
        rs ->
            new SessionDetail.Subagent(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), (Long) rs.getObject(7), (Long) rs.getObject(8), (Long) rs.getObject(9)),
        id);
  }

  private static List<SessionDetail.FileTouch> files(Connection c, String id) throws SQLException {
    return Sql.list(
        c,
        "SELECT ts, file_path, op, lines_added, lines_removed FROM file_touches WHERE session_id = ?"
            + " ORDER BY ts, tool_use_id",
        rs ->
            new SessionDetail.FileTouch(
                Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)),
        id);
  }

  // ------------------------------------------------------------------------------ project digest

  /**
   * The digest of {@code project} (a working directory; sessions started in its subdirectories count)
   * for a session about to start, leaving {@code currentSession} out. Failures are the project's
   * signatures seen at least twice since {@code recentSince}.
   */
  public ProjectDigest projectDigest(String project, String currentSession, Instant recentSince, int maxFailures)
      throws SQLException {
    String match = "(project = ? OR project LIKE ? ESCAPE '\\')";
    String prefix = project.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
    String exclude = currentSession == null ? "" : currentSession;
    try (Connection c = db.connection()) {
      Pricing pricing = new Pricing();
      Map<String, UsageTotals> costs = new HashMap<>();
      Map<String, Long> lastActivity = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT s.session_id, s.last_ts, u.model, u.speed, " + SUMS.replace("requests", "u.requests")
                  + " FROM sessions s LEFT JOIN session_usage u ON u.session_id = s.session_id"
                  + " WHERE " + match.replace("project", "s.project") + " AND s.session_id <> ?"
                  + " GROUP BY s.session_id, s.last_ts, u.model, u.speed")) {
        ps.setString(1, project);
        ps.setString(2, prefix);
        ps.setString(3, exclude);
        try (ResultSet rs = ps.executeQuery()) {
          Map<String, Group> groups = new HashMap<>();
          while (rs.next()) {
            String id = rs.getString(1);
            lastActivity.put(id, rs.getLong(2));
            Group g = groups.computeIfAbsent(id, k -> new Group());
            String model = rs.getString(3);
            if (model != null) {
              TokenSums t = sums(rs, 6, model);
              g.add(model, t, pricing.cost(model, rs.getString(4), t), rs.getLong(5));
            }
          }
          groups.forEach((k, g) -> costs.put(k, g.totals()));
        }
      }
      BigDecimal all = BigDecimal.ZERO;
      BigDecimal recent = BigDecimal.ZERO;
      String lastId = null;
      long lastTs = Long.MIN_VALUE;
      for (Map.Entry<String, Long> e : lastActivity.entrySet()) {
        BigDecimal cost = costs.getOrDefault(e.getKey(), UsageTotals.ZERO).totalCost();
        all = all.add(cost);
        if (e.getValue() >= recentSince.toEpochMilli()) {
          recent = recent.add(cost);
        }
        if (e.getValue() > lastTs || (e.getValue() == lastTs && e.getKey().compareTo(lastId) < 0)) {
          lastTs = e.getValue();
          lastId = e.getKey();
        }
      }
      ProjectDigest.LastSession last = null;
      if (lastId != null) {
        try (PreparedStatement ps =
            c.prepareStatement("SELECT outcome, outcome_reason, tool_errors FROM sessions WHERE session_id = ?")) {
          ps.setString(1, lastId);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            last =
                new ProjectDigest.LastSession(
                    lastId, Instant.ofEpochMilli(lastTs), rs.getString(1), rs.getString(2), rs.getInt(3),
                    costs.getOrDefault(lastId, UsageTotals.ZERO).totalCost());
          }
        }
      }
      List<FailureRow> failures =
          Sql.list(
              c,
              FAILURE_COLUMNS
                  + " FROM tool_calls t JOIN failures f ON f.signature = t.signature"
                  + " WHERE " + match.replace("project", "t.project") + " AND COALESCE(t.result_ts, t.call_ts) >= ?"
                  + FAILURE_GROUP_BY + " HAVING COUNT(*) >= 2" + FAILURE_ORDER,
              Queries::failureRow,
              project, prefix, recentSince.toEpochMilli(), maxFailures);
      List<HotFile> hot =
          Sql.list(
              c,
              HOT_FILE_COLUMNS + " AND " + match
                  + " GROUP BY file_path HAVING COUNT(DISTINCT session_id) >= 2 ORDER BY COUNT(*) DESC, MAX(ts) DESC LIMIT 3",
              Queries::hotFile,
              recentSince.toEpochMilli(), project, prefix);
      return new ProjectDigest(project, lastActivity.size(), recent, all, last, failures, hot);
    }
  }

  // ------------------------------------------------------------------------- tools, failures, files

  /** Tool statistics over calls made since {@code since} (all when {@code null}). */
  public List<ToolStat> tools(LocalDate since, ZoneId zone) throws SQLException {
    long from = since == null ? Long.MIN_VALUE : startOf(since, zone);
    List<ToolStat> out;
    try (Connection c = db.connection()) {
      out =
          Sql.list(
              c,
              "SELECT tool, COUNT(*), SUM(CASE WHEN success = FALSE AND NOT rejected THEN 1 ELSE 0 END),"
                  + " SUM(CASE WHEN rejected THEN 1 ELSE 0 END), SUM(CASE WHEN success IS NOT NULL AND NOT rejected"
                  + " THEN 1 ELSE 0 END), AVG(CAST(duration_ms AS DOUBLE)) FROM tool_calls"
                  + " WHERE tool IS NOT NULL AND COALESCE(call_ts, result_ts) >= ? GROUP BY tool",
              Queries::toolStat,
              from);
    }
    out.sort(Comparator.comparingLong(ToolStat::calls).reversed().thenComparing(ToolStat::tool));
    return out;
  }

  private static ToolStat toolStat(ResultSet rs) throws SQLException {
    long calls = rs.getLong(2);
    long failures = rs.getLong(3);
    long answered = rs.getLong(5);
    double rate = answered == 0 ? 0 : (double) (answered - failures) / answered;
    double effectiveness = rate * (Math.log(calls) / Math.log(2));
    Object avg = rs.getObject(6);
    return new ToolStat(
        rs.getString(1), calls, failures, rs.getLong(4), rate, effectiveness,
        avg == null ? null : ((Number) avg).doubleValue());
  }

  /** Failures by signature, most frequent first; with {@code since}, counted within that window. */
  public List<FailureRow> failures(LocalDate since, ZoneId zone, int limit) throws SQLException {
    long from = since == null ? Long.MIN_VALUE : startOf(since, zone);
    try (Connection c = db.connection()) {
      return Sql.list(
          c,
          FAILURE_COLUMNS + " FROM failures f JOIN tool_calls t ON t.signature = f.signature"
              + " WHERE COALESCE(t.result_ts, t.call_ts) >= ?" + FAILURE_GROUP_BY + FAILURE_ORDER,
          Queries::failureRow,
          from, limit);
    }
  }

  private static final String FAILURE_COLUMNS =
      "SELECT f.signature, f.tool, f.error_class, f.input_shape, COUNT(*), COUNT(DISTINCT t.session_id),"
          + " MIN(COALESCE(t.result_ts, t.call_ts)), MAX(COALESCE(t.result_ts, t.call_ts)), f.example";

  private static final String FAILURE_GROUP_BY =
      " GROUP BY f.signature, f.tool, f.error_class, f.input_shape, f.example";

  private static final String FAILURE_ORDER = " ORDER BY COUNT(*) DESC, MAX(COALESCE(t.result_ts, t.call_ts)) DESC LIMIT ?";

  private static FailureRow failureRow(ResultSet rs) throws SQLException {
    return new FailureRow(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
        Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9));
  }

  /** Files changed most often (edits, writes, creations), since {@code since} when given. */
  public List<HotFile> hotFiles(LocalDate since, ZoneId zone, String project, int limit) throws SQLException {
    long from = since == null ? Long.MIN_VALUE : startOf(since, zone);
    List<Object> params = new ArrayList<>(List.of(from));
    if (project != null) {
      params.add(project);
    }
    params.add(limit);
    try (Connection c = db.connection()) {
      return Sql.list(
          c,
          HOT_FILE_COLUMNS + (project == null ? "" : " AND LOCATE(?, project) > 0")
              + " GROUP BY file_path ORDER BY COUNT(*) DESC, MAX(ts) DESC LIMIT ?",
          Queries::hotFile,
          params.toArray());
    }
  }

  private static final String HOT_FILE_COLUMNS =
      "SELECT file_path, COUNT(*), SUM(lines_added), SUM(lines_removed), COUNT(DISTINCT session_id), MAX(ts)"
          + " FROM file_touches WHERE op <> 'read' AND ts >= ?";

  private static HotFile hotFile(ResultSet rs) throws SQLException {
    return new HotFile(
        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)));
  }

  private static long startOf(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  private static LocalDate localDate(long millis, ZoneId zone) {
    return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
  }
}
