package dev.loopwatch.daemon.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.daemon.Samples;
import dev.loopwatch.daemon.TestDaemon;
import dev.loopwatch.daemon.store.query.CostGrouping;
import dev.loopwatch.daemon.store.query.CostQuery;
import dev.loopwatch.daemon.store.query.CostReport;
import dev.loopwatch.daemon.store.query.CostRow;
import dev.loopwatch.daemon.store.query.Queries;
import dev.loopwatch.daemon.store.query.SessionDetail;
import dev.loopwatch.daemon.store.query.UsageTotals;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real transcripts, ingested and projected by a real daemon, give exactly ccusage 20's numbers:
 * {@code claude daily} totals, and {@code claude session} totals for sessions whose subagent files are
 * present (ccusage's session report ignores agent_progress copies, which only matters without them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleTotalsTest {
  TestDaemon d;
  Queries queries;

  @BeforeAll
  void ingestSamples(@TempDir Path tmp) {
    d = new TestDaemon(tmp);
    d.startOnSamples();
    queries = d.daemon().queries();
  }

  @AfterAll
  void stop() {
    d.close();
  }

  @Test
  void totalsEqualCcusageDaily() throws Exception {
    UsageTotals t = queries.cost(new CostQuery(null, null, null, ZoneOffset.UTC, null)).totals();
    assertEquals(4_836, t.inputTokens());
    assertEquals(99_512, t.outputTokens());
    assertEquals(1_215_381, t.cacheCreationTokens());
    assertEquals(33_913_057, t.cacheReadTokens());
    assertEquals(35_232_786, t.totalTokens());
    assertEquals(485, t.requests());
    assertCost("19.57124615", t);
  }

  @Test
  void dailyRowsEqualCcusageDaily() throws Exception {
    CostReport r = queries.cost(new CostQuery(CostGrouping.DAY, null, null, ZoneOffset.UTC, null));
    Map<String, UsageTotals> byDay = r.rows().stream().collect(Collectors.toMap(CostRow::key, CostRow::usage));
    assertEquals(4, byDay.size(), byDay.toString());
    assertTokens(byDay.get("2025-06-08"), 205, 19_035, 190_624, 4_257_841);
    assertTokens(byDay.get("2025-06-10"), 88, 278, 16_000, 44_544);
    assertTokens(byDay.get("2026-02-10"), 1_657, 1_818, 71_658, 622_375);
    assertTokens(byDay.get("2026-02-12"), 2_886, 78_381, 937_099, 28_988_297);
    assertCost("2.2783323", byDay.get("2025-06-08"));
    assertCost("0.0777972", byDay.get("2025-06-10"));
    assertCost("0.9288493", byDay.get("2026-02-10"));
    assertCost("16.28626735", byDay.get("2026-02-12"));
    assertEquals(java.util.List.of(), r.unknownModels());
  }

  @Test
  void sessionTotalsEqualCcusageSession() throws Exception {
    CostReport r = queries.cost(new CostQuery(CostGrouping.SESSION, null, null, ZoneOffset.UTC, null));
    Map<String, UsageTotals> bySession = r.rows().stream().collect(Collectors.toMap(CostRow::key, CostRow::usage));
    // ccusage claude session --offline --json on the same files (sessions with all their files present)
    assertTokens(bySession.get("4d5611e5-241a-462a-8d15-5122611a9569"), 233, 28_899, 559_475, 12_387_553);
    assertTokens(bySession.get("ae4a77f8-aedd-4bc1-888f-c94edc91af04"), 2_653, 49_482, 377_624, 16_600_744);
    assertTokens(bySession.get("d3ad4cdc-5657-435d-98fa-0035d53e383d"), 114, 16_769, 174_552, 3_754_072);
    assertTokens(bySession.get("ba79134d-b6e9-4867-af0c-6941038c9e4b"), 91, 2_266, 16_072, 503_769);
    assertTokens(bySession.get("fed8ce56-bc79-401f-a83e-af084253362f"), 88, 278, 16_000, 44_544);
    assertCost("10.11369555", bySession.get("4d5611e5-241a-462a-8d15-5122611a9569"));
    assertCost("6.1725718", bySession.get("ae4a77f8-aedd-4bc1-888f-c94edc91af04"));
    assertCost("2.0326686", bySession.get("d3ad4cdc-5657-435d-98fa-0035d53e383d"));
    assertCost("0.2456637", bySession.get("ba79134d-b6e9-4867-af0c-6941038c9e4b"));
    assertCost("0.0777972", bySession.get("fed8ce56-bc79-401f-a83e-af084253362f"));
  }

  @Test
  void aSessionInDetail() throws Exception {
    SessionDetail s = queries.session("4d5611e5");
    assertNotNull(s);
    assertEquals("4d5611e5-241a-462a-8d15-5122611a9569", s.session().sessionId());
    assertEquals(152, s.requests().size());
    assertEquals(s.session().toolCalls(), s.tools().size());
    assertEquals(1, s.subagents().size());
  }

  /** Equal to ccusage's figure within a millionth of a dollar (ours is exact decimal arithmetic). */
  static void assertCost(String expected, UsageTotals u) {
    assertNotNull(u);
    BigDecimal diff = u.totalCost().subtract(new BigDecimal(expected)).abs();
    assertTrue(diff.compareTo(new BigDecimal("0.000001")) <= 0, "cost " + u.totalCost() + " vs ccusage " + expected);
  }

  static void assertTokens(UsageTotals u, long input, long output, long cacheCreation, long cacheRead) {
    assertNotNull(u);
    assertEquals(input, u.inputTokens(), "input");
    assertEquals(output, u.outputTokens(), "output");
    assertEquals(cacheCreation, u.cacheCreationTokens(), "cache creation");
    assertEquals(cacheRead, u.cacheReadTokens(), "cache read");
  }
}
