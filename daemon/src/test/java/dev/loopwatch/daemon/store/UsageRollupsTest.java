package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.store.query.CostGrouping;
import dev.loopwatch.daemon.store.query.CostQuery;
import dev.loopwatch.daemon.store.query.CostReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * usage_days and usage_totals, the sums that keep totals queries flat as history grows: always exactly
 * the 15-minute buckets added up by local day of the zone recorded, and over all time, through
 * corrections, a change of the daemon's zone and an upgrade from a store that had neither.
 */
class UsageRollupsTest {
  static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final String HAIKU = "claude-haiku-4-5-20251001";
  static final String SONNET = "claude-sonnet-4-5-20250929";

  /** Requests around Kolkata's and Berlin's midnights, a correction that grows one, and a duplicate. */
  static void history(ProjectedStore store) {
    Events e = new Events("s1", "/p");
    Events sub = new Events("s1", "/p/sub");
    store.apply(
        e.usage(Instant.parse("2026-03-10T18:29:59Z"), "m1", HAIKU, 10, 20, 30, 40),
        e.usage(Instant.parse("2026-03-10T18:30:00Z"), "m2", HAIKU, 1, 2, 3, 4),
        sub.usage(Instant.parse("2026-03-10T22:59:00Z"), "m3", SONNET, 100, 200, 300, 400),
        e.usage(Instant.parse("2026-03-10T23:00:00Z"), "m4", SONNET, 5, 6, 7, 8));
    store.apply(
        e.usage(Instant.parse("2026-03-10T18:30:00Z"), "m2", HAIKU, 1, 9, 3, 4), // output grew: 2 -> 9
        e.usage(Instant.parse("2026-03-10T23:00:00Z"), "m4", SONNET, 5, 6, 7, 8), // seen before
        e.usage(Instant.parse("2026-03-12T00:00:00Z"), "m5", HAIKU, 1_000, 0, 0, 0));
  }

  @Test
  void daysAreTheBucketsAddedUpByLocalDay(@TempDir Path tmp) throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp, KOLKATA)) {
      history(store);
      assertRollups(store, KOLKATA);
      assertEquals(KOLKATA, zone(store));
      Map<String, Long> byDay = QueriesTest.requestsByKey(cost(store, CostGrouping.DAY, KOLKATA));
      assertEquals(Map.of("2026-03-10", 1L, "2026-03-11", 3L, "2026-03-12", 1L), byDay);
    }
  }

  @Test
  void everyGroupingAnswersTheSameFromDaysAsFromBuckets(@TempDir Path tmp) throws Exception {
    try (ProjectedStore daily = new ProjectedStore(tmp.resolve("kolkata"), KOLKATA);
        ProjectedStore bucketed = new ProjectedStore(tmp.resolve("utc"), ZoneOffset.UTC)) {
      history(daily);
      history(bucketed);
      List<CostGrouping> groupings = new ArrayList<>(List.of(CostGrouping.values()));
      groupings.add(null);
      for (CostGrouping by : groupings) {
        for (var range : List.of(new String[] {null, null}, new String[] {"2026-03-11", null},
            new String[] {null, "2026-03-11"}, new String[] {"2026-03-11", "2026-03-11"})) {
          CostQuery q =
              new CostQuery(
                  by, range[0] == null ? null : java.time.LocalDate.parse(range[0]),
                  range[1] == null ? null : java.time.LocalDate.parse(range[1]), KOLKATA, null);
          assertEquals(
              bucketed.queries.cost(q), daily.queries.cost(q), "by " + by + " from " + range[0] + " to " + range[1]);
        }
        // all time from usage_totals = from the beginning of time by days (Kolkata) or by buckets (UTC)
        CostReport allTime = daily.queries.cost(new CostQuery(by, null, null, KOLKATA, null));
        java.time.LocalDate longAgo = java.time.LocalDate.of(2000, 1, 1);
        for (ProjectedStore store : List.of(daily, bucketed)) {
          CostReport fromLongAgo = store.queries.cost(new CostQuery(by, longAgo, null, KOLKATA, null));
          assertEquals(allTime.totals(), fromLongAgo.totals(), "by " + by);
          assertEquals(allTime.rows(), fromLongAgo.rows(), "by " + by);
        }
      }
    }
  }

  @Test
  void aStoreReopenedInAnotherZoneMakesItsDaysAgain(@TempDir Path tmp) throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp, ZoneOffset.UTC)) {
      history(store);
      assertEquals(Map.of("2026-03-10", 4L, "2026-03-12", 1L), QueriesTest.requestsByKey(cost(store, CostGrouping.DAY, ZoneOffset.UTC)));
    }
    try (ProjectedStore store = new ProjectedStore(tmp, BERLIN)) {
      try (Connection c = store.db.connection()) {
        c.setAutoCommit(false);
        assertTrue(store.projection.prepare(c), "the days were in UTC: made again for Berlin");
        c.commit();
        assertFalse(store.projection.prepare(c), "and only once");
      }
      assertEquals(BERLIN, zone(store));
      assertRollups(store, BERLIN);
      // m4 at 23:00Z is midnight in Berlin: the 11th there
      assertEquals(
          Map.of("2026-03-10", 3L, "2026-03-11", 1L, "2026-03-12", 1L),
          QueriesTest.requestsByKey(cost(store, CostGrouping.DAY, BERLIN)));
      // UTC is still answered, from the buckets
      assertEquals(Map.of("2026-03-10", 4L, "2026-03-12", 1L), QueriesTest.requestsByKey(cost(store, CostGrouping.DAY, ZoneOffset.UTC)));
      // and what comes next lands in Berlin's days
      store.apply(new Events("s2", "/p").usage(Instant.parse("2026-03-11T23:30:00Z"), "m6", HAIKU, 1, 1, 1, 1));
      assertRollups(store, BERLIN);
    }
  }

  @Test
  void aStoreFromBeforeTheRollupsGetsThemWhenUpgraded(@TempDir Path tmp) throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp, KOLKATA)) {
      history(store);
      try (Connection c = store.db.connection(); Statement s = c.createStatement()) {
        // what version 1 of the schema left: no usage_days, usage_totals or store_settings, the indexes of
        // version 1, no record of versions 2 to 5
        s.execute("DROP TABLE usage_days");
        s.execute("DROP TABLE usage_totals");
        s.execute("DROP TABLE store_settings");
        s.execute("DROP INDEX api_requests_session");
        s.execute("CREATE INDEX api_requests_session ON api_requests(session_id)");
        s.execute("DROP INDEX tool_calls_session_result");
        s.execute("DROP INDEX tool_calls_session_outcome");
        s.execute("CREATE INDEX events_kind_ts ON events(kind, ts)");
        s.execute("CREATE INDEX tool_calls_session ON tool_calls(session_id, call_ts)");
        s.execute("DROP TABLE outcome_files");
        s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('2', '3', '4', '5')");
      }
    }
    try (ProjectedStore store = new ProjectedStore(tmp, KOLKATA)) {
      assertEquals(Map.of(), days(store), "version 2 makes the tables empty");
      try (Connection c = store.db.connection()) {
        c.setAutoCommit(false);
        assertTrue(store.projection.prepare(c));
        c.commit();
      }
      assertRollups(store, KOLKATA);
      assertEquals(5, cost(store, null, KOLKATA).totals().requests());
    }
  }

  /** usage_days and usage_totals hold exactly the buckets' sums, by local day of {@code zone} and over all time. */
  private static void assertRollups(ProjectedStore store, ZoneId zone) throws SQLException {
    assertEquals(bucketsByDay(store, zone), days(store));
    Map<String, List<Long>> allTime = new TreeMap<>();
    bucketsByDay(store, zone).forEach((k, v) -> allTime.merge(k.substring(k.indexOf(' ') + 1), v, UsageRollupsTest::plus));
    assertEquals(allTime, sums(store, "SELECT 0, machine, project, model, speed, agent, " + SumTable.COLUMNS + " FROM usage_totals", null)
        .entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> e.getKey().substring(2), Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
  }

  private static List<Long> plus(List<Long> a, List<Long> b) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) + b.get(i));
    }
    return out;
  }

  private static CostReport cost(ProjectedStore store, CostGrouping by, ZoneId zone) throws SQLException {
    return store.queries.cost(new CostQuery(by, null, null, zone, null));
  }

  private static ZoneId zone(ProjectedStore store) throws SQLException {
    try (Connection c = store.db.connection()) {
      return UsageRollups.zone(c);
    }
  }

  /** usage_days as "day machine project model speed agent" → its twelve sums. */
  private static Map<String, List<Long>> days(ProjectedStore store) throws SQLException {
    return sums(store, "SELECT local_day, machine, project, model, speed, agent, " + SumTable.COLUMNS + " FROM usage_days", null);
  }

  /** usage_buckets added up by local day of {@code zone}, in the form of {@link #days}. */
  private static Map<String, List<Long>> bucketsByDay(ProjectedStore store, ZoneId zone) throws SQLException {
    return sums(store, "SELECT bucket, machine, project, model, speed, agent, " + SumTable.COLUMNS + " FROM usage_buckets", zone);
  }

  private static Map<String, List<Long>> sums(ProjectedStore store, String sql, ZoneId bucketZone) throws SQLException {
    Map<String, List<Long>> out = new TreeMap<>();
    try (Connection c = store.db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        long day =
            bucketZone == null
                ? rs.getLong(1)
                : Instant.ofEpochMilli(rs.getLong(1)).atZone(bucketZone).toLocalDate().toEpochDay();
        String key = day + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6);
        List<Long> row = out.computeIfAbsent(key, k -> new ArrayList<>(java.util.Collections.nCopies(12, 0L)));
        for (int i = 0; i < 12; i++) {
          row.set(i, row.get(i) + rs.getLong(7 + i));
        }
      }
    }
    return out;
  }
}
