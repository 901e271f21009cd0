package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.event.EventIds;
import dev.loopwatch.daemon.event.EventKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project's {@code .session_outcome} names no session: the store links each version, by the time it
 * was written, to the session of the project active then (OutcomeFiles), and that session's outcome is
 * the one declared. Real H2, the real projection.
 */
class OutcomeFilesTest {
  private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");
  private static final String MODEL = "claude-sonnet-4-5-20250929";

  @TempDir Path tmp;

  private static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  /** A version of {@code <project>/.claude/.session_outcome}, as SessionOutcomeParser emits it. */
  private static Event outcomeFile(String project, Instant written, String outcome, String summary) {
    return Event.builder(EventKind.OUTCOME, OutcomeFiles.SOURCE).ts(written).ingestedAt(Events.READ_AT)
        .machine("test-machine").project(project).attr("outcome", outcome).attr("summary", summary)
        .success("SUCCESS".equals(outcome) ? Boolean.TRUE : null)
        .id(EventIds.of(OutcomeFiles.SOURCE, "OUTCOME", project + written + outcome + summary)).build();
  }

  /** A session from {@code from} to {@code to} minutes that ends on a failed tool result (FAILED by the rules). */
  private static List<Event> failingSession(String id, String project, int from, int to) {
    Events s = new Events(id, project);
    return List.of(
        s.prompt(at(from), "fix it"),
        s.usage(at(from), id + "-m1", MODEL, 10, 10, 0, 0),
        s.bash(at(from), id + "-t1", "make"),
        s.failed(at(to), id + "-t1", "make: *** [all] Error 2"));
  }

  private static String outcome(ProjectedStore store, String session) {
    return row(store, "SELECT outcome FROM sessions WHERE session_id = '" + session + "'");
  }

  private static String reason(ProjectedStore store, String session) {
    return row(store, "SELECT outcome_reason FROM sessions WHERE session_id = '" + session + "'");
  }

  private static String row(ProjectedStore store, String sql) {
    try (Connection c = store.db.connection()) {
      List<String> rows = Sql.list(c, sql, rs -> rs.getString(1));
      return rows.isEmpty() ? null : rows.get(0);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFileWrittenAtTheEndOfASessionDecidesItsOutcome() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 5));
      assertEquals("FAILED", outcome(store, "a"), "by the rules");
      store.apply(outcomeFile("/p", at(10), "SUCCESS", "shipped the fix"));
      assertEquals("SUCCESS", outcome(store, "a"));
      assertEquals("declared in /p/.claude/.session_outcome (SUCCESS: shipped the fix)", reason(store, "a"));
    }
  }

  @Test
  void theSessionActiveWhenTheFileWasWrittenGetsIt() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 5));
      store.apply(failingSession("b", "/p", 20, 40));
      store.apply(outcomeFile("/p", at(10), "PARTIAL", null)); // b had not started
      store.apply(outcomeFile("/p", at(30), "SUCCESS", null)); // b was running, a had stopped 25 min before
      assertEquals("PARTIAL", outcome(store, "a"));
      assertEquals("declared in /p/.claude/.session_outcome (PARTIAL)", reason(store, "a"));
      assertEquals("SUCCESS", outcome(store, "b"));
    }
  }

  @Test
  void ofTwoSessionsRunningThenTheOneStartedLastGetsIt() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 60));
      store.apply(failingSession("b", "/p", 10, 50));
      store.apply(outcomeFile("/p", at(30), "SUCCESS", null));
      assertEquals("FAILED", outcome(store, "a"));
      assertEquals("SUCCESS", outcome(store, "b"));
    }
  }

  @Test
  void aFileWrittenLongAfterOrInAnotherProjectIsLinkedToNoSession() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 5));
      store.apply(outcomeFile("/p", at(5 + 31), "SUCCESS", "much later"));
      store.apply(outcomeFile("/q", at(6), "SUCCESS", "another project"));
      store.apply(outcomeFile("/p", at(-1), "SUCCESS", "before it began"));
      assertEquals("FAILED", outcome(store, "a"));
      assertEquals(3, store.count("SELECT COUNT(*) FROM outcome_files WHERE session_id IS NULL"));
    }
  }

  @Test
  void theLatestVersionLinkedToASessionWins() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 5));
      store.apply(outcomeFile("/p", at(12), "BLOCKED", "waiting on review"));
      store.apply(outcomeFile("/p", at(8), "FAILED", "first try"));
      assertEquals("BLOCKED", outcome(store, "a"));
      assertEquals("declared in /p/.claude/.session_outcome (BLOCKED: waiting on review)", reason(store, "a"));
    }
  }

  @Test
  void aRecordNamingTheSessionWinsOverTheFile() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(failingSession("a", "/p", 0, 5));
      store.apply(Event.builder(EventKind.OUTCOME, "seed.outcomes").ts(at(6)).ingestedAt(Events.READ_AT).machine("test-machine")
          .sessionId("a").attr("outcome", "partial").id(EventIds.of("seed.outcomes", "a", "1")).build());
      store.apply(outcomeFile("/p", at(10), "SUCCESS", null));
      assertEquals("PARTIAL", outcome(store, "a"));
      assertEquals("declared by the session (partial)", reason(store, "a"));
    }
  }

  @Test
  void aSessionWithoutActivityGetsNoFile() {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      store.apply(Event.builder(EventKind.SESSION_STATE, Events.SOURCE).ts(at(0)).ingestedAt(Events.READ_AT).machine("test-machine")
          .sessionId("quiet").project("/p").attr("state", "title").attr("title", "t")
          .id(EventIds.of("quiet", "title")).build());
      store.apply(outcomeFile("/p", at(1), "SUCCESS", null));
      assertNull(outcome(store, "quiet"));
      assertEquals(1, store.count("SELECT COUNT(*) FROM outcome_files WHERE session_id IS NULL"));
    }
  }

  @Test
  void aStoreUpgradedToVersion5HasTheRowsARebuildWouldMake() throws Exception {
    // what earlier versions read: no project, the ingestion time
    Event old = outcomeFile(null, at(3), "SUCCESS", "before V5");
    String rebuilt;
    try (ProjectedStore store = new ProjectedStore(tmp.resolve("fresh"))) {
      store.apply(failingSession("a", "/p", 0, 5)).apply(old);
      rebuilt = outcomeFileRows(store);
    }
    try (ProjectedStore store = new ProjectedStore(tmp.resolve("upgraded"))) {
      store.apply(failingSession("a", "/p", 0, 5)).apply(old);
      try (Connection c = store.db.connection(); java.sql.Statement s = c.createStatement()) {
        s.execute("DROP TABLE outcome_files");
        s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '5'");
      }
    }
    try (ProjectedStore store = new ProjectedStore(tmp.resolve("upgraded"))) {
      assertEquals(rebuilt, outcomeFileRows(store));
      assertEquals("FAILED", outcome(store, "a"));
    }
    assertEquals(old.id() + "|null|SUCCESS|" + at(3).toEpochMilli() + "|null", rebuilt, "kept, never linked");
  }

  private static String outcomeFileRows(ProjectedStore store) throws SQLException {
    try (Connection c = store.db.connection()) {
      return String.join("\n", Sql.list(c, "SELECT event_id, project, outcome, ts, session_id FROM outcome_files ORDER BY event_id",
          rs -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4) + "|" + rs.getString(5)));
    }
  }

  /**
   * Session b, which reaches past the file's time, arrives in any order relative to the file and to a,
   * one event per batch or all at once: the file ends up b's every time, and a keeps its own outcome.
   */
  @Test
  void everyArrivalOrderEndsWithTheSameLinks() {
    List<Event> all = new ArrayList<>(failingSession("a", "/p", 0, 20));
    all.addAll(failingSession("b", "/p", 15, 40));
    all.add(outcomeFile("/p", at(25), "SUCCESS", "done"));
    String expected;
    try (ProjectedStore store = new ProjectedStore(tmp.resolve("once"))) {
      store.apply(all);
      expected = links(store);
    }
    assertEquals("a=FAILED:-|b=SUCCESS:b", expected);
    for (int seed = 1; seed <= 12; seed++) {
      Random r = new Random(seed);
      List<Event> order = new ArrayList<>(all);
      Collections.shuffle(order, r);
      try (ProjectedStore store = new ProjectedStore(tmp.resolve("order" + seed))) {
        for (int i = 0; i < order.size(); ) {
          int n = 1 + r.nextInt(3);
          store.apply(order.subList(i, Math.min(order.size(), i + n)));
          i += n;
        }
        assertEquals(expected, links(store), "seed " + seed + ": " + order.stream().map(Event::kind).toList());
      }
    }
  }

  /** Each session's outcome and the session each version is linked to. */
  private static String links(ProjectedStore store) {
    try (Connection c = store.db.connection()) {
      List<String> sessions =
          Sql.list(c, "SELECT session_id, outcome FROM sessions ORDER BY session_id",
              rs -> rs.getString(1) + "=" + rs.getString(2));
      List<String> files =
          Sql.list(c, "SELECT o.session_id FROM outcome_files o ORDER BY o.event_id",
              rs -> rs.getString(1) == null ? "-" : rs.getString(1));
      StringBuilder sb = new StringBuilder();
      for (String s : sessions) {
        String id = s.substring(0, s.indexOf('='));
        sb.append(sb.length() == 0 ? "" : "|").append(s).append(':').append(files.contains(id) ? id : "-");
      }
      return sb.toString();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
