package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.store.query.SessionDetail;
import dev.loopwatch.daemon.store.query.SessionQuery;
import dev.loopwatch.daemon.store.query.SessionRow;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The high-cost and needs-review flags over many sessions, made through the real projection and priced
 * with the shipped table: Claude Haiku 4.5 input is $1 per million tokens, so a session of {@code n}
 * million input tokens costs exactly ${@code n}.
 */
class SessionFlagsTest {
  static final String HAIKU = "claude-haiku-4-5-20251001";
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @TempDir Path tmp;

  /** A session with one prompt, one request of {@code dollars} million input tokens and a working tool. */
  static List<Event> costing(String id, long dollars, String project) {
    Events e = new Events(id, project);
    Instant t = T0.plusSeconds(Math.abs(id.hashCode() % 100_000));
    return List.of(
        e.prompt(t, "do " + id),
        e.usage(t.plusSeconds(1), "msg_" + id, HAIKU, dollars * 1_000_000, 0, 0, 0),
        e.bash(t.plusSeconds(2), "toolu_" + id, "make"),
        e.ok(t.plusSeconds(3), "toolu_" + id));
  }

  Map<String, SessionRow> sessions(ProjectedStore store) throws Exception {
    return store.queries.sessions(new SessionQuery(null, null, null, null, ZoneOffset.UTC, 1000)).stream()
        .collect(Collectors.toMap(SessionRow::sessionId, Function.identity()));
  }

  @Test
  void belowTenSessionsWithCostsNothingIsHighCost() throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      for (int i = 1; i <= 9; i++) {
        store.apply(costing("s" + i, i * 100L, "/p"));
      }
      // sessions without usage do not make up the ten
      for (int i = 1; i <= 5; i++) {
        Events e = new Events("free" + i, "/p");
        store.apply(e.prompt(T0.plusSeconds(i), "hello"));
      }
      Map<String, SessionRow> all = sessions(store);
      assertEquals(14, all.size());
      assertTrue(all.values().stream().noneMatch(SessionRow::highCost), all.toString());
      assertTrue(all.values().stream().noneMatch(SessionRow::needsReview));
      assertEquals(0, new BigDecimal("900").compareTo(all.get("s9").usage().totalCost()));
    }
  }

  @Test
  void fromTenSessionsOnAboveTheNinetiethPercentileIsHighCost() throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      for (int i = 1; i <= 10; i++) {
        store.apply(costing("s" + i, i, "/p"));
      }
      Map<String, SessionRow> all = sessions(store);
      assertEquals(0, BigDecimal.TEN.compareTo(all.get("s10").usage().totalCost()));
      // p90 of $1..$10 (nearest rank: the 9th of 10) is $9: only the $10 session is above it
      assertEquals(List.of("s10"), flagged(all, SessionRow::highCost));
      assertEquals(List.of("s10"), flagged(all, SessionRow::needsReview), "high cost alone needs a look");
      assertEquals("SUCCESS", all.get("s10").outcome());

      for (int i = 11; i <= 20; i++) {
        store.apply(costing("s" + i, i, "/p"));
      }
      // p90 of $1..$20 is the 18th, $18: $19 and $20 are the top tenth
      assertEquals(List.of("s19", "s20"), flagged(sessions(store), SessionRow::highCost));
    }
  }

  @Test
  void equalCostsAreNeverAboveTheirPercentile() throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      for (int i = 1; i <= 12; i++) {
        store.apply(costing("s" + i, 2, "/p"));
      }
      assertEquals(List.of(), flagged(sessions(store), SessionRow::highCost));
    }
  }

  @Test
  void highCostIsAmongAllSessionsEvenInAFilteredList() throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      for (int i = 1; i <= 10; i++) {
        store.apply(costing("s" + i, i, i == 10 ? "/work/big" : "/work/small"));
      }
      List<SessionRow> big = store.queries.sessions(new SessionQuery("big", null, null, null, ZoneOffset.UTC, 10));
      assertEquals(1, big.size());
      assertTrue(big.get(0).highCost(), "the only session of its project is still the most expensive of all");
      SessionDetail detail = store.queries.session("s10");
      assertTrue(detail.session().highCost());
      assertTrue(detail.session().needsReview());
      assertFalse(store.queries.session("s9").session().highCost());
    }
  }

  @Test
  void needsReviewForFailedBlockedAndStormsNotForRecoveredOrSuccessfulSessions() throws Exception {
    try (ProjectedStore store = new ProjectedStore(tmp)) {
      List<Event> events = new ArrayList<>();
      Events failed = new Events("failed", "/p");
      events.add(failed.prompt(T0, "build it"));
      events.add(failed.bash(T0.plusSeconds(1), "f1", "make"));
      events.add(failed.failed(T0.plusSeconds(2), "f1", "Exit code 2\nmake: *** No rule to make target"));
      Events blocked = new Events("blocked", "/p");
      events.add(blocked.prompt(T0, "push it"));
      events.add(blocked.bash(T0.plusSeconds(1), "b1", "git push origin main"));
      events.add(blocked.rejected(T0.plusSeconds(2), "b1"));
      Events partial = new Events("partial", "/p");
      events.add(partial.prompt(T0, "test it"));
      events.add(partial.bash(T0.plusSeconds(1), "p1", "npm test"));
      events.add(partial.failed(T0.plusSeconds(2), "p1", "Exit code 1"));
      events.add(partial.bash(T0.plusSeconds(3), "p2", "npm test"));
      events.add(partial.ok(T0.plusSeconds(4), "p2"));
      // five failures within ten minutes, then three good results: recovered, but a storm
      Events storm = new Events("storm", "/p");
      events.add(storm.prompt(T0, "fix the tests"));
      for (int i = 0; i < 8; i++) {
        Instant at = T0.plusSeconds(60L * (i + 1));
        events.add(storm.bash(at, "st" + i, "npm test"));
        events.add(i < 5 ? storm.failed(at.plusSeconds(5), "st" + i, "Exit code 1") : storm.ok(at.plusSeconds(5), "st" + i));
      }
      Events fine = new Events("fine", "/p");
      events.add(fine.prompt(T0, "hello"));
      events.add(fine.bash(T0.plusSeconds(1), "ok1", "ls"));
      events.add(fine.ok(T0.plusSeconds(2), "ok1"));
      store.apply(events);

      Map<String, SessionRow> all = sessions(store);
      assertEquals("FAILED", all.get("failed").outcome());
      assertEquals("BLOCKED", all.get("blocked").outcome());
      assertEquals("PARTIAL", all.get("partial").outcome());
      assertEquals("PARTIAL", all.get("storm").outcome());
      assertTrue(all.get("storm").errorStorm());
      assertEquals("SUCCESS", all.get("fine").outcome());
      assertEquals(List.of("blocked", "failed", "storm"), flagged(all, SessionRow::needsReview));
    }
  }

  private static List<String> flagged(Map<String, SessionRow> all, java.util.function.Predicate<SessionRow> flag) {
    return all.values().stream().filter(flag).map(SessionRow::sessionId).sorted().toList();
  }
}
