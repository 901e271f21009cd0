package dev.loopwatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwatch.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every question command against a real socket: the one request it sends, its table, its JSON. The
 * server answers the canned results of {@code sample-answers.json}; times are shown in UTC.
 */
class QueryCommandsTest {
  @TempDir Path dir;
  FakeDaemon daemon;
  Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    daemon = FakeDaemon.start(dir.resolve("d.sock"));
    env = Run.env(dir);
  }

  @AfterEach
  void stop() throws IOException {
    daemon.close();
  }

  private Run run(String... args) {
    return Run.of(env, Run.at(daemon.socket(), args));
  }

  /** The request line the daemon got: v, id, op, then args exactly as given. */
  private void assertRequest(String op, Map<String, Object> args) throws InterruptedException {
    Map<String, Object> request = daemon.requestJson();
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("v", 1L);
    expected.put("id", "1");
    expected.put("op", op);
    expected.put("args", args);
    assertEquals(expected, request);
    assertEquals(List.copyOf(args.keySet()), List.copyOf(((Map<?, ?>) request.get("args")).keySet()));
  }

  private static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < kv.length; k += 2) {
      m.put((String) kv[k], kv[k + 1]);
    }
    return m;
  }

  @Test
  void ping() throws Exception {
    Run r = run("ping");
    assertEquals(0, r.exit(), r.err());
    assertRequest("ping", args());
    assertEquals("pong from loopwatchd 0.1.0 (protocol 1, pid 4242)\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void status() throws Exception {
    Run r = run("status");
    assertEquals(0, r.exit(), r.err());
    assertRequest("status", args());
    assertEquals(
        """
        loopwatchd 0.1.0, pid 4242, up 3h12m
        socket    /run/user/1000/loopwatch/loopwatch.sock

        Ingest    caught up (backlog 0 files, lag 0 B)
          roots         /home/dev/.claude, /home/dev/work/shop
          files         1,234 tracked, 3 open
          read          1,250 files, 123,456 lines, 45.6 MiB -> 234,567 events
          skipped       2 bad lines, 1 oversize, 0 invalid UTF-8, 0 partial lines dropped, 0 read errors
          changes       0 rewrites, 1 rotations, 4 deletions, 0 adoptions, 12 rescans, 0 watcher resets
          dead letters  /home/dev/.local/state/loopwatch/dead-letters
        Journal   /home/dev/.local/state/loopwatch/journal
          contents      4,321 documents, 234,567 events, last index 98765, 12.3 MiB
          backlog       0
        Store     /home/dev/.local/state/loopwatch/store.mv.db
          projection    caught up, 234,567 events applied, projected index 98765, lag 0 documents
          last commit   2026-02-12 16:02, 4.5 MiB

        JOB           SCHEDULE       LAST RUN          OUTCOME  NEXT RUN
        healthCheck   5m             2026-02-12 16:00  ok       2026-02-12 16:05
        weeklyReport  0 0 7 ? * MON  -                 -        2026-02-16 07:00
        """,
        r.out());
  }

  @Test
  void sessionsWithEveryFlag() throws Exception {
    Run r = run("sessions", "--project", "shop", "--since", "2026-02-01", "--until=20260212", "--outcome", "success",
        "--limit", "5", "--timezone", "UTC");
    assertEquals(0, r.exit(), r.err());
    assertRequest("sessions", args("project", "shop", "since", "2026-02-01", "until", "20260212", "outcome", "success",
        "limit", 5L, "timezone", "UTC"));
    assertEquals(
        """
        LAST ACTIVITY     SESSION                               PROJECT              DURATION  PROMPTS  TOOLS  ERRORS     TOKENS     COST  OUTCOME    FLAGS             TITLE
        2026-02-12 16:02  3f1c2a9e-7b4d-4c1a-9e2f-5d6c7b8a9f01  /home/dev/work/shop     1h28m       12    140       3  1,382,590   $12.35  success    high-cost,review  Fix the flaky checkout test
        2026-02-11 09:00  a0b1c2d3-0000-4000-8000-000000000002  /home/dev/work/blog       45s        1      1       0      3,210  $0.0123  abandoned                    Typo
        2 sessions, 1,385,800 tokens, $12.36
        """,
        r.out());
  }

  @Test
  void sessionsShowTimesInTheGivenZone() throws Exception {
    Run r = run("sessions", "--timezone", "Asia/Tokyo");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("2026-02-13 01:02  3f1c2a9e"), r.out()); // 16:02 UTC is 01:02 next day in Tokyo
  }

  @Test
  void session() throws Exception {
    Run r = run("session", "3f1c2a9e");
    assertEquals(0, r.exit(), r.err());
    assertRequest("session", args("id", "3f1c2a9e"));
    assertEquals(
        """
        Session 3f1c2a9e-7b4d-4c1a-9e2f-5d6c7b8a9f01
          project   /home/dev/work/shop
          title     Fix the flaky checkout test
          when      2026-02-12 14:34 to 2026-02-12 16:02 (1h28m)
          activity  12 prompts, 80 requests, 140 tool calls (3 errors, 1 rejected), 2 interrupts, 4 subagents, 1 compactions
          outcome   success: tests pass [high-cost,review]
          tokens    1,382,590 (input 1,234, output 56,789, cache write 90,000, cache read 1,234,567)
          cost      $12.35

        Models
        MODEL             INPUT  OUTPUT  CACHE WRITE  CACHE READ  TOTAL TOKENS     COST  REQUESTS
        claude-opus-4-5   1,000  50,000       80,000   1,200,000     1,331,000   $12.10        70
        claude-haiku-4-5    234   6,789       10,000      34,567        51,590  $0.2456        10

        Subagents
        AGENT   TYPE     MODEL             STATUS     TOKENS  TOOL USES  DURATION  DESCRIPTION
        a1b2c3  Explore  claude-haiku-4-5  completed  51,590         17     1m04s  Find the checkout tests

        Tool calls
        TIME              TOOL  RESULT  DURATION  INPUT / ERROR
        2026-02-12 14:35  Bash  error      3m12s  Exit code 1 / 1 failing
        2026-02-12 14:40  Edit  ok         120ms  {"file_path":"/home/dev/work/shop/src/checkout.ts"}

        Files
        TIME              OP    +LINES  -LINES  PATH
        2026-02-12 14:40  edit      12       3  /home/dev/work/shop/src/checkout.ts

        Timeline
        TIME              KIND    TOOL  DETAIL
        2026-02-12 14:34  prompt  -     The checkout test fails / one time in ten
        2026-02-12 14:35  tool    Bash  failed: npm test

        not priced: claude-mystery-9
        """,
        r.out());
  }

  @Test
  void costHasATotalsRowAndTheModelsNotPriced() throws Exception {
    Run r = run("cost", "--by", "day", "--since", "2026-02-11", "--until", "2026-02-12", "--timezone", "UTC",
        "--project", "shop");
    assertEquals(0, r.exit(), r.err());
    assertRequest("cost", args("by", "day", "since", "2026-02-11", "until", "2026-02-12", "timezone", "UTC",
        "project", "shop"));
    assertEquals(
        """
        Cost by day, UTC, since 2026-02-11
        DAY         INPUT  OUTPUT  CACHE WRITE  CACHE READ  TOTAL TOKENS     COST  REQUESTS  MODELS
        2026-02-11     10     200            0       3,000         3,210  $0.0123         2  claude-haiku-4-5
        2026-02-12  1,234  56,789       90,000   1,234,567     1,382,590   $12.35        80  claude-opus-4-5, claude-haiku-4-5
        ----------  -----  ------  -----------  ----------  ------------  -------  --------  ---------------------------------
        TOTAL       1,244  56,989       90,000   1,237,567     1,385,800   $12.36        82
        not priced: claude-mystery-9
        """,
        r.out());
  }

  @Test
  void costNamesItsFirstColumnAfterTheGrouping() throws Exception {
    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"groupBy\":\"model\",\"timezone\":\"UTC\","
        + "\"totals\":{\"totalTokens\":10,\"totalCost\":0},\"rows\":[{\"key\":\"claude-opus-4-5\",\"model\":\"claude-opus-4-5\","
        + "\"totalTokens\":10,\"totalCost\":0,\"models\":[\"claude-opus-4-5\"]}],\"unknownModels\":[]}}");
    Run r = run("cost", "--by", "model");
    assertEquals(0, r.exit(), r.err());
    assertRequest("cost", args("by", "model"));
    assertTrue(r.out().startsWith("Cost by model, UTC\nMODEL            INPUT"), r.out());
    assertTrue(r.out().contains("claude-opus-4-5      -       -            -           -            10  $0.00"), r.out());
    assertTrue(!r.out().contains("not priced"), r.out());
  }

  @Test
  void anAnswerFromAStoreStillReadingTheHistorySaysItIsNotComplete() throws Exception {
    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"groupBy\":\"total\",\"timezone\":\"UTC\","
        + "\"totals\":{\"totalTokens\":0,\"totalCost\":0},\"rows\":[],\"unknownModels\":[],"
        + "\"backfill\":{\"filesToRead\":5116,\"documentsToProject\":2420}}}");
    Run r = run("cost");
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        """
        Cost, UTC
        no usage
        not complete yet: the daemon is still reading your history (5,116 files to read, 2,420 journal documents to store)
        """,
        r.out());
  }

  @Test
  void costWithoutAGroupingIsTheTotalsRow() throws Exception {
    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"groupBy\":\"total\",\"timezone\":\"Etc/UTC\","
        + "\"since\":null,\"until\":null,\"totals\":{\"inputTokens\":4836,\"outputTokens\":99512,\"cacheCreationTokens\":1215381,"
        + "\"cacheReadTokens\":33913057,\"totalTokens\":35232786,\"totalCost\":19.57124615,\"requests\":485},\"rows\":[],"
        + "\"unknownModels\":[]}}");
    Run r = run("cost");
    assertEquals(0, r.exit(), r.err());
    assertRequest("cost", args());
    assertEquals(
        """
        Cost, Etc/UTC
               INPUT  OUTPUT  CACHE WRITE  CACHE READ  TOTAL TOKENS    COST  REQUESTS
        TOTAL  4,836  99,512    1,215,381  33,913,057    35,232,786  $19.57       485
        """,
        r.out());

    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"groupBy\":\"day\",\"timezone\":\"UTC\","
        + "\"totals\":{\"totalTokens\":0,\"totalCost\":0},\"rows\":[],\"unknownModels\":[]}}");
    assertEquals("Cost by day, UTC\nno usage\n", run("cost", "--by", "day").out());
  }

  @Test
  void tools() throws Exception {
    Run r = run("tools", "--since", "2026-02-01", "--timezone", "Europe/Paris");
    assertEquals(0, r.exit(), r.err());
    assertRequest("tools", args("since", "2026-02-01", "timezone", "Europe/Paris"));
    assertEquals(
        """
        TOOL  CALLS  FAILURES  REJECTIONS  SUCCESS  EFFECTIVENESS  AVG TIME
        Bash  1,200        84           6    92.5%           9.46      3.4s
        Edit    530         5           0    99.1%           8.97      95ms
        """,
        r.out());
  }

  @Test
  void failures() throws Exception {
    Run r = run("failures", "--since", "2026-02-01", "--limit", "10");
    assertEquals(0, r.exit(), r.err());
    assertRequest("failures", args("since", "2026-02-01", "limit", 10L));
    assertEquals(
        """
        SIGNATURE     TOOL  ERROR      COUNT  SESSIONS  FIRST SEEN        LAST SEEN         INPUT     EXAMPLE
        bash:npm-te…  Bash  exit-code     14         5  2026-02-01 10:00  2026-02-12 14:35  npm test  Exit code 1 / 1 failing: checkout total
        """,
        r.out());
  }

  @Test
  void files() throws Exception {
    Run r = run("files", "--since", "2026-02-01", "--project", "shop", "--limit", "3");
    assertEquals(0, r.exit(), r.err());
    assertRequest("files", args("since", "2026-02-01", "project", "shop", "limit", 3L));
    assertEquals(
        """
        LAST CHANGED      EDITS  +LINES  -LINES  SESSIONS  PATH
        2026-02-12 14:40     27     340     120         6  /home/dev/work/shop/src/checkout.ts
        """,
        r.out());
  }

  @Test
  void rebuild() throws Exception {
    Run r = run("rebuild");
    assertEquals(0, r.exit(), r.err());
    assertRequest("rebuild", args());
    assertEquals("rebuilt the store: 234,567 events replayed in 3.2s\n", r.out());
  }

  @Test
  void emptyListsSaySo() throws Exception {
    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"" + req.op() + "\":[]}}");
    assertEquals("no sessions\n", run("sessions").out());
    assertEquals("no tool calls\n", run("tools").out());
    assertEquals("no failures\n", run("failures").out());
    assertEquals("no file changes\n", run("files").out());
  }

  @Test
  void jsonPrintsTheResultAsIndentedJson() throws Exception {
    Map<String, Object> samples = FakeDaemon.samples();
    for (String op : List.of("ping", "status", "sessions", "cost", "tools", "failures", "files", "rebuild")) {
      Run r = run("--json", op);
      assertEquals(0, r.exit(), r.err());
      assertEquals(Json.pretty(samples.get(op)) + "\n", r.out(), op);
      assertEquals(samples.get(op), Json.parse(r.out()), op);
    }
    Run r = run("session", "3f1c2a9e", "--json");
    assertEquals(samples.get("session"), Json.parse(r.out()));
    assertTrue(r.out().startsWith("{\n  \"session\": {\n    \"sessionId\": "), r.out());
  }

  @Test
  void aDaemonErrorExitsOneWithItsCodeAndMessage() throws Exception {
    daemon.error("BAD_ARGS", "since: not a date: 2026-13-01");
    Run r = run("sessions", "--since", "2026-13-01");
    assertEquals(Exit.ERROR, r.exit());
    assertEquals("", r.out());
    assertEquals("loopwatch: BAD_ARGS: since: not a date: 2026-13-01\n", r.err());
    assertRequest("sessions", args("since", "2026-13-01"));

    daemon.error("NOT_FOUND", "no session 42");
    r = run("--json", "session", "42");
    assertEquals(Exit.ERROR, r.exit());
    assertEquals("", r.out());
    assertEquals("loopwatch: NOT_FOUND: no session 42\n", r.err());
  }

  @Test
  void anAnswerThatIsNotJsonExitsOne() throws Exception {
    daemon.answer(req -> "<html>");
    Run r = run("ping");
    assertEquals(Exit.ERROR, r.exit());
    assertTrue(r.err().startsWith("loopwatch: BAD_JSON: the daemon's answer is not JSON"), r.err());
  }

  @Test
  void anAnswerLargerThanTheClientTakesIsRefused() throws Exception {
    String huge = "x".repeat(17 << 20);
    daemon.answer(req -> "{\"v\":1,\"id\":\"1\",\"ok\":true,\"result\":{\"x\":\"" + huge + "\"}}");
    Run r = run("status");
    assertEquals(Exit.ERROR, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("loopwatch: TOO_LARGE: the daemon's answer is longer than 16777216 bytes"), r.err());
  }

  @Test
  void aDaemonThatHangsUpIsUnreachable() throws Exception {
    daemon.mode(FakeDaemon.Mode.HANG_UP);
    Run r = run("status");
    assertEquals(Exit.UNREACHABLE, r.exit());
    assertTrue(r.err().contains("closed the connection without answering"), r.err());
    assertTrue(r.err().contains("systemctl --user status loopwatch"), r.err());
  }
}
