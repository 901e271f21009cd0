package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.event.Event;
import dev.loopwatch.daemon.store.query.CostGrouping;
import dev.loopwatch.daemon.store.query.CostQuery;
import dev.loopwatch.daemon.store.query.CostReport;
import dev.loopwatch.daemon.store.query.CostRow;
import dev.loopwatch.daemon.store.query.FailureRow;
import dev.loopwatch.daemon.store.query.HotFile;
import dev.loopwatch.daemon.store.query.Queries;
import dev.loopwatch.daemon.store.query.SessionQuery;
import dev.loopwatch.daemon.store.query.SessionRow;
import dev.loopwatch.daemon.store.query.ToolStat;
import dev.loopwatch.daemon.store.query.UsageTotals;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost, tool, failure and hot-file questions: on the real samples through a real daemon (numbers
 * cross-checked with an independent de-duplication of the raw files), and on hand-made events through
 * the real projection where the samples have no such case (a DST day, an unknown model, exact rates).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueriesTest {
  static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final String HAIKU = "claude-haiku-4-5-20251001";

  TestDaemon d;
  Queries samples;

  @BeforeAll
  void ingestSamples(@TempDir Path tmp) {
    d = new TestDaemon(tmp);
    d.startOnSamples();
    samples = d.daemon().queries();
  }

  @AfterAll
  void stop() {
    d.close();
  }

  static Map<String, UsageTotals> byKey(CostReport r) {
    Map<String, UsageTotals> out = new LinkedHashMap<>();
    for (CostRow row : r.rows()) {
      out.put(row.key(), row.usage());
    }
    return out;
  }

  static Map<String, Long> requestsByKey(CostReport r) {
    return r.rows().stream().collect(Collectors.toMap(CostRow::key, c -> c.usage().requests(), (a, b) -> a, LinkedHashMap::new));
  }

  static CostQuery by(CostGrouping g) {
    return new CostQuery(g, null, null, ZoneOffset.UTC, null);
  }

  // ---------------------------------------------------------------------------- cost, on the samples

  @Nested
  class CostOnTheSamples {
    @Test
    void byAgentTheSubagentFilesAndTheirProgressCopiesAreSubagent() throws Exception {
      Map<String, UsageTotals> agents = byKey(samples.cost(by(CostGrouping.AGENT)));
      assertEquals(List.of("main", "subagent"), List.copyOf(agents.keySet()));
      // independently: 485 distinct requests; 22 come from subagents/agent-*.jsonl files or, for
      // subagent.jsonl whose subagent file is missing, from its agent_progress copies
      assertEquals(463, agents.get("main").requests());
      assertEquals(22, agents.get("subagent").requests());
      assertTokens(agents.get("main"), 2_345, 99_346, 980_655, 33_001_612);
      assertTokens(agents.get("subagent"), 2_491, 166, 234_726, 911_445);
      // per session: 4d5611e5's 13 (agent-a2898e3: 12, its compaction agent: 1), ae4a77f8's 4, 491e126e's 5
      assertEquals(13, requests(CostGrouping.AGENT, "spotter-dov").get("subagent"));
      assertEquals(4, requests(CostGrouping.AGENT, "spotter-4te").get("subagent"));
      assertEquals(139, requests(CostGrouping.AGENT, "spotter-dov").get("main"));
      // 2026-02-10: short 1, tool_heavy 4 and subagent.jsonl 12 main requests; its subagent's 5 only as progress copies
      LocalDate feb10 = LocalDate.of(2026, 2, 10);
      assertEquals(Map.of("main", 17L, "subagent", 5L),
          requestsByKey(samples.cost(new CostQuery(CostGrouping.AGENT, feb10, feb10, ZoneOffset.UTC, null))));
    }

    @Test
    void byWeekKeyedByMonday() throws Exception {
      CostReport weeks = samples.cost(by(CostGrouping.WEEK));
      Map<String, UsageTotals> days = byKey(samples.cost(by(CostGrouping.DAY)));
      Map<String, UsageTotals> w = byKey(weeks);
      // Sunday 2025-06-08 is in the week of Monday 06-02; Tuesday 06-10 in that of 06-09
      assertEquals(List.of("2025-06-02", "2025-06-09", "2026-02-09"), List.copyOf(w.keySet()));
      assertEquals(days.get("2025-06-08"), w.get("2025-06-02"));
      assertEquals(days.get("2025-06-10"), w.get("2025-06-09"));
      assertEquals(days.get("2026-02-10").requests() + days.get("2026-02-12").requests(), w.get("2026-02-09").requests());
      assertEquals(0, days.get("2026-02-10").totalCost().add(days.get("2026-02-12").totalCost())
          .compareTo(w.get("2026-02-09").totalCost()));
      assertEquals(weeks.totals(), samples.cost(by(null)).totals());
    }

    @Test
    void byMonth() throws Exception {
      Map<String, UsageTotals> m = byKey(samples.cost(by(CostGrouping.MONTH)));
      assertEquals(List.of("2025-06", "2026-02"), List.copyOf(m.keySet()));
      assertEquals(90, m.get("2025-06").requests());
      assertEquals(395, m.get("2026-02").requests());
      SampleTotalsTest.assertCost("2.3561295", m.get("2025-06")); // ccusage daily: 2.2783323 + 0.0777972
      SampleTotalsTest.assertCost("17.21511665", m.get("2026-02")); // 0.9288493 + 16.28626735
    }

    @Test
    void byProjectMostExpensiveFirst() throws Exception {
      CostReport r = samples.cost(by(CostGrouping.PROJECT));
      assertEquals(
          List.of("/home/USER/projects/spotter-worktrees/spotter-dov", "/home/USER/projects/spotter-worktrees/spotter-4te",
              "/Users/chip/dev/ai-music", "/home/marco/projects/spotter"),
          r.rows().stream().map(CostRow::key).toList());
      Map<String, UsageTotals> p = byKey(r);
      SampleTotalsTest.assertCost("10.11369555", p.get("/home/USER/projects/spotter-worktrees/spotter-dov"));
      SampleTotalsTest.assertCost("6.1725718", p.get("/home/USER/projects/spotter-worktrees/spotter-4te"));
      SampleTotalsTest.assertCost("2.3561295", p.get("/Users/chip/dev/ai-music"));
      SampleTotalsTest.assertCost("0.9288493", p.get("/home/marco/projects/spotter"));
      // a project filter is a substring of the directory
      assertEquals(2, samples.cost(new CostQuery(CostGrouping.PROJECT, null, null, ZoneOffset.UTC, "spotter-worktrees")).rows().size());
    }

    @Test
    void byModelMostExpensiveFirst() throws Exception {
      CostReport r = samples.cost(by(CostGrouping.MODEL));
      Map<String, Long> requests = requestsByKey(r);
      assertEquals(Map.of("claude-opus-4-6", 242L, "claude-haiku-4-5-20251001", 138L, "claude-sonnet-4-20250514", 90L,
          "claude-sonnet-4-5-20250929", 15L), requests);
      for (int i = 1; i < r.rows().size(); i++) {
        assertTrue(r.rows().get(i - 1).usage().totalCost().compareTo(r.rows().get(i).usage().totalCost()) >= 0);
      }
      assertEquals("claude-opus-4-6", r.rows().get(0).key());
    }

    /**
     * The spotter evening of 2026-02-10 (21:11-22:59 UTC) is 02-11 in Kolkata (UTC+5:30), and
     * 4d5611e5 crosses Kolkata's midnight (18:30 UTC) on the 12th. Counts from the raw files.
     */
    @Test
    void daysOfAHalfHourZone() throws Exception {
      CostReport r = samples.cost(new CostQuery(CostGrouping.DAY, null, null, KOLKATA, null));
      assertEquals("Asia/Kolkata", r.timezone());
      assertEquals(
          Map.of("2025-06-08", 86L, "2025-06-10", 4L, "2026-02-11", 22L, "2026-02-12", 251L, "2026-02-13", 122L),
          requestsByKey(r));
      LocalDate feb13 = LocalDate.of(2026, 2, 13);
      CostReport day13 = samples.cost(new CostQuery(null, feb13, feb13, KOLKATA, null));
      assertEquals(122, day13.totals().requests());
      assertEquals(0, day13.rows().size(), "totals only");
      assertEquals(22 + 251, samples.cost(new CostQuery(null, LocalDate.of(2026, 2, 11), LocalDate.of(2026, 2, 12), KOLKATA, null))
          .totals().requests());
      // nothing on the 10th in Kolkata, 22 requests on the 10th in UTC
      assertEquals(0, samples.cost(new CostQuery(null, LocalDate.of(2026, 2, 10), LocalDate.of(2026, 2, 10), KOLKATA, null))
          .totals().requests());
      assertEquals(22, samples.cost(new CostQuery(null, LocalDate.of(2026, 2, 10), LocalDate.of(2026, 2, 10), ZoneOffset.UTC, null))
          .totals().requests());
    }

    private Map<String, Long> requests(CostGrouping g, String project) throws Exception {
      return requestsByKey(samples.cost(new CostQuery(g, null, null, ZoneOffset.UTC, project)));
    }
  }

  // ---------------------------------------------------------------- cost, on hand-made requests

  @Nested
  class CostOnMadeRequests {
    /** One request of 1M Haiku 4.5 input tokens ($1) at {@code ts}. */
    Event dollar(Events e, String ts) {
      return e.usage(Instant.parse(ts), "msg_" + ts, HAIKU, 1_000_000, 0, 0, 0);
    }

    /**
     * Europe/Berlin moves to summer time on the last Sunday of March (2026-03-29, 01:00 UTC): that day
     * runs from 03-28T23:00Z to 03-29T22:00Z, 23 hours.
     */
    /** Each case runs on a store keeping daily sums in UTC and on one keeping them in the query's zone. */
    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin"})
    void theDayTheClocksGoForward(String storeZone, @TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp, ZoneId.of(storeZone))) {
        Events e = new Events("dst", "/p");
        store.apply(
            dollar(e, "2026-03-28T22:59:59.999Z"), // 23:59:59.999 CET, the 28th
            dollar(e, "2026-03-28T23:00:00Z"), // 00:00 CET, the 29th
            dollar(e, "2026-03-29T00:59:59Z"), // 01:59:59 CET
            dollar(e, "2026-03-29T01:00:00Z"), // 03:00 CEST
            dollar(e, "2026-03-29T21:59:59.999Z"), // 23:59:59.999 CEST, still the 29th
            dollar(e, "2026-03-29T22:00:00Z")); // 00:00 CEST, the 30th
        LocalDate sunday = LocalDate.of(2026, 3, 29);
        assertEquals(
            Map.of("2026-03-28", 1L, "2026-03-29", 4L, "2026-03-30", 1L),
            requestsByKey(store.queries.cost(new CostQuery(CostGrouping.DAY, null, null, BERLIN, null))));
        CostReport day = store.queries.cost(new CostQuery(null, sunday, sunday, BERLIN, null));
        assertEquals(4, day.totals().requests());
        assertEquals(0, new BigDecimal("4").compareTo(day.totals().totalCost()));
        assertEquals(5, store.queries.cost(new CostQuery(null, sunday, null, BERLIN, null)).totals().requests());
        assertEquals(5, store.queries.cost(new CostQuery(null, null, sunday, BERLIN, null)).totals().requests());
        // in UTC the same requests fall 2 / 4
        assertEquals(
            Map.of("2026-03-28", 2L, "2026-03-29", 4L),
            requestsByKey(store.queries.cost(new CostQuery(CostGrouping.DAY, null, null, ZoneOffset.UTC, null))));
        // and a week of Berlin (Monday 03-23) holds all but the 30th's
        assertEquals(
            Map.of("2026-03-23", 5L, "2026-03-30", 1L),
            requestsByKey(store.queries.cost(new CostQuery(CostGrouping.WEEK, null, null, BERLIN, null))));
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "Asia/Kathmandu"})
    void theMidnightOfHalfAndQuarterHourZones(String storeZone, @TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp, ZoneId.of(storeZone))) {
        Events e = new Events("offsets", "/p");
        store.apply(
            dollar(e, "2026-03-10T18:14:59.999Z"), // 23:59:59.999 in Kathmandu (+5:45), 23:44 in Kolkata
            dollar(e, "2026-03-10T18:15:00Z"), // 00:00 in Kathmandu, the 11th
            dollar(e, "2026-03-10T18:29:59.999Z"), // 23:59:59.999 in Kolkata (+5:30)
            dollar(e, "2026-03-10T18:30:00Z")); // 00:00 in Kolkata, the 11th
        LocalDate tenth = LocalDate.of(2026, 3, 10);
        LocalDate eleventh = LocalDate.of(2026, 3, 11);
        assertEquals(3, store.queries.cost(new CostQuery(null, tenth, tenth, KOLKATA, null)).totals().requests());
        assertEquals(1, store.queries.cost(new CostQuery(null, eleventh, eleventh, KOLKATA, null)).totals().requests());
        ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
        assertEquals(1, store.queries.cost(new CostQuery(null, tenth, tenth, kathmandu, null)).totals().requests());
        assertEquals(3, store.queries.cost(new CostQuery(null, eleventh, eleventh, kathmandu, null)).totals().requests());
      }
    }

    /** A model the price table does not know: its tokens count, its cost is listed as unknown, never $0 quietly. */
    @Test
    void anUnknownModelIsListedNeverPricedSilently(@TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp)) {
        Events e = new Events("mystery", "/p");
        store.apply(
            e.prompt(Instant.parse("2026-04-01T10:00:00Z"), "hi"),
            e.usage(Instant.parse("2026-04-01T10:00:01Z"), "msg_known", HAIKU, 1_000_000, 0, 0, 0),
            e.usage(Instant.parse("2026-04-01T10:00:02Z"), "msg_unknown", "claude-nonexistent-9", 5_000, 700, 0, 0));
        for (CostGrouping g : new CostGrouping[] {null, CostGrouping.DAY, CostGrouping.SESSION, CostGrouping.MODEL}) {
          CostReport r = store.queries.cost(new CostQuery(g, null, null, ZoneOffset.UTC, null));
          assertEquals(List.of("claude-nonexistent-9"), r.unknownModels(), "grouped by " + g);
          assertEquals(1_005_000, r.totals().inputTokens(), "its tokens are counted");
          assertEquals(2, r.totals().requests());
          assertEquals(0, BigDecimal.ONE.compareTo(r.totals().totalCost()), "only the priced model costs");
        }
        CostReport models = store.queries.cost(by(CostGrouping.MODEL));
        assertEquals(List.of("claude-nonexistent-9"), models.rows().stream()
            .filter(row -> row.usage().totalCost().signum() == 0).map(CostRow::key).toList());
        assertEquals(List.of("claude-nonexistent-9"), store.queries.session("mystery").unknownModels());
        SessionRow row = store.queries.sessions(new SessionQuery(null, null, null, null, ZoneOffset.UTC, 5)).get(0);
        assertEquals(List.of("claude-nonexistent-9"), row.unknownModels(), "the session list says its cost is incomplete");
        assertEquals(0, BigDecimal.ONE.compareTo(row.usage().totalCost()));
        assertEquals(List.of("claude-nonexistent-9"), store.queries.session("mystery").session().unknownModels());
        // a model with a price and a price of zero is not unknown: Claude Code's made-up messages
        store.apply(e.usage(Instant.parse("2026-04-01T10:00:03Z"), "msg_synthetic", "<synthetic>", 0, 0, 0, 0));
        assertEquals(List.of("claude-nonexistent-9"), store.queries.cost(by(null)).unknownModels());
      }
    }
  }

  // ---------------------------------------------------------------------------------------- tools

  @Nested
  class Tools {
    @Test
    void effectivenessIsTheSuccessRateOfAnsweredCallsTimesLog2OfCalls(@TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp)) {
        Events e = new Events("tools", "/p");
        Instant t = Instant.parse("2026-04-02T10:00:00Z");
        List<Event> events = new ArrayList<>();
        // Bash: 8 calls, 6 worked, 1 failed, 1 rejected by the user
        for (int i = 0; i < 8; i++) {
          Instant at = t.plusSeconds(10L * i);
          events.add(e.bash(at, "b" + i, "make"));
          events.add(i < 6 ? e.ok(at.plusSeconds(1), "b" + i)
              : i == 6 ? e.failed(at.plusSeconds(1), "b" + i, "Exit code 2") : e.rejected(at.plusSeconds(1), "b" + i));
        }
        // Read: 4 calls in one parallel batch: the first failed, the other 3 were cancelled by it
        for (int i = 0; i < 4; i++) {
          events.add(e.call(t.plusSeconds(100), "r" + i, "Read", "/p/f" + i + ".ex"));
          events.add(i == 0
              ? e.failed(t.plusSeconds(101), "r" + i, "<tool_use_error>File does not exist.</tool_use_error>")
              : e.failed(t.plusSeconds(101), "r" + i, "<tool_use_error>Sibling tool call errored</tool_use_error>"));
        }
        // Grep: one call that worked; Glob: one call still running
        events.add(e.call(t.plusSeconds(200), "g0", "Grep", null));
        events.add(e.ok(t.plusSeconds(201), "g0"));
        events.add(e.call(t.plusSeconds(300), "l0", "Glob", null));
        store.apply(events);

        Map<String, ToolStat> tools = store.queries.tools(null, ZoneOffset.UTC).stream()
            .collect(Collectors.toMap(ToolStat::tool, s -> s, (a, b) -> a, LinkedHashMap::new));
        assertEquals(List.of("Bash", "Read", "Glob", "Grep"), List.copyOf(tools.keySet()), "most calls first, then by name");
        ToolStat bash = tools.get("Bash");
        assertEquals(8, bash.calls());
        assertEquals(1, bash.failures());
        assertEquals(1, bash.rejections());
        assertEquals(6.0 / 7, bash.successRate(), 1e-12, "the rejection is not in the rate");
        assertEquals(6.0 / 7 * 3, bash.effectiveness(), 1e-12, "log2(8) = 3");
        ToolStat read = tools.get("Read");
        assertEquals(4, read.calls());
        assertEquals(1, read.failures(), "cancelled siblings are no failures");
        assertEquals(0.0, read.successRate(), "the one call that ran failed");
        assertEquals(0.0, read.effectiveness());
        assertEquals(1.0, tools.get("Grep").successRate());
        assertEquals(0.0, tools.get("Grep").effectiveness(), "log2(1) = 0: one call proves nothing");
        assertEquals(0.0, tools.get("Glob").successRate(), "no answer yet");
        // since: calls from that day of the zone on
        assertEquals(List.of(), store.queries.tools(LocalDate.of(2026, 4, 3), ZoneOffset.UTC));
        assertEquals(4, store.queries.tools(LocalDate.of(2026, 4, 2), ZoneOffset.UTC).size());
        assertEquals(4, store.queries.tools(LocalDate.of(2026, 4, 3), ZoneId.of("Pacific/Kiritimati")).size(),
            "10:00 UTC on the 2nd is midnight of the 3rd at UTC+14");
      }
    }

    @Test
    void onTheSamples() throws Exception {
      Map<String, ToolStat> tools = samples.tools(null, ZoneOffset.UTC).stream()
          .collect(Collectors.toMap(ToolStat::tool, s -> s));
      // Bash: 224 calls (main and subagent files), 3 rejected, 17 real failures, and d3ad4cdc's last
      // call never answered: 203 of 220 answered calls worked
      ToolStat bash = tools.get("Bash");
      assertEquals(224, bash.calls());
      assertEquals(3, bash.rejections());
      assertEquals(17, bash.failures());
      assertEquals(203.0 / 220, bash.successRate(), 1e-12);
      assertEquals(bash.successRate() * Math.log(224) / Math.log(2), bash.effectiveness(), 1e-12);
      // Read: 92 calls, 2 "File does not exist", 7 siblings cancelled that never ran
      ToolStat read = tools.get("Read");
      assertEquals(92, read.calls());
      assertEquals(2, read.failures());
      assertEquals(83.0 / 85, read.successRate(), 1e-12);
    }
  }

  // ------------------------------------------------------------------------------------- failures

  @Nested
  class Failures {
    @Test
    void mostFrequentFirstThenMostRecentAndCountedWithinTheWindow(@TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp)) {
        List<Event> events = new ArrayList<>();
        Events a = new Events("a", "/p");
        Events b = new Events("b", "/p");
        // "npm test" failing: 3 times in March in session a
        for (int i = 0; i < 3; i++) {
          Instant at = Instant.parse("2026-03-0" + (i + 1) + "T10:00:00Z");
          events.add(a.bash(at, "n" + i, "npm test"));
          events.add(a.failed(at.plusSeconds(1), "n" + i, "Exit code 1\nnpm ERR! missing script: test"));
        }
        // a missing file read: twice in April, in two sessions
        events.add(a.call(Instant.parse("2026-04-05T10:00:00Z"), "m0", "Read", "/p/lib/a.ex"));
        events.add(a.failed(Instant.parse("2026-04-05T10:00:01Z"), "m0", "<tool_use_error>File does not exist.</tool_use_error>"));
        events.add(b.call(Instant.parse("2026-04-06T10:00:00Z"), "m1", "Read", "/q/lib/b.ex"));
        events.add(b.failed(Instant.parse("2026-04-06T10:00:01Z"), "m1", "<tool_use_error>File does not exist.</tool_use_error>"));
        // git push: twice in late March
        for (int i = 0; i < 2; i++) {
          Instant at = Instant.parse("2026-03-2" + (i + 1) + "T10:00:00Z");
          events.add(b.bash(at, "g" + i, "git push origin main"));
          events.add(b.failed(at.plusSeconds(1), "g" + i, "Exit code 128\nfatal: the remote end hung up unexpectedly"));
        }
        // neither rejections nor cancelled siblings are failures
        events.add(b.bash(Instant.parse("2026-04-07T10:00:00Z"), "x0", "rm -rf build"));
        events.add(b.rejected(Instant.parse("2026-04-07T10:00:01Z"), "x0"));
        events.add(b.call(Instant.parse("2026-04-07T11:00:00Z"), "x1", "Read", "/p/c.ex"));
        events.add(b.failed(Instant.parse("2026-04-07T11:00:01Z"), "x1", "<tool_use_error>Sibling tool call errored</tool_use_error>"));
        store.apply(events);

        List<FailureRow> all = store.queries.failures(null, ZoneOffset.UTC, 10);
        assertEquals(List.of("cmd:npm test", "file:.ex", "cmd:git push"), all.stream().map(FailureRow::inputShape).toList(),
            "3 first, then of the two with 2 the most recent");
        FailureRow npm = all.get(0);
        assertEquals("Bash", npm.tool());
        assertEquals("exit code 1: npm err! missing script: test", npm.errorClass());
        assertEquals(3, npm.occurrences());
        assertEquals(1, npm.sessions());
        assertEquals(Instant.parse("2026-03-01T10:00:01Z"), npm.firstSeen());
        assertEquals(Instant.parse("2026-03-03T10:00:01Z"), npm.lastSeen());
        assertEquals("Exit code 1\nnpm ERR! missing script: test", npm.example());
        FailureRow missing = all.get(1);
        assertEquals("file does not exist.", missing.errorClass());
        assertEquals(2, missing.sessions(), "the same failure in two projects' sessions");
        // with since, only what happened from that day on counts, and the order follows
        List<FailureRow> april = store.queries.failures(LocalDate.of(2026, 4, 1), ZoneOffset.UTC, 10);
        assertEquals(List.of("file:.ex"), april.stream().map(FailureRow::inputShape).toList());
        List<FailureRow> fromMarch3 = store.queries.failures(LocalDate.of(2026, 3, 3), ZoneOffset.UTC, 10);
        assertEquals(List.of("file:.ex", "cmd:git push", "cmd:npm test"), fromMarch3.stream().map(FailureRow::inputShape).toList());
        assertEquals(1, fromMarch3.get(2).occurrences());
        assertEquals(Instant.parse("2026-03-03T10:00:01Z"), fromMarch3.get(2).firstSeen());
        assertEquals(1, store.queries.failures(null, ZoneOffset.UTC, 1).size());
      }
    }

    /** The samples' repeated failures, after the sibling cancellations and pre-commit texts were sorted out. */
    @Test
    void onTheSamples() throws Exception {
      List<FailureRow> all = samples.failures(null, ZoneOffset.UTC, 50);
      FailureRow top = all.get(0);
      // the spotter pre-commit hook rejected "git add ... && git commit ..." 9 times in two sessions (8 in
      // ae4a77f8, 1 in 4d5611e5; its FORMAT, CREDO and DIALYZER texts are one class), "git commit" twice
      assertEquals("Bash", top.tool());
      assertEquals("pre-commit validation failed:", top.errorClass());
      assertEquals("cmd:git add", top.inputShape());
      assertEquals(9, top.occurrences());
      assertEquals(2, top.sessions());
      FailureRow second = all.get(1);
      assertEquals("pre-commit validation failed:", second.errorClass());
      assertEquals("cmd:git commit", second.inputShape());
      assertEquals(2, second.occurrences());
      assertEquals(12, all.size());
      assertTrue(all.stream().noneMatch(f -> f.errorClass().contains("sibling")), all.toString());
      assertEquals(all.stream().mapToLong(FailureRow::occurrences).sum(),
          samples.sessions(new SessionQuery(null, null, null, null, ZoneOffset.UTC, 100)).stream()
              .mapToLong(SessionRow::toolErrors).sum(),
          "every failure has a signature, and only failures do");
    }
  }

  // ------------------------------------------------------------------------------------ hot files

  @Nested
  class HotFiles {
    @Test
    void changesNotReadsWithTheirLinesSummed(@TempDir Path tmp) throws Exception {
      try (ProjectedStore store = new ProjectedStore(tmp)) {
        Events a = new Events("a", "/work/app");
        Events b = new Events("b", "/work/app");
        Events other = new Events("c", "/work/other");
        Instant t = Instant.parse("2026-04-10T10:00:00Z");
        store.apply(
            a.touch(t, "t1", "/work/app/lib/x.ex", "edit", 10, 2),
            a.touch(t.plusSeconds(1), "t2", "/work/app/lib/x.ex", "edit", 5, 5),
            b.touch(t.plusSeconds(2), "t3", "/work/app/lib/x.ex", "write", 40, 30),
            a.touch(t.plusSeconds(3), "t4", "/work/app/lib/y.ex", "create", 100, 0),
            a.touch(t.plusSeconds(4), "t5", "/work/app/lib/y.ex", "read", 0, 0),
            a.touch(t.plusSeconds(5), "t6", "/work/app/lib/z.ex", "read", 0, 0),
            a.touch(t.plusSeconds(6), "t7", "/work/app/lib/z.ex", "read", 0, 0),
            a.touch(t.plusSeconds(7), "t8", "/work/app/lib/z.ex", "read", 0, 0),
            other.touch(t.plusSeconds(8), "t9", "/work/other/README.md", "edit", 1, 1),
            other.touch(Instant.parse("2026-04-12T10:00:00Z"), "t10", "/work/other/README.md", "edit", 2, 0));
        List<HotFile> hot = store.queries.hotFiles(null, ZoneOffset.UTC, null, 10);
        assertEquals(List.of("/work/app/lib/x.ex", "/work/other/README.md", "/work/app/lib/y.ex"),
            hot.stream().map(HotFile::path).toList(), "z.ex was only read; README and y.ex by the latest change");
        HotFile x = hot.get(0);
        assertEquals(3, x.edits());
        assertEquals(55, x.linesAdded());
        assertEquals(37, x.linesRemoved());
        assertEquals(2, x.sessions());
        assertEquals(t.plusSeconds(2), x.lastChanged());
        assertEquals(1, hot.get(2).edits(), "the read of y.ex does not count");
        assertEquals(List.of("/work/other/README.md"),
            store.queries.hotFiles(LocalDate.of(2026, 4, 11), ZoneOffset.UTC, null, 10).stream().map(HotFile::path).toList());
        assertEquals(1, store.queries.hotFiles(LocalDate.of(2026, 4, 11), ZoneOffset.UTC, null, 10).get(0).edits());
        assertEquals(List.of("/work/app/lib/x.ex", "/work/app/lib/y.ex"),
            store.queries.hotFiles(null, ZoneOffset.UTC, "work/app", 10).stream().map(HotFile::path).toList());
        assertEquals(1, store.queries.hotFiles(null, ZoneOffset.UTC, null, 1).size());
      }
    }

    @Test
    void onTheSamples() throws Exception {
      List<HotFile> hot = samples.hotFiles(null, ZoneOffset.UTC, null, 100);
      // independently, from the toolUseResult structured patches of the raw files
      assertEquals(44, hot.size());
      assertHot(hot.get(0), "/Users/chip/dev/ai-music/diverse_musical_ai.py", 16, 442, 23);
      assertHot(hot.get(1), "/home/USER/projects/spotter-worktrees/spotter-4te/lib/spotter_web/controllers/otel_trace_helpers.ex", 15, 204, 104);
      assertHot(hot.get(2), "/home/USER/projects/spotter-worktrees/spotter-dov/lib/spotter_web/live/session_live.ex", 14, 46, 91);
      assertHot(hot.get(3), "/home/USER/projects/spotter-worktrees/spotter-4te/lib/spotter_web/controllers/hooks_controller.ex", 9, 210, 93);
    }

    private void assertHot(HotFile f, String path, long edits, long added, long removed) {
      assertEquals(path, f.path());
      assertEquals(edits, f.edits(), path);
      assertEquals(added, f.linesAdded(), path);
      assertEquals(removed, f.linesRemoved(), path);
    }
  }

  static void assertTokens(UsageTotals u, long input, long output, long cacheCreation, long cacheRead) {
    SampleTotalsTest.assertTokens(u, input, output, cacheCreation, cacheRead);
  }
}
